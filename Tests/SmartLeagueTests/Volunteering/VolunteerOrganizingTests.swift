import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

@Suite struct VolunteerOrganizingTests {
    static func oneTimePassword(_ page: Browser.Page) -> String? {
        guard let start = page.body.range(of: "id=\"one-time-password\">") else { return nil }
        return String(page.body[start.upperBound...].prefix { $0 != "<" })
    }

    /// An administrator who makes a second administrator of their own unit has not found an
    /// approver: approval comes from the level above, or from someone the level above appointed.
    @Test func aSecondAdministratorOfTheSameUnitCannotApprove() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            // The city appoints the district's administrator; the district makes a second one itself.
            try await city.get("/accounts/new")
            let appointed = try await city.post("/accounts", ["kind": "administrator", "username": "haishu", "displayName": "海曙区", "unit": haishu.code])
            let haishuPassword = try #require(Self.oneTimePassword(appointed))
            let district = Browser(app)
            try await district.signInFirstTime("haishu", haishuPassword)
            try await district.get("/accounts/new")
            let made = try await district.post("/accounts", ["kind": "administrator", "username": "haishu2", "displayName": "海曙区二", "unit": haishu.code])
            let secondPassword = try #require(Self.oneTimePassword(made))
            let second = Browser(app)
            try await second.signInFirstTime("haishu2", secondPassword)

            try await district.get("/volunteering/groups")
            try await district.post("/volunteering/groups", ["name": "海曙青年志愿者协会", "unit": haishu.code, "contact": "王 13805740000"])
            let group = try #require(try await Scope.unrestricted.query(VolunteerGroup.self, on: app.db).filter(\.$name == "海曙青年志愿者协会").first())
            try await second.get("/volunteering/groups")
            #expect(try await second.post("/volunteering/groups/\(group.id!)/decide", ["decision": "approve"]).contains("不能自行批准"))
            #expect(try await Scope.unrestricted.query(VolunteerGroup.self, on: app.db).filter(\.$id == group.id!).first()?.status == .pending)
            // A second administrator the city appointed to the district may.
            try await city.get("/accounts/new")
            let byCity = try await city.post("/accounts", ["kind": "administrator", "username": "haishu3", "displayName": "海曙区三", "unit": haishu.code])
            let thirdPassword = try #require(Self.oneTimePassword(byCity))
            let third = Browser(app)
            try await third.signInFirstTime("haishu3", thirdPassword)
            try await third.get("/volunteering/groups")
            #expect(try await third.post("/volunteering/groups/\(group.id!)/decide", ["decision": "approve"]).status == .seeOther)
            #expect(try await Scope.unrestricted.query(VolunteerGroup.self, on: app.db).filter(\.$id == group.id!).first()?.status == .approved)
        }
    }

    /// A group is approved by its parent, never by whoever asked; projects are published after
    /// another administrator's review, and only then do their posts show to the public.
    @Test func groupsAreApprovedAboveAndPostsArePublicOnlyOncePublished() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let district = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await district.get("/volunteering/groups")
            try await district.post("/volunteering/groups", ["name": "海曙青年志愿者协会", "unit": haishu.code, "contact": "王 13805740000"])
            let group = try #require(try await Scope.unrestricted.query(VolunteerGroup.self, on: app.db).filter(\.$name == "海曙青年志愿者协会").first())
            #expect(group.status == .pending)
            #expect(try await district.post("/volunteering/groups/\(group.id!)/decide", ["decision": "approve"])
                .contains("申请人和本级管理员不能自行批准"))
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            try await city.get("/volunteering/groups")
            #expect(try await city.post("/volunteering/groups/\(group.id!)/decide", ["decision": "reject"]).contains("不批准须写明理由"))
            try await city.post("/volunteering/groups/\(group.id!)/decide", ["decision": "approve"])
            #expect(try await Scope.unrestricted.query(VolunteerGroup.self, on: app.db).filter(\.$id == group.id!).first()?.status == .approved)
            // A team below the group must sit within the group's unit.
            try await city.get("/volunteering/groups")
            #expect(try await city.post("/volunteering/groups", ["name": "江北小分队", "unit": jiangbei.code, "parent": String(group.id!),
                                                                 "contact": "李 13805740001"]).contains("须在上级队伍"))

            try await district.get("/volunteering/projects")
            let created = try await district.post("/volunteering/projects", ["group": String(group.id!), "title": "关爱独居老人",
                "category": "助老助残", "district": String(haishu.id!), "year": "2026", "summary": "每周上门陪伴"])
            let projectPath = try #require(created.location)
            try await district.get(projectPath)
            let tomorrow = CalendarDate(ChinaTime.dateString(app.clock.now().addingTimeInterval(86_400)))!
            try await district.post("\(projectPath)/posts", ["title": "陪伴员", "place": "鼓楼社区", "days": tomorrow.description,
                                                             "start": "09:00", "end": "11:30", "capacity": "3"])
            let post = try #require(try await Scope.unrestricted.query(VolunteerPost.self, on: app.db).filter(\.$title == "陪伴员").first())
            #expect(!post.published)
            #expect(try await Browser(app).get("/volunteer/posts/\(post.id!)").status == .notFound)
            #expect(try await district.post("\(projectPath)/decide", ["decision": "publish"]).contains("申报人和本级管理员不能自行发布"))
            try await city.get(projectPath)
            let published = try await city.post("\(projectPath)/decide", ["decision": "publish"])
            #expect(published.status == .seeOther, "\(published.body)")

            // Public and every level see it, filtered by district, category, day and open places.
            let visitor = Browser(app)
            let shown = try await visitor.get("/volunteer/posts/\(post.id!)")
            #expect(shown.contains("陪伴员"), "\(shown.status) \(shown.body)")
            #expect(try await visitor.get("/volunteer/posts?district=\(haishu.id!)").contains("陪伴员"))
            #expect(!(try await visitor.get("/volunteer/posts?district=\(jiangbei.id!)").contains("陪伴员")))
            #expect(try await visitor.get("/volunteer/posts?category=助老助残&day=\(tomorrow)&open=1").contains("陪伴员"))
            #expect(!(try await visitor.get("/volunteer/posts?category=生态环保").contains("陪伴员")))
            #expect(try await visitor.get("/volunteer/posts?q=陪伴").contains("陪伴员"))
            #expect(!(try await visitor.get("/volunteer/posts?q=清扫").contains("陪伴员")))
            let listed = try await visitor.get("/volunteer/posts").body
            for shownOnTheList in ["鼓楼社区", haishu.name, tomorrow.description, "09:00–11:30", "3"] { #expect(listed.contains(shownOnTheList), "\(shownOnTheList)") }
            post.taken = post.capacity
            try await post.save(on: app.db)
            #expect(!(try await visitor.get("/volunteer/posts?open=1").contains("陪伴员")))
            #expect(try await visitor.get("/volunteer/posts").contains("陪伴员"))
            // Another district's administrator sees the public post but cannot manage it.
            let other = try await Fixtures.administrator(app, "jiangbei", of: jiangbei)
            #expect(try await other.get("/volunteering/posts/\(post.id!)").status == .notFound)
            #expect(try await other.get("/volunteer/posts/\(post.id!)").status == .ok)
        }
    }

    /// Capacity holds however many sign up at once (2,000 for 100 places, as the issue asks, on
    /// both databases): the rest wait, in order, and a cancellation hands the freed place to the
    /// first in line.
    @Test func concurrentSignUpsNeverExceedCapacityAndCancellationPromotesTheNextInLine() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let post = try await VolunteerFixtures.post(app, at: haishu, district: haishu, capacity: 100)
            var volunteers: [Volunteer] = []
            for index in 0..<2000 {
                volunteers.append(try await VolunteerFixtures.volunteer(app, "志愿者\(index)", sequence: 1 + index % 450 * 2, district: haishu,
                                                                       birth: "2001-03-0\(1 + index / 450)"))
            }
            let outcomes = try await withThrowingTaskGroup(of: SignUpStatus.self) { group in
                for volunteer in volunteers {
                    group.addTask { try await VolunteerFixtures.signUp(app, volunteer, for: post).status }
                }
                return try await group.reduce(into: [SignUpStatus]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .accepted }.count == 100)
            #expect(outcomes.filter { $0 == .waiting }.count == 1900)
            #expect(try await VolunteerFixtures.reload(app, post).taken == 100)
            #expect(try await Scope.unrestricted.query(VolunteerSignUp.self, on: app.db).filter(\.$postID == post.id!).filter(\.$status == .accepted).count() == 100)

            // The first in line gets the place a cancellation frees.
            let waiting = try await Scope.unrestricted.query(VolunteerSignUp.self, on: app.db).filter(\.$postID == post.id!).filter(\.$status == .waiting)
                .sort(\.$requestedAt).sort(\.$id).all()
            let accepted = try #require(try await Scope.unrestricted.query(VolunteerSignUp.self, on: app.db).filter(\.$postID == post.id!)
                .filter(\.$status == .accepted).first())
            // The same cancellation sent five times at once frees one place, which goes to one volunteer.
            let admin = try await Fixtures.account(app, "organiser", unit: haishu)
            let organiser = Fixtures.context(app)
            let change = ChangeContext(scope: Scope(reach: .subtree(haishu.path)),
                                       actor: AuditActor(accountID: admin.id, name: "organiser", ip: "test"), now: organiser.now)
            let acceptedID = accepted.id!
            let cancelled = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<5 {
                    group.addTask { (try? await app.writer.write(app.db) { try await SignUps.decide(acceptedID, .cancel, change, on: $0) }) != nil }
                }
                return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(cancelled == 1)
            let promoted = try await Scope.unrestricted.query(VolunteerSignUp.self, on: app.db).filter(\.$id == waiting[0].id!).first()
            #expect(promoted?.status == .accepted)
            #expect(try await Scope.unrestricted.query(VolunteerSignUp.self, on: app.db).filter(\.$id == waiting[1].id!).first()?.status == .waiting)
            #expect(try await VolunteerFixtures.reload(app, post).taken == 100)
            #expect(try await Scope.unrestricted.query(VolunteerSignUp.self, on: app.db).filter(\.$postID == post.id!).filter(\.$status == .accepted).count() == 100)
            // Signing up twice is refused.
            let again = volunteers.first { $0.id == waiting[1].volunteerID }!
            await #expect(throws: Refusal.self) { try await VolunteerFixtures.signUp(app, again, for: post) }
        }
    }

    /// With approval, a sign-up waits for the organiser; approving a full post puts it in line.
    @Test func approvalModeHoldsSignUpsUntilTheOrganiserDecides() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let post = try await VolunteerFixtures.post(app, at: haishu, district: haishu, capacity: 1, needsApproval: true)
            let a = try await VolunteerFixtures.volunteer(app, "甲", sequence: 401, district: haishu)
            let b = try await VolunteerFixtures.volunteer(app, "乙", sequence: 403, district: haishu)
            let first = try await VolunteerFixtures.signUp(app, a, for: post)
            let second = try await VolunteerFixtures.signUp(app, b, for: post)
            #expect(first.status == .applied && second.status == .applied)
            #expect(try await VolunteerFixtures.reload(app, post).taken == 0)
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            let page = try await admin.get("/volunteering/posts/\(post.id!)")
            #expect(page.contains("甲") && page.contains("待审核"))
            try await admin.post("/volunteering/signups/\(first.id!)/approve")
            try await admin.get("/volunteering/posts/\(post.id!)")
            try await admin.post("/volunteering/signups/\(second.id!)/approve")
            #expect(try await Scope.unrestricted.query(VolunteerSignUp.self, on: app.db).filter(\.$id == first.id!).first()?.status == .accepted)
            #expect(try await Scope.unrestricted.query(VolunteerSignUp.self, on: app.db).filter(\.$id == second.id!).first()?.status == .waiting)
            try await admin.get("/volunteering/posts/\(post.id!)")
            #expect(try await admin.post("/volunteering/signups/\(first.id!)/approve").contains("只有待审核的报名可以录用"))
            // A rejected volunteer cannot queue again.
            try await admin.post("/volunteering/signups/\(second.id!)/reject")
            await #expect(throws: Refusal.self) { try await VolunteerFixtures.signUp(app, b, for: post) }
        }
    }
}
