import Fluent
import Foundation
import LeagueCore
import SQLKit
import Testing
import Vapor
@testable import SmartLeague

@Suite struct TreeTests {
    @Test func theCityStartsWithItsTenDistricts() async throws {
        try await TestApp.run { app, _ in
            let root = try await Fixtures.unit(app, code: "330200")
            #expect(root.type == .cityCommittee)
            #expect(root.path.value == "/\(root.id!)/")
            let districts = try await Scope.unrestricted.organizations(on: app.db).filter(\.$parentID == root.id!).all()
            #expect(districts.count == 10)
            #expect(Set(districts.map(\.code)) == Set(NingboSeed.districts.map(\.code)))
            #expect(districts.allSatisfy { $0.path.value == "/\(root.id!)/\($0.id!)/" && $0.depth == 1 })
            // The suite runs on the engine CI asked for.
            #expect(app.db.isPostgres == (TestApp.postgresAdminURL != nil))
            // Preparing again changes nothing.
            #expect(try await Bootstrap.prepare(app) == nil)
            #expect(try await Scope.unrestricted.organizations(on: app.db).count() == 11)
        }
    }

    @Test func aParentCreatesChildrenThatFollowTheTypeRules() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let browser = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await browser.get("/units/\(haishu.id!)/children/new")
            let created = try await browser.post("/units/\(haishu.id!)/children",
                                                 ["name": "宁波市第一中学团委", "shortName": "一中团委", "type": "committee"])
            #expect(created.status == .seeOther)
            let school = try await Fixtures.unit(app, code: "宁波市第一中学团委")
            #expect(created.location == "/units/\(school.id!)")
            #expect(school.path.value == haishu.path.value + "\(school.id!)/")
            #expect(school.depth == 2)
            #expect(school.code.hasPrefix(haishu.code) && school.code.count == haishu.code.count + 4)
            let page = try await browser.get("/units/\(school.id!)")
            #expect(page.contains("已设立「宁波市第一中学团委」"))

            let branch = try await Fixtures.child(app, of: school, "高三(1)班团支部", .branch)
            try await browser.get("/units/\(branch.id!)")
            let underBranch = try await browser.post("/units/\(branch.id!)/children", ["name": "不该有的下级", "shortName": "x", "type": "branch"])
            #expect(underBranch.status == .unprocessableEntity)
            #expect(underBranch.contains("团支部是最基层组织，不能设立下级组织"))
            let wrongType = try await browser.post("/units/\(school.id!)/children", ["name": "某某区团委", "shortName": "x", "type": "districtCommittee"])
            #expect(wrongType.contains("团委下不能设立团区县（市）委"))
            let duplicate = try await browser.post("/units/\(school.id!)/children", ["name": "高三(1)班团支部", "shortName": "x", "type": "branch"])
            #expect(duplicate.contains("同一上级组织下已有名为「高三(1)班团支部」的组织"))
            let tooLong = try await browser.post("/units/\(school.id!)/children",
                                                 ["name": String(repeating: "长", count: 61), "shortName": String(repeating: "短", count: 21), "type": "nonsense"])
            #expect(tooLong.status == .unprocessableEntity)
            #expect(tooLong.contains("组织全称不能超过 60 个字"))
            #expect(tooLong.contains("简称不能超过 20 个字"))
            #expect(tooLong.contains("请选择组织类型"))
            let empty = try await browser.post("/units/\(school.id!)/children", [:])
            #expect(empty.contains("请填写组织全称"))
            #expect(try await Scope.unrestricted.organizations(on: app.db).filter(\.$parentID == school.id!).count() == 1)
        }
    }

    @Test func theUnitsAdminCompletesDetailsAndEveryChangeIsAudited() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let branch = try await Fixtures.child(app, of: haishu, "海曙区青年团支部", .branch)
            let own = try await Fixtures.administrator(app, "branchadmin", of: branch)
            try await own.get("/units/\(branch.id!)/edit")
            let bad = try await own.post("/units/\(branch.id!)/edit", ["contactPhone": "12345", "establishedOn": "2023-02-30",
                                                                      "summary": String(repeating: "字", count: 1001)])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.contains("联系电话格式不正确"))
            #expect(bad.contains("成立日期不是有效日期"))
            #expect(bad.contains("简介不能超过 1000 个字"))
            let saved = try await own.post("/units/\(branch.id!)/edit", ["contactPerson": "王小明", "contactPhone": "13805740000",
                                                                        "address": "海曙区中山西路 1 号", "establishedOn": "2020-05-04"])
            #expect(saved.location == "/units/\(branch.id!)")
            let fresh = try await Scope.unrestricted.organization(branch.id, on: app.db)
            #expect(fresh.contactPerson == "王小明")
            #expect(fresh.establishedOn == "2020-05-04")
            // A branch's own admin cannot mark its graduation date; the field is not even offered.
            #expect(!(try await own.get("/units/\(branch.id!)/edit").contains("graduationDate")))
            let upper = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await upper.get("/units/\(branch.id!)/edit")
            try await upper.post("/units/\(branch.id!)/edit", ["contactPerson": "王小明", "contactPhone": "13805740000",
                                                              "address": "海曙区中山西路 1 号", "establishedOn": "2020-05-04",
                                                              "graduationDate": "2027-06-30"])
            #expect(try await Scope.unrestricted.organization(branch.id, on: app.db).graduationDate == "2027-06-30")

            let entry = try #require(try await Scope.unrestricted.auditEntries(on: app.db)
                .filter(\.$action == "organization.update").filter(\.$actorName == "branchadmin(branchadmin)").first())
            #expect(entry.organizationID == branch.id)
            #expect(entry.organizationPath == branch.path)
            let changes = try JSONDecoder().decode([FieldChange].self, from: Data(entry.changes.utf8))
            #expect(changes.contains(FieldChange(field: "联系人", old: "", new: "王小明")))
            #expect(changes.contains(FieldChange(field: "成立日期", old: "", new: "2020-05-04")))
            // The audit page of the district shows it, filtered by actor and unit.
            let log = try await upper.get("/audit?actor=branchadmin&unit=\(branch.code)")
            #expect(log.contains("修改组织信息"))
            #expect(log.contains("王小明"))
            let empty = try await upper.get("/audit?actor=nobody")
            #expect(!empty.contains("王小明"))
            let future = try await upper.get("/audit?from=2099-01-01")
            #expect(!future.contains("王小明"))
            // The city's whole log is counted as the table; it is the count of the city's subtree.
            let root = try #require(try await Scope.unrestricted.organizations(on: app.db).filter(\.$parentID == nil).first())
            let city = Scope(reach: .subtree(root.path))
            let whole = try await AuditQueries.count(scope: city, filter: AuditQueries.Filter(), on: app.db)
            #expect(whole > 0)
            #expect(whole == (try await AuditQueries.count(scope: city, filter: AuditQueries.Filter(unitPath: root.path), on: app.db)))
            #expect(whole == (try await Scope.unrestricted.auditEntries(on: app.db).count()))
        }
    }

    @Test func anOwnAdminsRenameWaitsForTheParent() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let school = try await Fixtures.child(app, of: haishu, "宁波市第一中学团委", .committee)
            let own = try await Fixtures.administrator(app, "school", of: school)
            try await own.get("/units/\(school.id!)/rename")
            let asked = try await own.post("/units/\(school.id!)/rename", ["name": "宁波市第一中学委员会", "shortName": "一中"])
            #expect(asked.location == "/units/\(school.id!)")
            #expect(try await Scope.unrestricted.organization(school.id, on: app.db).name == "宁波市第一中学团委")
            // The school's own admin cannot approve it; the district can.
            let request = try #require(try await ChangeRequestRecord.query(on: app.db).first())
            try await own.get("/requests")
            try await own.post("/requests/\(request.id!)/approve")
            #expect(try await own.get("/requests").contains("本环节须由"))
            let district = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await district.get("/requests")
            try await district.post("/requests/\(request.id!)/approve")
            #expect(try await Scope.unrestricted.organization(school.id, on: app.db).name == "宁波市第一中学委员会")
            // A rename by the district applies at once.
            try await district.get("/units/\(school.id!)/rename")
            try await district.post("/units/\(school.id!)/rename", ["name": "宁波一中团委", "shortName": "一中"])
            #expect(try await Scope.unrestricted.organization(school.id, on: app.db).name == "宁波一中团委")
        }
    }

    @Test func aMoveNeedsTheOldParentThenTheNewOneAndCarriesTheSubtree() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let school = try await Fixtures.child(app, of: haishu, "宁波市第一中学团委", .committee)
            let general = try await Fixtures.child(app, of: school, "高三年级团总支", .generalBranch)
            let branch = try await Fixtures.child(app, of: general, "高三(1)班团支部", .branch)
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            try await city.get("/units/\(school.id!)/move")
            let intoItself = try await city.post("/units/\(school.id!)/move", ["target": general.code])
            #expect(intoItself.contains("不能移到本组织自己或其下级组织之下"))
            let asked = try await city.post("/units/\(school.id!)/move", ["target": jiangbei.code])
            #expect(asked.status == .seeOther)
            let request = try #require(try await ChangeRequestRecord.query(on: app.db).first())

            let jiangbeiAdmin = try await Fixtures.administrator(app, "jiangbei", of: jiangbei)
            let haishuAdmin = try await Fixtures.administrator(app, "haishu", of: haishu)
            // 江北区 sees the request (it is asked to receive the unit) but cannot take the first step.
            try await jiangbeiAdmin.get("/requests")
            try await jiangbeiAdmin.post("/requests/\(request.id!)/approve")
            #expect(try await jiangbeiAdmin.get("/requests").contains("本环节须由「共青团宁波市海曙区委员会」或其上级审批"))
            try await haishuAdmin.get("/requests")
            try await haishuAdmin.post("/requests/\(request.id!)/approve")
            #expect(try await Scope.unrestricted.organization(school.id, on: app.db).parentID == haishu.id)
            try await jiangbeiAdmin.get("/requests")
            try await jiangbeiAdmin.post("/requests/\(request.id!)/approve")

            let moved = try await Scope.unrestricted.organization(school.id, on: app.db)
            #expect(moved.parentID == jiangbei.id)
            #expect(moved.path.value == jiangbei.path.value + "\(school.id!)/")
            let movedBranch = try await Scope.unrestricted.organization(branch.id, on: app.db)
            #expect(movedBranch.path.value == jiangbei.path.value + "\(school.id!)/\(general.id!)/\(branch.id!)/")
            #expect(movedBranch.depth == 4)
            // Now it belongs to 江北区 and no longer to 海曙区.
            #expect(try await jiangbeiAdmin.get("/units/\(branch.id!)").status == .ok)
            #expect(try await haishuAdmin.get("/units/\(branch.id!)").status == .notFound)
            let actions = try await Scope.unrestricted.auditEntries(on: app.db).all().map(\.action)
            #expect(actions.filter { $0 == "organization.request_decide" }.count == 2)
            #expect(actions.contains("organization.move"))
        }
    }

    @Test func rejectionNeedsAReason() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let school = try await Fixtures.child(app, of: haishu, "宁波市第一中学团委", .committee)
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            try await city.get("/units/\(school.id!)/move")
            try await city.post("/units/\(school.id!)/move", ["target": "330205"])
            let request = try #require(try await ChangeRequestRecord.query(on: app.db).first())
            try await city.get("/requests")
            try await city.post("/requests/\(request.id!)/reject", ["reason": " "])
            #expect(try await city.get("/requests").contains("驳回时必须填写理由"))
            try await city.post("/requests/\(request.id!)/reject", ["reason": String(repeating: "长", count: 501)])
            #expect(try await city.get("/requests").contains("驳回理由不能超过 500 个字"))
            try await city.post("/requests/\(request.id!)/reject", ["reason": "不符合属地管理原则"])
            let fresh = try #require(try await ChangeRequestRecord.find(request.id, on: app.db))
            #expect(fresh.status == .rejected)
            #expect(fresh.reason == "不符合属地管理原则")
            #expect(try await Scope.unrestricted.organization(school.id, on: app.db).parentID == haishu.id)
        }
    }

    @Test func onlyEmptyUnitsAreDissolved() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let school = try await Fixtures.child(app, of: haishu, "宁波市第一中学团委", .committee)
            let branch = try await Fixtures.child(app, of: school, "高三(1)班团支部", .branch)
            try await Fixtures.account(app, "member1", kind: .member, unit: branch)
            try await Fixtures.account(app, "schooladmin", unit: school)
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await admin.get("/units/\(school.id!)/dissolve")
            let withChildren = try await admin.post("/units/\(school.id!)/dissolve", ["confirm": school.name])
            #expect(withChildren.contains("还有1 个下级组织"))
            let wrongName = try await admin.post("/units/\(branch.id!)/dissolve", ["confirm": "别的名字"])
            #expect(wrongName.contains("请输入组织全称以确认撤销"))
            let withMembers = try await admin.post("/units/\(branch.id!)/dissolve", ["confirm": branch.name])
            #expect(withMembers.contains("1 名团员"))
            // Its own admin cannot dissolve the unit they run.
            let own = try await Fixtures.administrator(app, "schooladmin2", of: school)
            try await own.get("/units/\(school.id!)/dissolve")
            #expect(try await own.post("/units/\(school.id!)/dissolve", ["confirm": school.name]).contains("只有上级组织可以撤销本组织"))

            let empty = try await Fixtures.child(app, of: school, "待撤销团支部", .branch)
            let done = try await admin.post("/units/\(empty.id!)/dissolve", ["confirm": "待撤销团支部"])
            #expect(done.location == "/units/\(school.id!)")
            #expect(try await Scope.unrestricted.organization(empty.id, on: app.db).status == .dissolved)
            #expect(try await admin.get("/units/\(school.id!)").contains("已撤销「待撤销团支部」"))
            // Once the message has been shown, the unit is gone from its parent's list.
            #expect(!(try await admin.get("/units/\(school.id!)").contains("待撤销团支部")))
            #expect(try await admin.get("/units/\(empty.id!)/edit").status == .notFound)
        }
    }

    @Test func mergingBranchesMovesTheirMembers() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let school = try await Fixtures.child(app, of: haishu, "宁波市第一中学团委", .committee)
            let a = try await Fixtures.child(app, of: school, "高三(1)班团支部", .branch)
            let b = try await Fixtures.child(app, of: school, "高三(2)班团支部", .branch)
            for n in 1...3 { try await Fixtures.account(app, "m\(n)", kind: .member, unit: a) }
            let branchAdmin = try await Fixtures.account(app, "aadmin", unit: a)
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await admin.get("/units/\(a.id!)/merge")
            #expect(try await admin.post("/units/\(a.id!)/merge", ["target": school.code]).contains("只有团支部之间可以合并"))
            #expect(try await admin.post("/units/\(a.id!)/merge", ["target": a.code]).contains("不能与自身合并"))
            let merged = try await admin.post("/units/\(a.id!)/merge", ["target": b.code])
            #expect(merged.location == "/units/\(b.id!)")
            #expect(try await Scope.unrestricted.accounts(on: app.db).filter(\.$organizationID == b.id!).filter(\.$kind == .member).count() == 3)
            let closed = try await Scope.unrestricted.organization(a.id, on: app.db)
            #expect(closed.status == .dissolved)
            #expect(closed.mergedIntoID == b.id)
            #expect(try await Scope.unrestricted.account(branchAdmin.id, on: app.db).disabled)
            #expect(try await admin.get("/units/\(b.id!)").contains("已并入本支部，转入 3 名团员"))
        }
    }

    @Test func aUnitWithThousandsOfChildrenPagesItsList() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let parent = try await Fixtures.child(app, of: haishu, "海曙区流动团员团工委", .workingCommittee)
            let change = Fixtures.context(app)
            let parentID = parent.id!
            try await app.writer.write(app.db) { db in
                for n in 1...3000 {
                    _ = try await OrganizationWrites.createChild(
                        of: parentID, .init(name: "第\(n)流动团员团支部", shortName: "流动\(n)", type: .mobileBranch), change, on: db)
                }
            }
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            let first = try await admin.get("/units/\(parentID)")
            #expect(first.contains("第 1 / 60 页，共 3000 条"))
            #expect(first.body.components(separatedBy: "<tr><td><a href=\"/units/").count - 1 == 50)
            let last = try await admin.get("/units/\(parentID)?page=60")
            #expect(last.contains("第3000流动团员团支部"))
            let beyond = try await admin.get("/units/\(parentID)?page=999")
            #expect(beyond.contains("第 60 / 60 页"))
            let search = try await admin.get("/units/\(parentID)?q=第2999")
            #expect(search.contains("共 1 条"))
            let wildcard = try await admin.get("/units/\(parentID)?q=%25")
            #expect(wildcard.contains("没有名称包含“%”的下级组织"))
            let tree = try await admin.get("/tree?open=\(haishu.id!),\(parentID)")
            #expect(!(try await admin.get("/tree?open=").contains("第1流动团员团支部")))
            #expect(tree.contains("还有 2900 个下级组织"))
            let codes = try await Scope.unrestricted.organizations(on: app.db).filter(\.$parentID == parentID).all().map(\.code)
            #expect(Set(codes).count == 3000)
        }
    }

    @Test func aFailedWriteLeavesNothingBehind() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let before = try await Scope.unrestricted.organizations(on: app.db).count()
            let auditBefore = try await Scope.unrestricted.auditEntries(on: app.db).count()
            let change = Fixtures.context(app)
            let parentID = haishu.id!
            await #expect(throws: Refusal.self) {
                try await app.writer.write(app.db) { db in
                    _ = try await OrganizationWrites.createChild(of: parentID, .init(name: "甲团支部", shortName: "甲", type: .branch), change, on: db)
                    // The second of the pair breaks a rule: the first must not stay.
                    _ = try await OrganizationWrites.createChild(of: parentID, .init(name: "甲团支部", shortName: "甲", type: .branch), change, on: db)
                }
            }
            #expect(try await Scope.unrestricted.organizations(on: app.db).count() == before)
            #expect(try await Scope.unrestricted.auditEntries(on: app.db).count() == auditBefore)
            #expect(try await Scope.unrestricted.organization(parentID, on: app.db).nextChildSeq == haishu.nextChildSeq)
        }
    }

    @Test func badAddressesAndIdsAreNotFoundNeverErrors() async throws {
        try await TestApp.run { app, first in
            let browser = Browser(app)
            try await browser.signInFirstTime(first.username, first.password)
            for path in ["/units/abc", "/units/-1", "/units/0", "/units/99999999999999999999", "/units/1/nothing", "/requests/1/approve"] {
                let response = try await browser.get(path)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.contains("不存在，或不在您的管理范围内"), "\(path)")
            }
            #expect(try await browser.post("/requests/12345/approve").status == .notFound)
            #expect(try await browser.get("/units/1?page=-5").status == .ok)
            #expect(try await browser.get("/tree?open=abc,-1,99999").status == .ok)
            #expect(try await browser.get("/audit?from=2024-02-30").status == .unprocessableEntity)
        }
    }
}

@Suite struct TreeFiguresTests {
    /// The home page's counts by type are kept beside the tree's stamp: read again while the tree
    /// stands still they are not worked out again; a unit founded, renamed, moved or dissolved
    /// shows on the next read.
    @Test func keptCountsFollowEveryChangeOfTheTree() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let kept = TreeFigures<String, [UnitTypeCounts.TypeCount]>(capacity: 10)
            var workedOut = 0
            func branches() async throws -> Int {
                try await kept.value("haishu", on: app.db) {
                    workedOut += 1
                    return try await UnitTypeCounts.read(under: haishu.path, scope: .unrestricted, on: app.db)
                }.first { $0.type == .generalBranch }?.count ?? 0
            }
            #expect(try await branches() == 0)
            #expect(try await branches() == 0 && workedOut == 1)
            let branch = try await Fixtures.child(app, of: haishu, "海曙区某团支部", .generalBranch)
            #expect(try await branches() == 1 && workedOut == 2)
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            try await app.writer.write(app.db) { db in try await OrganizationWrites.applyMove(branch, to: jiangbei, Fixtures.context(app), on: db) }
            #expect(try await branches() == 0)
            let back = try await Scope.unrestricted.organization(branch.id, on: app.db)
            try await app.writer.write(app.db) { db in try await OrganizationWrites.applyMove(back, to: haishu, Fixtures.context(app), on: db) }
            #expect(try await branches() == 1)
            try await app.writer.write(app.db) { db in try await OrganizationWrites.dissolve(branch.id!, Fixtures.context(app), on: db) }
            #expect(try await branches() == 0)
        }
    }
}

extension TreeTests {
    /// Many children of one parent in one write: codes follow on from the parent's earlier
    /// children, each path holds its own id, each gets its audit entry; a name taken twice, or
    /// already taken, refuses the whole batch.
    @Test func manyChildrenAtOnceAreLikeOneByOne() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let school = try await Fixtures.child(app, of: haishu, "宁波市第九中学团委", .committee)
            _ = try await Fixtures.child(app, of: school, "高一(1)班团支部", .branch)
            let change = Fixtures.context(app)
            let news = ["高一(2)班团支部", "高一(3)班团支部", "高一(4)班团支部"].map { OrganizationWrites.NewUnit(name: $0, shortName: $0, type: .branch) }
            let made = try await app.writer.write(app.db) { db in try await OrganizationWrites.createChildren(of: school.id!, news, change, on: db) }
            #expect(made.map(\.name) == news.map(\.name))
            #expect(made.map(\.code) == ["0002", "0003", "0004"].map { school.code + $0 })
            #expect(made.allSatisfy { $0.path == school.path.appending($0.id!) && $0.depth == school.depth + 1 && $0.parentID == school.id })
            let audited = try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action == "organization.create")
                .filter(\.$entityID ~~ made.map { String($0.id!) }).count()
            #expect(audited == 3)
            for names in [["高二(1)班团支部", "高二(1)班团支部"], ["高二(2)班团支部", "高一(3)班团支部"]] {
                let before = try await Scope.unrestricted.organizations(on: app.db).count()
                await #expect(throws: Refusal.self) {
                    try await app.writer.write(app.db) { db in
                        try await OrganizationWrites.createChildren(of: school.id!, names.map { .init(name: $0, shortName: $0, type: .branch) }, change, on: db)
                    }
                }
                #expect(try await Scope.unrestricted.organizations(on: app.db).count() == before)
            }
        }
    }
}

extension TreeTests {
    /// Children of several parents in one write (a level of the demo city) are what each parent's
    /// own batch would make: each under its own parent with its own codes and path, returned per
    /// parent in order; a name twice under one parent (even in two entries), or a unit the caller
    /// cannot see, refuses everything; the same name under two parents is no clash.
    @Test func childrenOfSeveralParentsAtOnce() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let first = try await Fixtures.child(app, of: haishu, "宁波市第九中学团委", .committee)
            let second = try await Fixtures.child(app, of: haishu, "宁波市第十中学团委", .committee)
            _ = try await Fixtures.child(app, of: second, "高一(1)班团支部", .branch)
            let change = Fixtures.context(app)
            @Sendable func units(_ names: [String]) -> [OrganizationWrites.NewUnit] { names.map { .init(name: $0, shortName: $0, type: .branch) } }
            let plan = [(first.id!, units(["高一(1)班团支部", "高一(2)班团支部"])), (second.id!, units(["高一(2)班团支部"])),
                        (first.id!, units([])), (first.id!, units(["高一(3)班团支部"]))]
            let made = try await app.writer.write(app.db) { db in try await OrganizationWrites.createChildren(plan, change, on: db) }
            #expect(made.map { $0.map(\.name) } == [["高一(1)班团支部", "高一(2)班团支部"], ["高一(2)班团支部"], [], ["高一(3)班团支部"]])
            #expect(made[0].map(\.code) == [first.code + "0001", first.code + "0002"])
            #expect(made[1].map(\.code) == [second.code + "0002"])
            #expect(made[3].map(\.code) == [first.code + "0003"])
            for (parent, children) in zip([first, second, first, first], made) {
                #expect(children.allSatisfy { $0.path == parent.path.appending($0.id!) && $0.parentID == parent.id && $0.depth == parent.depth + 1 })
            }
            let audited = try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action == "organization.create")
                .filter(\.$entityID ~~ made.joined().map { String($0.id!) }).all()
            #expect(audited.count == 4)
            #expect(audited.contains { $0.summary == "在「宁波市第十中学团委」下设立团支部「高一(2)班团支部」" })

            let before = try await Scope.unrestricted.organizations(on: app.db).count()
            let refused: [[(parentID: Int, units: [OrganizationWrites.NewUnit])]] = [
                [(first.id!, units(["高二(1)班团支部"])), (second.id!, units(["高二(1)班团支部"])), (first.id!, units(["高二(1)班团支部"]))],
                [(second.id!, units(["高二(2)班团支部"])), (first.id!, units(["高一(3)班团支部"]))],
            ]
            for plan in refused {
                await #expect(throws: Refusal.self) {
                    try await app.writer.write(app.db) { db in try await OrganizationWrites.createChildren(plan, change, on: db) }
                }
            }
            // A district's administrator cannot create under another district's unit.
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let elsewhere = ChangeContext(scope: Scope(reach: .subtree(jiangbei.path)), actor: .commandLine(), now: app.clock.now())
            await #expect(throws: (any Error).self) {
                try await app.writer.write(app.db) { db in
                    try await OrganizationWrites.createChildren([(first.id!, units(["高三(1)班团支部"]))], elsewhere, on: db)
                }
            }
            #expect(try await Scope.unrestricted.organizations(on: app.db).count() == before)
        }
    }
}
