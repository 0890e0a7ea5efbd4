import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

@Suite struct VolunteerRegistrationTests {
    static func register(_ app: Application, name: String, id: String, username: String, district: Organization) async throws -> Browser.Page {
        let visitor = Browser(app)
        try await visitor.get("/volunteer/register")
        return try await visitor.post("/volunteer/register", ["name": name, "residentID": id, "district": String(district.id!),
                                                              "username": username, "password": "Volunteer1", "confirm": "Volunteer1"])
    }

    /// Anyone registers under their real name and gets the same answer whatever the number
    /// belongs to: nothing on the page tells a new number from a volunteer's or a member's.
    @Test func thePublicFormAnswersAlikeAndNeverLinksAMember() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let branch = try await Fixtures.child(app, of: jiangbei, "江北区某团支部", .branch)
            let visitor = Browser(app)
            #expect(try await visitor.get("/volunteer/register").contains("志愿者实名注册"))
            let id = Fixtures.residentID(birth: "1999-05-06", sequence: 211)
            let bad = try await visitor.post("/volunteer/register", ["name": "陈志", "residentID": String(id.dropLast()) + "0",
                                                                     "district": String(haishu.id!), "username": "chenzhi",
                                                                     "password": "Volunteer1", "confirm": "Volunteer1"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.contains("校验位"))

            let member = try await Fixtures.member(app, "林团", birth: "2002-02-02", sequence: 213, in: branch)
            let memberID = Fixtures.residentID(birth: "2002-02-02", sequence: 213)
            let fresh = try await Self.register(app, name: "陈志", id: id, username: "chenzhi", district: haishu)
            let repeated = try await Self.register(app, name: "陈志", id: id, username: "chenzhitwo", district: haishu)
            let members = try await Self.register(app, name: "林某", id: memberID, username: "lintuan", district: haishu)
            func shape(_ page: Browser.Page, _ words: [String]) -> String {
                words.reduce(page.body) { $0.replacingOccurrences(of: $1, with: "…") }
            }
            #expect(fresh.status == .ok && repeated.status == .ok && members.status == .ok)
            #expect(shape(fresh, ["chenzhi", "陈志"]) == shape(repeated, ["chenzhitwo", "陈志"]))
            #expect(shape(fresh, ["chenzhi", "陈志"]) == shape(members, ["lintuan", "林某"]))

            let volunteer = try #require(try await Scope.unrestricted.query(Volunteer.self, on: app.db).filter(\.$name == "陈志").first())
            #expect(!fresh.contains(volunteer.volunteerNumber))
            #expect(volunteer.volunteerNumber.hasPrefix("ZY3302") && !volunteer.volunteerNumber.contains(id))
            #expect(volunteer.idSealed != id && volunteer.idMasked == ResidentID.mask(id))
            // The member's number made a volunteer record of its own, linked to nothing of the member's.
            let byMembersNumber = try #require(try await Scope.unrestricted.query(Volunteer.self, on: app.db).filter(\.$name == "林某").first())
            #expect(byMembersNumber.memberID == nil && byMembersNumber.homePath == haishu.path)
            #expect(try await Scope.unrestricted.query(Volunteer.self, on: app.db).count() == 2)

            // The volunteer signs in and sees their number; league pages are not theirs.
            let signedIn = Browser(app)
            #expect(try await signedIn.signIn("chenzhi", "Volunteer1").status == .seeOther)
            #expect(try await signedIn.get("/volunteer/me").contains(volunteer.volunteerNumber))
            #expect(try await signedIn.get("/").location == "/volunteer/me")
            #expect(try await signedIn.get("/learn").status == .notFound)
            #expect(try await signedIn.get("/volunteering").status == .notFound)
            // The second account with the same number has no record; its registration waits for a check.
            let second = Browser(app)
            try await second.signIn("chenzhitwo", "Volunteer1")
            let waiting = try await second.get("/volunteer/me")
            #expect(waiting.contains("原注册单位核实") && !waiting.contains(volunteer.volunteerNumber))

            // The member, signed in with their own account, takes the record up: it becomes theirs,
            // in their branch, and the account that made it is closed.
            let login = try await Fixtures.account(app, "lintuan.m", unit: branch)
            try await app.writer.write(app.db) { db in
                login.kind = .member
                login.memberID = member.id
                try await login.save(on: db)
            }
            let asMember = Browser(app)
            try await asMember.signIn("lintuan.m", "Secret123")
            #expect(try await asMember.get("/volunteer/me").contains("已有一条以您的身份证号码注册的志愿者记录"))
            #expect(try await asMember.post("/volunteer/me/take-up", ["mine": "0"]).status == .seeOther)
            let taken = try await Scope.unrestricted.find(Volunteer.self, byMembersNumber.id, on: app.db)
            #expect(taken.memberID == member.id && taken.accountID == login.id && taken.homePath == branch.path)
            #expect(try await asMember.get("/volunteer/me").contains(taken.volunteerNumber))
            #expect(try await Scope.unrestricted.accounts(on: app.db).filter(\.$username == "lintuan").first()?.disabled == true)
            #expect(try await Browser(app).signIn("lintuan", "Volunteer1").contains("已停用"))

            // The unit keeping the first registration checks the person and hands the record over.
            let check = try #require(try await Scope.unrestricted.identityChecks(on: app.db).first())
            let outsider = try await Fixtures.administrator(app, "jiangbei", of: jiangbei)
            #expect(try await outsider.get("/volunteering/identity").contains("没有待核实的注册"))
            let keeper = try await Fixtures.administrator(app, "haishu", of: haishu)
            #expect(try await keeper.get("/volunteering/identity").contains("chenzhitwo"))
            #expect(try await keeper.post("/volunteering/identity/\(check.id!)/decide", ["decision": "grant"]).status == .seeOther)
            #expect(try await Scope.unrestricted.find(Volunteer.self, volunteer.id, on: app.db).accountID
                        == (try await Scope.unrestricted.accounts(on: app.db).filter(\.$username == "chenzhitwo").first())?.id)
            #expect(try await second.get("/volunteer/me").contains(volunteer.volunteerNumber))
        }
    }

    /// Someone who volunteered first and joins the league later is not linked by the number
    /// alone: the member's branch confirms it, and it is audited.
    @Test func aLaterMemberIsLinkedOnlyWhenConfirmed() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let branch = try await Fixtures.child(app, of: haishu, "海曙区某团支部", .branch)
            let id = Fixtures.residentID(birth: "1999-05-06", sequence: 211)
            _ = try await Self.register(app, name: "陈志", id: id, username: "chenzhi", district: haishu)
            let volunteer = try #require(try await Scope.unrestricted.query(Volunteer.self, on: app.db).first())
            let later = try await Fixtures.member(app, "陈志", birth: "1999-05-06", sequence: 211, in: branch)
            #expect(try await Scope.unrestricted.find(Volunteer.self, volunteer.id, on: app.db).memberID == nil)
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            let page = try await admin.get("/members/\(later.id!)")
            #expect(page.contains("尚未关联的志愿者记录"))
            #expect(try await admin.post("/members/\(later.id!)/volunteer/take-up").status == .seeOther)
            let linked = try await Scope.unrestricted.find(Volunteer.self, volunteer.id, on: app.db)
            #expect(linked.memberID == later.id && linked.homePath == branch.path)
            // Without an account of their own, the member keeps signing in as the volunteer they were.
            #expect(try await Browser(app).signIn("chenzhi", "Volunteer1").status == .seeOther)
            #expect(try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action == "volunteer.link_member").count() == 1)
        }
    }

    /// The public form is limited per client address.
    @Test func registrationsFromOneAddressAreLimited() async throws {
        try await TestApp.run(settings: { $0.trustProxy = true }) { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let visitor = Browser(app, from: "203.0.113.30")
            try await visitor.get("/volunteer/register")
            var last: Browser.Page?
            for attempt in 0..<11 {
                last = try await visitor.post("/volunteer/register", ["name": "某人", "residentID": "1", "district": String(haishu.id!),
                                                                      "username": "someone\(attempt)", "password": "Volunteer1", "confirm": "Volunteer1"])
            }
            #expect(last?.status == .tooManyRequests)
            #expect(last?.contains("提交过于频繁") == true)
        }
    }

    /// A member with an account registers in one step from their own page.
    @Test func aMemberRegistersInOneStep() async throws {
        try await TestApp.run { app, _ in
            let branch = try await Fixtures.child(app, of: try await Fixtures.unit(app, code: "330203"), "海曙区某团支部", .branch)
            let account = try await Fixtures.account(app, "xiaoli", kind: .member, unit: branch)
            let member = Browser(app)
            try await member.signIn("xiaoli", "Secret123")
            #expect(try await member.get("/volunteer/me").contains("一键注册志愿者"))
            let done = try await member.post("/volunteer/me/register")
            #expect(done.status == .seeOther)
            let volunteer = try #require(try await Scope.unrestricted.query(Volunteer.self, on: app.db).filter(\.$accountID == account.id!).first())
            #expect(volunteer.memberID == account.memberID)
            #expect(try await member.get("/volunteer/me").contains(volunteer.volunteerNumber))
            let twice = try await member.post("/volunteer/me/register")
            #expect(twice.contains("已是注册志愿者"), "\(twice.status) \(twice.body)")
        }
    }
}
