import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

@Suite struct VolunteerRegistrationTests {
    /// Anyone registers under their real name; one ID registers once; a member's ID links the records.
    @Test func realNameRegistrationLinksMembersAndRefusesASecondRegistration() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let branch = try await Fixtures.child(app, of: haishu, "海曙区某团支部", .branch)
            let visitor = Browser(app)
            let page = try await visitor.get("/volunteer/register")
            #expect(page.contains("志愿者实名注册"))
            let id = Fixtures.residentID(birth: "1999-05-06", sequence: 211)
            let bad = try await visitor.post("/volunteer/register", ["name": "陈志", "residentID": String(id.dropLast()) + "0",
                                                                     "district": String(haishu.id!), "username": "chenzhi",
                                                                     "password": "Volunteer1", "confirm": "Volunteer1"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.contains("身份证号码") && bad.contains("不正确") || bad.contains("校验位"))
            let done = try await visitor.post("/volunteer/register", ["name": "陈志", "residentID": id, "district": String(haishu.id!),
                                                                      "username": "chenzhi", "password": "Volunteer1", "confirm": "Volunteer1"])
            #expect(done.status == .ok)
            let volunteer = try #require(try await Scope.system.volunteers(on: app.db).filter(\.$name == "陈志").first())
            #expect(done.contains(volunteer.volunteerNumber))
            #expect(volunteer.volunteerNumber.hasPrefix("ZY3302") && !volunteer.volunteerNumber.contains(id))
            #expect(volunteer.idSealed != id && volunteer.idMasked == ResidentID.mask(id))
            let account = try #require(try await Scope.system.accounts(on: app.db).filter(\.$username == "chenzhi").first())
            #expect(account.kind == .volunteer && volunteer.accountID == account.id)

            // The same ID again, from another browser: refused, nothing written.
            let again = Browser(app)
            try await again.get("/volunteer/register")
            let twice = try await again.post("/volunteer/register", ["name": "陈志", "residentID": id, "district": String(haishu.id!),
                                                                     "username": "chenzhi2", "password": "Volunteer1", "confirm": "Volunteer1"])
            #expect(twice.contains("该身份证号码已注册为志愿者"))
            #expect(try await Scope.system.accounts(on: app.db).filter(\.$username == "chenzhi2").count() == 0)

            // The volunteer signs in and sees their number; league pages are not theirs.
            let signedIn = Browser(app)
            #expect(try await signedIn.signIn("chenzhi", "Volunteer1").status == .seeOther)
            #expect(try await signedIn.get("/volunteer/me").contains(volunteer.volunteerNumber))
            #expect(try await signedIn.get("/").location == "/volunteer/me")
            #expect(!(try await signedIn.get("/volunteer/me").contains("组织关系转接")))
            #expect(try await signedIn.get("/learn").status == .notFound)
            #expect(try await signedIn.get("/volunteering").status == .notFound)

            // A member registering publicly is linked to their member record; the account they get
            // reaches the volunteer pages only, since a name and an ID number are no secret.
            let member = try await Fixtures.member(app, "林团", birth: "2002-02-02", sequence: 213, in: branch)
            let memberID = Fixtures.residentID(birth: "2002-02-02", sequence: 213)
            let public2 = Browser(app)
            try await public2.get("/volunteer/register")
            #expect(try await public2.post("/volunteer/register", ["name": "林某", "residentID": memberID, "username": "lintuan",
                                                                   "password": "Volunteer1", "confirm": "Volunteer1"])
                .contains("姓名与身份证号码不一致"))
            try await public2.post("/volunteer/register", ["name": "林团", "residentID": memberID, "username": "lintuan",
                                                           "password": "Volunteer1", "confirm": "Volunteer1"])
            let linked = try #require(try await Scope.system.volunteers(on: app.db).filter(\.$memberID == member.id!).first())
            let memberAccount = try #require(try await Scope.system.accounts(on: app.db).filter(\.$username == "lintuan").first())
            #expect(memberAccount.kind == .volunteer && memberAccount.memberID == nil && linked.accountID == memberAccount.id)
            #expect(linked.homePath == branch.path)
            #expect(try await Scope.system.auditEntries(on: app.db).filter(\.$action == "volunteer.register").count() == 2)
            // Given a member account later, 林团 finds the same volunteer record there: one person, one identity.
            let memberLogin = try await Fixtures.account(app, "lintuan.m", unit: branch)
            try await app.writer.write(app.db) { db in
                memberLogin.kind = .member
                memberLogin.memberID = member.id
                try await memberLogin.save(on: db)
            }
            let asMember = Browser(app)
            try await asMember.signIn("lintuan.m", "Secret123")
            #expect(try await asMember.get("/volunteer/me").contains(linked.volunteerNumber))

            // A member who has an account registers from it, not from the public page.
            let withAccount = try await Fixtures.member(app, "何账", birth: "2002-03-03", sequence: 215, in: branch)
            let login = try await Fixtures.account(app, "heaccount", unit: branch)
            try await app.writer.write(app.db) { db in
                login.kind = .member
                login.memberID = withAccount.id
                try await login.save(on: db)
            }
            let public3 = Browser(app)
            try await public3.get("/volunteer/register")
            #expect(try await public3.post("/volunteer/register", ["name": "何账", "residentID": Fixtures.residentID(birth: "2002-03-03", sequence: 215),
                                                                   "username": "heother", "password": "Volunteer1", "confirm": "Volunteer1"])
                .contains("该身份证号码已有账号，请登录后"))

            // Someone who volunteered first and joins the league later is linked when the member is registered.
            let later = try await Fixtures.member(app, "陈志", birth: "1999-05-06", sequence: 211, in: branch)
            #expect(try await Scope.system.volunteer(volunteer.id, on: app.db).memberID == later.id)
            #expect(try await Scope.system.volunteer(volunteer.id, on: app.db).homePath == branch.path)
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
            let volunteer = try #require(try await Scope.system.volunteers(on: app.db).filter(\.$accountID == account.id!).first())
            #expect(volunteer.memberID == account.memberID)
            #expect(try await member.get("/volunteer/me").contains(volunteer.volunteerNumber))
            let twice = try await member.post("/volunteer/me/register")
            #expect(twice.contains("已注册为志愿者"), "\(twice.status) \(twice.body)")
        }
    }
}
