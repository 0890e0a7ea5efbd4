import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

@Suite struct MemberRegistryTests {
    @Test func anAdminRegistersAMemberInABranchOfTheirScope() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let branch = try await Fixtures.child(app, of: haishu, "海曙区青年团支部", .branch)
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await admin.get("/members/new?branch=\(branch.id!)")
            let id = Fixtures.residentID(birth: "2000-01-01", sequence: 123)
            var fields = Fixtures.memberFields("王小明", id: id, number: "NB001")
            fields["branch"] = haishu.code
            let notABranch = try await admin.post("/members", fields)
            #expect(notABranch.status == .unprocessableEntity)
            #expect(notABranch.contains("团员的组织关系只能在团支部"))
            fields["branch"] = branch.code
            let created = try await admin.post("/members", fields)
            #expect(created.status == .seeOther)
            let member = try #require(try await Scope.unrestricted.members(on: app.db).first())
            #expect(member.idMasked == "330203********\(id.suffix(4))")
            #expect(!member.idSealed.contains(id))
            #expect(member.branchPath == branch.path)
            // The page shows the masked number; 查看 reveals it and leaves a trace.
            let page = try await admin.get("/members/\(member.id!)")
            #expect(page.contains("330203********"))
            #expect(!page.contains(id))
            #expect(!page.contains("13805741234"))
            let revealed = try await admin.post("/members/\(member.id!)/reveal")
            #expect(revealed.contains(id))
            let reveal = try #require(try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action == "member.reveal").first())
            #expect(reveal.actorName.contains("haishu"))
            #expect(reveal.organizationPath == branch.path)
            // The same person cannot be registered twice.
            fields["memberNumber"] = "NB002"
            fields["residentID"] = id.lowercased()
            let again = try await admin.post("/members", fields)
            #expect(again.contains("该身份证号码已登记为团员"))
            #expect(try await Scope.unrestricted.members(on: app.db).count() == 1)
        }
    }

    @Test func editingAuditsEachChangedFieldAndKeepsTheID() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let branch = try await Fixtures.child(app, of: haishu, "海曙区青年团支部", .branch)
            let member = try await Fixtures.member(app, "王小明", sequence: 123, in: branch)
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            let form = try await admin.get("/members/\(member.id!)/edit")
            #expect(!form.contains(Fixtures.residentID(birth: "2000-01-01", sequence: 123)))
            var fields = Fixtures.memberFields("王晓明", id: "", number: "T123")
            fields["branch"] = branch.code
            fields["education"] = "研究生"
            let saved = try await admin.post("/members/\(member.id!)/edit", fields)
            #expect(saved.location == "/members/\(member.id!)")
            let fresh = try await Scope.unrestricted.member(member.id, on: app.db)
            #expect(fresh.name == "王晓明")
            #expect(fresh.idSealed == member.idSealed)
            let entry = try #require(try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action == "member.update").first())
            let changes = try JSONDecoder().decode([FieldChange].self, from: Data(entry.changes.utf8))
            #expect(changes == [FieldChange(field: "姓名", old: "王小明", new: "王晓明"),
                                FieldChange(field: "学历", old: "本科", new: "研究生")])
        }
    }

    @Test func searchStaysInScopeAndFindsByEveryKey() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let hsBranch = try await Fixtures.child(app, of: haishu, "海曙区青年团支部", .branch)
            let jbBranch = try await Fixtures.child(app, of: jiangbei, "江北区青年团支部", .branch)
            try await Fixtures.member(app, "王小明", birth: "2000-01-01", sequence: 101, in: hsBranch)
            try await Fixtures.member(app, "王大明", birth: "1996-03-01", sequence: 102, in: hsBranch, joined: "2012-05-04")
            try await Fixtures.member(app, "李华", birth: "2010-06-01", sequence: 105, in: hsBranch, joined: "2024-07-01")
            let outsider = try await Fixtures.member(app, "王江北", birth: "2000-01-01", sequence: 103, in: jbBranch)
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            let all = try await admin.get("/members")
            #expect(all.contains("共 3 条"))
            #expect(!all.contains("王江北"))
            #expect(try await admin.get("/members?q=王").contains("共 2 条"))
            #expect(try await admin.get("/members?number=T105").contains("李华"))
            let exactID = try await admin.get("/members?idNumber=\(Fixtures.residentID(birth: "1996-03-01", sequence: 102))")
            #expect(exactID.contains("共 1 条") && exactID.contains("王大明"))
            // An exact ID of someone outside the scope finds nothing, as if unknown.
            let outsideID = try await admin.get("/members?idNumber=\(Fixtures.residentID(birth: "2000-01-01", sequence: 103))")
            #expect(outsideID.contains("没有符合条件的团员"))
            #expect(try await admin.get("/members?idNumber=123").contains("身份证号码应为 18 位"))
            #expect(try await admin.get("/members?age=under18").contains("李华"))
            #expect(try await admin.get("/members?age=from28").contains("王大明"))
            #expect(try await admin.get("/members?overage=1").contains("共 1 条"))
            #expect(try await admin.get("/members?gender=female").contains("共 1 条"))
            #expect(try await admin.get("/members?unit=\(jbBranch.code)").contains("找不到该组织"))
            #expect(try await admin.get("/members/\(outsider.id!)").status == .notFound)
            #expect(try await admin.post("/members/\(outsider.id!)/reveal").status == .notFound)
            #expect(try await admin.get("/members?sort=birthDate&dir=desc").body.range(of: "李华")!.lowerBound
                    < (try await admin.get("/members?sort=birthDate&dir=desc")).body.range(of: "王大明")!.lowerBound)
        }
    }

    @Test func exportIsMaskedScopedAndSafeForSpreadsheets() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let branch = try await Fixtures.child(app, of: haishu, "海曙区青年团支部", .branch)
            let jbBranch = try await Fixtures.child(app, of: jiangbei, "江北区青年团支部", .branch)
            try await Fixtures.member(app, "=HYPERLINK(1)", sequence: 201, in: branch)
            try await Fixtures.member(app, "王江北", sequence: 202, in: jbBranch)
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            let csv = try await admin.get("/members/export")
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.subType == "csv")
            #expect(csv.body.hasPrefix("\u{FEFF}姓名,性别"))
            #expect(csv.contains("'=HYPERLINK(1)"))
            #expect(csv.contains("330203********"))
            #expect(!csv.contains(Fixtures.residentID(birth: "2000-01-01", sequence: 201)))
            #expect(!csv.contains("13805741234"))
            #expect(!csv.contains("王江北"))
            #expect(try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action == "member.export").count() == 1)
        }
    }

    @Test func membersFollowTheirBranchThroughMovesMergesAndDissolution() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let school = try await Fixtures.child(app, of: haishu, "宁波市第一中学团委", .committee)
            let a = try await Fixtures.child(app, of: school, "高三(1)班团支部", .branch)
            let b = try await Fixtures.child(app, of: school, "高三(2)班团支部", .branch)
            let member = try await Fixtures.member(app, "王小明", sequence: 301, in: a)
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await admin.get("/units/\(a.id!)/dissolve")
            #expect(try await admin.post("/units/\(a.id!)/dissolve", ["confirm": a.name]).contains("1 名团员"))
            try await admin.post("/units/\(a.id!)/merge", ["target": b.code])
            var moved = try await Scope.unrestricted.member(member.id, on: app.db)
            #expect(moved.branchID == b.id)
            #expect(moved.branchPath == b.path)
            // Moving the school to 江北区 carries the member's path along.
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            try await city.moveApproved(school, to: jiangbei)
            moved = try await Scope.unrestricted.member(member.id, on: app.db)
            #expect(moved.branchPath.value == jiangbei.path.value + "\(school.id!)/\(b.id!)/")
            #expect(try await admin.get("/members/\(member.id!)").status == .notFound)
        }
    }
}
