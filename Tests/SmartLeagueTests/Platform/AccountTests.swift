import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

@Suite struct AccountTests {
    /// A search longer than the field is cut, not dropped: dropping it listed every account.
    @Test func aLongSearchStillFilters() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let browser = try await Fixtures.administrator(app, "haishu", of: haishu)
            let long = try await browser.get("/accounts?q=" + String(repeating: "x", count: 60))
            #expect(long.status == .ok && !long.contains("<td>haishu</td>"))
            #expect(try await browser.get("/accounts?q=hai").contains("<td>haishu</td>"))
        }
    }

    @Test func adminsCreateAccountsOnlyInsideTheirScope() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let school = try await Fixtures.child(app, of: haishu, "宁波市第二中学团委", .committee)
            let browser = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await browser.get("/accounts/new")
            let outside = try await browser.post("/accounts", ["kind": "administrator", "username": "jb2", "displayName": "江北", "unit": "330205"])
            #expect(outside.status == .unprocessableEntity)
            #expect(outside.contains("找不到该组织，或它不在您的管理范围内"))
            let above = try await browser.post("/accounts", ["kind": "administrator", "username": "city2", "displayName": "市", "unit": "330200"])
            #expect(above.status == .unprocessableEntity)
            let created = try await browser.post("/accounts", ["kind": "administrator", "username": "school", "displayName": "二中团委", "unit": school.code])
            #expect(created.status == .ok)
            let password = try #require(Browser.firstMatch(in: created.body, after: "id=\"one-time-password\">"))
                .components(separatedBy: "<").first!
            #expect(PasswordPolicy.problem(with: password) == nil)
            // The new administrator must replace the one-time password, then sees only their school.
            let schoolAdmin = Browser(app)
            try await schoolAdmin.signInFirstTime("school", password)
            #expect(try await schoolAdmin.get("/units/\(school.id!)").status == .ok)
            #expect(try await schoolAdmin.get("/units/\(haishu.id!)").status == .notFound)
        }
    }

    @Test func usernamesAreCheckedAndUnique() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let browser = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await browser.get("/accounts/new")
            let bad = try await browser.post("/accounts", ["kind": "administrator", "username": "1 bad!", "displayName": "x", "unit": "330203"])
            #expect(bad.contains("用户名须以字母开头"))
            let taken = try await browser.post("/accounts", ["kind": "administrator", "username": "haishu", "displayName": "x", "unit": "330203"])
            #expect(taken.contains("已被使用"))
            let member = try await browser.post("/accounts", ["kind": "member", "username": "member1", "displayName": "团员", "unit": "330203"])
            #expect(member.contains("请填写团员编号"))
            let missing = try await browser.post("/accounts", ["kind": "", "username": "", "displayName": "", "unit": ""])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.contains("请填写用户名"))
            #expect(missing.contains("请选择账号类型"))
        }
    }

    @Test func membersSeeOnlyThemselves() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let branch = try await Fixtures.child(app, of: haishu, "海曙区青年团支部", .branch)
            try await Fixtures.account(app, "member1", kind: .member, unit: branch)
            let browser = Browser(app)
            #expect(try await browser.signIn("member1", "Secret123").location == "/")
            let home = try await browser.get("/")
            #expect(home.contains("个人中心"))
            #expect(home.contains("海曙区青年团支部"))
            // Their own record, masked like everywhere else.
            #expect(home.contains("团员member1"))
            #expect(home.contains("330203********"))
            for path in ["/units/\(branch.id!)", "/tree", "/accounts", "/audit", "/requests"] {
                #expect(try await browser.get(path).status == .notFound, "\(path)")
            }
        }
    }

    @Test func lockedAccountsAreUnlockedAndPasswordsResetByAnAdminAbove() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let branch = try await Fixtures.child(app, of: haishu, "海曙区青年团支部", .branch)
            let member = try await Fixtures.account(app, "member1", kind: .member, unit: branch)
            let intruder = Browser(app)
            for _ in 1...5 { try await intruder.signIn("member1", "wrong123x") }
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            let list = try await admin.get("/accounts")
            #expect(list.contains("已锁定"))
            #expect(try await admin.post("/accounts/\(member.id!)/unlock").location == "/accounts")
            #expect(try await Browser(app).signIn("member1", "Secret123").location == "/")
            let reset = try await admin.post("/accounts/\(member.id!)/resetPassword")
            #expect(reset.contains("密码已重置"))
            #expect(try await Browser(app).signIn("member1", "Secret123").status == .unprocessableEntity)
            // Nobody acts on their own account this way.
            let me = try #require(try await Scope.unrestricted.accounts(on: app.db).filter(\.$username == "haishu").first())
            try await admin.get("/accounts")
            #expect(try await admin.post("/accounts/\(me.id!)/disable").location == "/accounts")
            #expect(try await admin.get("/").contains("不能对自己的账号进行此操作"))
        }
    }

    @Test func aMembersAccountBelongsToTheirRecordAndFollowsIt() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let a = try await Fixtures.child(app, of: haishu, "海曙区第一团支部", .branch)
            let b = try await Fixtures.child(app, of: haishu, "海曙区第二团支部", .branch)
            let outside = try await Fixtures.child(app, of: jiangbei, "江北区团支部", .branch)
            let member = try await Fixtures.member(app, "王小明", sequence: 123, in: a)
            try await Fixtures.member(app, "江北人", sequence: 125, in: outside)
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await admin.get("/accounts/new")
            let missing = try await admin.post("/accounts", ["kind": "member", "username": "wxm", "displayName": "王小明", "memberNumber": "T125"])
            #expect(missing.contains("找不到该团员，或不在您的管理范围内"))
            let created = try await admin.post("/accounts", ["kind": "member", "username": "wxm", "displayName": "王小明", "memberNumber": "T123"])
            #expect(created.contains("账号已创建"))
            let again = try await admin.post("/accounts", ["kind": "member", "username": "wxm2", "displayName": "王小明", "memberNumber": "T123"])
            #expect(again.contains("已有账号"))
            let account = try #require(try await Scope.unrestricted.accounts(on: app.db).filter(\.$username == "wxm").first())
            #expect(account.memberID == member.id)
            #expect(account.organizationID == a.id)
            // Moving the record to another branch takes the account along.
            try await admin.get("/members/\(member.id!)/edit")
            var fields = Fixtures.memberFields("王小明", id: "", number: "T123")
            fields["branch"] = b.code
            try await admin.post("/members/\(member.id!)/edit", fields)
            #expect(try await Scope.unrestricted.account(account.id, on: app.db).organizationID == b.id)
        }
    }
}
