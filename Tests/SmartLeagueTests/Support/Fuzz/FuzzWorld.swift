import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

/// A small living city for the route fuzzer: the demo tree with members and an administrator at
/// each level, and something under way in each part (a volunteer post with sign-ups, a transfer,
/// an application, a meeting, an episode, a review), so that pages offer forms and ids to try.
struct FuzzWorld {
    enum Role: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case anonymous, member, volunteer, branch, district, city

        var testDescription: String { rawValue }

        var username: String? {
            switch self {
            case .anonymous: nil
            case .member: "fuzz.member"
            case .volunteer: "fuzz.volunteer"
            case .branch: "demo.branch"
            case .district: "demo.district"
            case .city: "demo.city"
            }
        }

        var password: String { self == .volunteer ? "Volunteer1" : DemoCity.demoPassword }

        /// Where a crawl starts: what this person opens first.
        var startPages: [String] {
            switch self {
            case .anonymous: ["/login", "/volunteer/posts", "/volunteer/register", "/volunteer/verify", "/volunteer/library"]
            case .member, .volunteer: ["/", "/volunteer/me", "/volunteer/posts", "/learn", "/transfers", "/account/password"]
            case .branch, .district, .city: ["/"]
            }
        }
    }

    let app: Application

    static func build(_ app: Application) async throws -> FuzzWorld {
        _ = try await DemoCity.build(app, members: 120, seed: 3)
        let branch = try #require(try await Scope.unrestricted.organizations(on: app.db).filter(\.$type ~~ OrganizationType.allCases.filter(\.isBranch)).sort(\.$path).first())
        let district = try await Scope.unrestricted.organization(branch.path.ids[1], on: app.db)
        let change = Fixtures.context(app)
        let vault = app.vault
        let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
        let members = try await Scope.unrestricted.members(on: app.db).filter(\.$branchID == branch.id!).sort(\.$id).range(0..<4).all()
        let member = try #require(members.first)
        // A member's own account, and a volunteer who registered on the public page.
        let hash = try await Passwords.hash(DemoCity.demoPassword, app: app)
        let memberID = member.id!
        _ = try await app.writer.write(app.db) { db in
            let account = try await AccountWrites.create(.init(username: "fuzz.member", displayName: member.name, kind: .member,
                                                               holder: .memberID(memberID)), passwordHash: hash, change, on: db)
            account.mustChangePassword = false
            try await account.save(on: db)
        }
        let visitor = Browser(app, from: "192.0.2.1")
        try await visitor.get("/volunteer/register")
        try await visitor.post("/volunteer/register", ["name": "志愿者甲", "residentID": Fixtures.residentID(birth: "2001-03-04", sequence: 901),
                                                       "district": String(district.id!), "username": "fuzz.volunteer",
                                                       "password": "Volunteer1", "confirm": "Volunteer1"])
        let volunteer = try #require(try await Volunteer.query(on: app.db).first())
        // A published post in the volunteer's district with the volunteer signed up.
        let post = try await VolunteerFixtures.post(app, at: district, district: district, capacity: 5)
        _ = try await VolunteerFixtures.signUp(app, volunteer, for: post)
        // The member asks to move, an application is under way, a meeting was held, an episode is open.
        let other = try #require(try await Scope.unrestricted.organizations(on: app.db).filter(\.$type ~~ OrganizationType.allCases.filter(\.isBranch))
            .sort(\.$path, .descending).first())
        _ = try await app.writer.write(app.db) { db in
            try await TransferWrites.start(members: [members[1]], to: other, side: .sender, graduate: false, batch: nil, change, on: db)
        }
        let branchID = branch.id!
        _ = try await app.writer.write(app.db) { db in
            try await AdmissionWrites.apply(branchID: branchID, fields: ["name": "申请人", "residentID": Fixtures.residentID(birth: "2008-05-05", sequence: 903),
                                                                         "ethnicity": "汉族", "education": "高中", "occupation": "学生"],
                                            appliedOn: today, today: today, vault: vault, change, on: db)
        }
        let attendees = members.map { $0.id! }
        _ = try await app.writer.write(app.db) { db in
            try await MeetingWrites.record(branchID: branchID, .init(kind: .committeeMeeting, heldOn: today, topic: "支委会", place: "活动室",
                                                                      minutes: "记录", teacher: nil, teacherIsHead: false, classHours: 0,
                                                                      attendees: attendees, applicants: [], file: nil),
                                           today: today, change, on: db)
        }
        let now = app.clock.now()
        _ = try await app.writer.write(app.db) { db in
            try await StudyEpisodes.publish(.init(season: 1, number: 1, title: "第一期", opensAt: now.addingTimeInterval(-3600),
                                                  closesAt: now.addingTimeInterval(86_400 * 7), videoURL: "https://example.com/v",
                                                  quiz: Quiz(questions: [.init(text: "题", choices: ["甲", "乙"], answer: 0)])), change, on: db)
        }
        _ = try await app.writer.write(app.db) { db in try await ReviewWrites.open(branchID: branchID, year: today.year, change, on: db) }
        return FuzzWorld(app: app)
    }

    /// A browser signed in as `role` from its own address (the fuzzer's requests come from others).
    func browser(for role: Role) async throws -> Browser {
        let browser = Browser(app, from: "192.0.2.\((Role.allCases.firstIndex(of: role) ?? 0) + 10)")
        try await signIn(browser, as: role)
        return browser
    }

    func signIn(_ browser: Browser, as role: Role) async throws {
        guard let username = role.username else { return }
        let response = try await browser.signIn(username, role.password)
        guard response.status == .seeOther else { throw TestApp.Failure("\(role) could not sign in: \(response.body.prefix(300))") }
    }
}
