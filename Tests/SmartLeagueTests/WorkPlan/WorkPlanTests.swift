import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

@Suite struct WorkPlanTests {
    @Test func the2018PlanIsThereOnFirstStartAndANewYearLoadsFromText() async throws {
        try await TestApp.run { app, first in
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            let page = try await city.get("/plans/2018")
            #expect(page.status == .ok)
            #expect(page.contains("2018年全市共青团工作要点"))
            #expect(page.contains("共 42 项任务"))
            #expect(page.contains("一是加强青创农场建设"))
            let text = try await city.get("/plans/2018/text")
            let plan2018 = try PlanText.parse(text.body).get()
            #expect(plan2018.taskCount == 42)

            // A malformed plan is refused whole, with line numbers.
            try await city.get("/plans")
            let bad = try await city.post("/plans", ["text": "计划：2019年工作要点\n年度：2019\n总体要求：x\n1. 无部分\n"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.contains("第 4 行：条目“1.”之前缺少部分标题"))
            #expect(try await WorkPlan.query(on: app.db).count() == 1)

            // Next year's plan starts as a copy of this year's text.
            let next = PlanText.render(PlanDocument(title: "2019年全市共青团工作要点", year: 2019,
                                                    requirement: plan2018.requirement, sections: plan2018.sections))
            let loaded = try await city.post("/plans", ["text": next])
            #expect(loaded.location == "/plans/2019")
            #expect(try await city.get("/plans").contains("2019 年：2019年全市共青团工作要点"))
            #expect(try await city.post("/plans", ["text": next]).contains("2019 年度的工作要点已经存在"))
            #expect(try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action == "workplan.load").count() == 2)

            // Only the city committee loads plans; districts read them.
            let district = try await Fixtures.administrator(app, "haishu", of: try await Fixtures.unit(app, code: "330203"))
            #expect(try await district.get("/plans/2018").status == .ok)
            #expect(!(try await district.get("/plans").contains("load-plan")))
            #expect(try await district.post("/plans", ["text": next]).status == .forbidden)
            #expect(try await district.get("/plans/1999").status == .notFound)
        }
    }
}

@Suite struct TaskAssignmentTests {
    @Test func theCityHandsATaskDownAndUnitsReportOnIt() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let school = try await Fixtures.child(app, of: haishu, "宁波市第一中学团委", .committee)
            let plan = try #require(try await WorkPlan.query(on: app.db).first())
            let farms = try #require(try await WorkPlanEntry.query(on: app.db).filter(\.$planID == plan.id!)
                .filter(\.$kind == .task).all().first { $0.text.hasPrefix("一是加强青创农场建设") })
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            try await city.get("/plans/tasks/\(farms.id!)")
            let late = try await city.post("/plans/tasks/\(farms.id!)/assign", ["units": "330203", "deadline": "2000-01-01"])
            #expect(late.contains("完成期限不能早于今天"))
            let unknown = try await city.post("/plans/tasks/\(farms.id!)/assign", ["units": "330203，不存在的单位", "deadline": "2099-12-31"])
            #expect(unknown.contains("找不到单位「不存在的单位」"))
            let assigned = try await city.post("/plans/tasks/\(farms.id!)/assign",
                                               ["units": "330203、330205", "leadOffice": "农村青年工作部", "deadline": "2099-12-31"])
            #expect(assigned.location == "/plans/tasks/\(farms.id!)")
            let haishuTask = try #require(try await Scope.unrestricted.query(TaskAssignment.self, on: app.db).filter(\.$unitID == haishu.id!).first())

            // 海曙区 sees its own task only, reports, and hands it down to a school.
            let district = try await Fixtures.administrator(app, "haishu", of: haishu)
            let list = try await district.get("/assignments")
            #expect(list.contains("共青团宁波市海曙区委员会"))
            #expect(!list.contains("共青团宁波市江北区委员会"))
            #expect(try await district.post("/plans/tasks/\(farms.id!)/assign", ["units": "330203", "deadline": "2099-12-31"])
                .contains("只有团市委可以分解"))
            try await district.get("/assignments/\(haishuTask.id!)")
            let tooLate = try await district.post("/assignments/\(haishuTask.id!)/handdown", ["units": school.code, "deadline": "2100-01-01"])
            #expect(tooLate.contains("完成期限不能晚于上级给定的 2099-12-31"))
            try await district.post("/assignments/\(haishuTask.id!)/handdown", ["units": school.code, "deadline": "2099-06-30"])
            #expect(try await Scope.unrestricted.query(TaskAssignment.self, on: app.db).filter(\.$parentID == haishuTask.id!).count() == 1)
            try await district.post("/assignments/\(haishuTask.id!)/report", ["text": "已建成青创农场 6 家", "figure": "6"])
            #expect(try await Scope.unrestricted.find(TaskAssignment.self, haishuTask.id, on: app.db).status == .underWay)
            try await district.post("/assignments/\(haishuTask.id!)/report", ["text": "全部完成", "finished": "1"])
            #expect(try await Scope.unrestricted.find(TaskAssignment.self, haishuTask.id, on: app.db).status == .done)
            // A closed task takes no more reports; the district cannot review its own task.
            let closed = try await district.post("/assignments/\(haishuTask.id!)/report", ["text": "补充"])
            #expect(closed.contains("该任务已完成，不能再报告进展"))
            #expect(try await district.post("/assignments/\(haishuTask.id!)/review", ["kind": "sendBack", "text": "x"])
                .contains("只有分解这项任务的上级可以点评或退回"))
            // The city sends it back; it is under way again.
            try await city.get("/assignments/\(haishuTask.id!)")
            try await city.post("/assignments/\(haishuTask.id!)/review", ["kind": "sendBack", "text": "请补充农场名单"])
            #expect(try await Scope.unrestricted.find(TaskAssignment.self, haishuTask.id, on: app.db).status == .underWay)
            let page = try await city.get("/assignments/\(haishuTask.id!)")
            #expect(page.contains("已建成青创农场 6 家"))
            #expect(page.contains("退回"))
            // Another district's task is not there for 海曙区.
            let jiangbeiTask = try #require(try await Scope.unrestricted.query(TaskAssignment.self, on: app.db).filter(\.$unitPath != haishu.path)
                .filter(\.$parentID == nil).all().first { $0.unitID != haishu.id })
            #expect(try await district.get("/assignments/\(jiangbeiTask.id!)").status == .notFound)
            #expect(try await district.post("/assignments/\(jiangbeiTask.id!)/report", ["text": "x"]).status == .notFound)
        }
    }
}

extension TaskAssignmentTests {
    @Test func aReportCarriesAFileThatOnlyThoseWhoSeeTheTaskCanOpen() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let task = try #require(try await WorkPlanEntry.query(on: app.db).filter(\.$kind == .task).first())
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            try await city.get("/plans/tasks/\(task.id!)")
            try await city.post("/plans/tasks/\(task.id!)/assign", ["units": "330203", "deadline": "2099-12-31"])
            let assignment = try #require(try await Scope.unrestricted.query(TaskAssignment.self, on: app.db).filter(\.$unitID == haishu.id!).first())
            let district = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await district.get("/assignments/\(assignment.id!)")

            // A file that is not what its name says is refused, and nothing is written.
            let renamed = try await district.upload("/assignments/\(assignment.id!)/report", ["text": "一季度小结"],
                                                    file: Data("MZ fake".utf8), filename: "小结.pdf", contentType: "application/pdf")
            #expect(renamed.status == .unprocessableEntity)
            #expect(renamed.contains("文件内容与扩展名 .pdf 不符"))
            #expect(try await TaskReport.query(on: app.db).count() == 0)

            let pdf = Data("%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n".utf8)
            let sent = try await district.upload("/assignments/\(assignment.id!)/report", ["text": "一季度小结", "figure": "3"],
                                                 file: pdf, filename: "一季度小结.pdf", contentType: "application/pdf")
            #expect(sent.location == "/assignments/\(assignment.id!)")
            let report = try #require(try await TaskReport.query(on: app.db).first())
            #expect(report.figure == 3)
            let file = try #require(try await Attachment.query(on: app.db).first())
            #expect(file.fileName == "一季度小结.pdf")
            let page = try await district.get("/assignments/\(assignment.id!)")
            #expect(page.contains("一季度小结.pdf"))
            let link = "/assignments/\(assignment.id!)/reports/\(report.id!)/files/\(file.id!)"
            #expect(page.contains(link))
            let download = try await city.get(link)
            #expect(download.status == .ok)
            #expect(download.body == String(decoding: pdf, as: UTF8.self))
            #expect(download.headers.first(name: .contentType) == "application/pdf")
            #expect(download.headers.first(name: .contentDisposition)?.contains("filename*=UTF-8''%E4%B8%80%E5%AD%A3%E5%BA%A6%E5%B0%8F%E7%BB%93.pdf") == true)
            let audit = try #require(try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action == "workplan.report").first())
            #expect(audit.changes.contains("一季度小结.pdf"))

            // Another district sees neither the task nor its file; a wrong pairing of ids is missing too.
            let jiangbei = try await Fixtures.administrator(app, "jiangbei", of: try await Fixtures.unit(app, code: "330205"))
            #expect(try await jiangbei.get(link).status == .notFound)
            #expect(try await city.get("/assignments/\(assignment.id!)/reports/\(report.id! + 1)/files/\(file.id!)").status == .notFound)
        }
    }
}

@Suite struct TargetTests {
    @Test func farmTargetsAreSplitAndMoveWithTheRegistry() async throws {
        try await TestApp.run { app, first in
            let plan = try #require(try await WorkPlan.query(on: app.db).first())
            let farms = try #require(try await WorkPlanEntry.query(on: app.db).filter(\.$planID == plan.id!)
                .filter(\.$kind == .task).all().first { $0.text.hasPrefix("一是加强青创农场建设") })
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            try await city.get("/plans/tasks/\(farms.id!)")
            let uneven = try await city.post("/plans/tasks/\(farms.id!)/targets", [
                "targetName": "新建青创农场", "measure": "家", "total": "50", "source": "farms", "year": "2026",
                "parts": "330203 30\n330205 15"])
            #expect(uneven.status == .unprocessableEntity)
            #expect(uneven.contains("各单位分解数合计 45，比总目标 50 少 5"))
            let set = try await city.post("/plans/tasks/\(farms.id!)/targets", [
                "targetName": "新建青创农场", "measure": "家", "total": "50", "source": "farms", "year": "2026",
                "parts": "330203 30\n330205 20"])
            #expect(set.location == "/plans/tasks/\(farms.id!)")
            #expect(try await city.get("/plans/tasks/\(farms.id!)").contains("实际 <span class=\"target-actual\">0</span>家"))

            // A district registers a farm under a township committee: the city's actual moves.
            let haishu = try await Fixtures.unit(app, code: "330203")
            let township = try await Fixtures.child(app, of: haishu, "海曙区某街道团工委", .workingCommittee)
            let district = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await district.get("/farms")
            let bad = try await district.post("/farms", ["name": "青", "operatorName": "", "unit": "330205", "year": "18", "helped": "-1"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.contains("农场名称至少 2 个字"))
            try await district.post("/farms", ["name": "鄞江青创农场", "operatorName": "李青", "unit": township.code,
                                               "level": "区级", "year": "2026", "helped": "12"])
            #expect(try await district.get("/farms").contains("鄞江青创农场"))
            let page = try await city.get("/plans/tasks/\(farms.id!)")
            #expect(page.contains("实际 <span class=\"target-actual\">1</span>家"))
            // 江北区's admin does not see 海曙区's farm.
            let jiangbei = try await Fixtures.administrator(app, "jiangbei", of: try await Fixtures.unit(app, code: "330205"))
            #expect(!(try await jiangbei.get("/farms").contains("鄞江青创农场")))
            // Internships count the same way.
            try await district.get("/internships")
            let wrong = try await district.post("/internships", ["base": "宁波青年见习基地", "post": "文员", "intern": "王小明",
                                                                 "unit": "330203", "startsOn": "2026-07-01", "endsOn": "2026-06-01"])
            #expect(wrong.contains("结束日期不能早于开始日期"))
            try await district.post("/internships", ["base": "宁波青年见习基地", "post": "文员", "intern": "王小明",
                                                     "unit": "330203", "startsOn": "2026-07-01", "endsOn": "2026-12-31"])
            #expect(try await Scope.unrestricted.query(Internship.self, on: app.db).count() == 1)

            // Young farmers helped add up from the farms (a sum, on both databases).
            try await city.post("/plans/tasks/\(farms.id!)/targets", [
                "targetName": "帮扶青年农民", "measure": "人", "total": "1000", "source": "farmersHelped", "year": "2026",
                "parts": "330203 600\n330205 400"])
            #expect(try await city.get("/plans/tasks/\(farms.id!)").contains("实际 <span class=\"target-actual\">12</span>人"))

            // A reported target takes the unit's latest figure.
            try await city.post("/plans/tasks/\(farms.id!)/targets", [
                "targetName": "帮扶青年农民（报送）", "measure": "人", "total": "1000", "source": "reported", "year": "2026",
                "parts": "330203 1000"])
            try await city.post("/plans/tasks/\(farms.id!)/assign", ["units": "330203", "deadline": "2099-12-31"])
            let assignment = try #require(try await Scope.unrestricted.query(TaskAssignment.self, on: app.db).filter(\.$unitID == haishu.id!).first())
            try await district.get("/assignments/\(assignment.id!)")
            try await district.post("/assignments/\(assignment.id!)/report", ["text": "第一批", "figure": "300"])
            try await district.post("/assignments/\(assignment.id!)/report", ["text": "无数字的说明"])
            try await district.post("/assignments/\(assignment.id!)/report", ["text": "第二批", "figure": "420"])
            #expect(try await city.get("/plans/tasks/\(farms.id!)").contains("实际 <span class=\"target-actual\">420</span>人"))

            // The dashboard: sections, targets, and the districts side by side; a district sees its part.
            let dashboard = try await city.get("/plans/2026/dashboard")
            #expect(dashboard.status == .notFound)
            let board = try await city.get("/plans/2018/dashboard")
            #expect(board.status == .ok)
            #expect(board.contains("二、紧扣党政中心"))
            #expect(board.contains("<td>新建青创农场</td><td>50家</td><td>1家</td>"))
            #expect(board.contains("<td>共青团宁波市海曙区委员会</td><td>1</td><td>0</td><td>0</td><td>0%</td>"))
            let districtBoard = try await district.get("/plans/2018/dashboard")
            #expect(districtBoard.status == .ok)
            #expect(!districtBoard.contains("共青团宁波市江北区委员会"))
        }
    }
}

extension TargetTests {
    @Test func anInternshipTargetGrowsTwentyPercentOnEachUnitsLastYear() async throws {
        try await TestApp.run { app, first in
            let task = try #require(try await WorkPlanEntry.query(on: app.db).filter(\.$kind == .task).all()
                .first { $0.text.hasPrefix("三是继续推进见习工作") })
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            try await city.get("/internships")
            for (index, unit) in ["330203", "330203", "330203", "330203", "330203", "330205", "330205"].enumerated() {
                try await city.post("/internships", ["base": "宁波青年见习基地", "post": "文员", "intern": "见习生\(index)",
                                                     "unit": unit, "startsOn": "2025-03-01", "endsOn": "2025-08-31"])
            }
            try await city.get("/plans/tasks/\(task.id!)")
            let fields = ["targetName": "青年上岗见习", "measure": "人", "source": "internships", "year": "2026", "growth": "20"]
            let typedAmounts = try await city.post("/plans/tasks/\(task.id!)/targets", fields.merging(["parts": "330203 6"]) { $1 })
            #expect(typedAmounts.contains("第 1 行只写单位代码或全称"))
            let reported = try await city.post("/plans/tasks/\(task.id!)/targets",
                                               fields.merging(["parts": "330203", "source": "reported"]) { $1 })
            #expect(reported.contains("实际数须来自系统登记"))
            let set = try await city.post("/plans/tasks/\(task.id!)/targets", fields.merging(["parts": "330203\n330205"]) { $1 })
            #expect(set.location == "/plans/tasks/\(task.id!)")
            // 5 × 1.2 = 6 and 2 × 1.2 = 2.4, rounded up to 3: the total is 9 on a base of 7.
            let target = try #require(try await TaskTarget.query(on: app.db).first())
            #expect(target.total == 9)
            #expect(target.growthPercent == 20)
            let parts = try await TaskTargetPart.query(on: app.db).sort(\.$id).all()
            #expect(parts.map(\.amount) == [6, 3])
            #expect(parts.map(\.base) == [5, 2])
            var page = try await city.get("/plans/tasks/\(task.id!)")
            #expect(page.contains("2025 年实际 7人，增长 20%"))
            #expect(page.contains("实际 <span class=\"target-actual\">0</span>人"))
            try await city.post("/internships", ["base": "宁波青年见习基地", "post": "会计", "intern": "新见习生",
                                                 "unit": "330205", "startsOn": "2026-03-01", "endsOn": "2026-08-31"])
            page = try await city.get("/plans/tasks/\(task.id!)")
            #expect(page.contains("实际 <span class=\"target-actual\">1</span>人"))
        }
    }

    /// A registry lists fifty entries a page, newest first, and every entry is on some page (a
    /// single list stopped at its 500th entry).
    @Test func aRegistryPagesThroughEveryEntryNewestFirst() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            for day in 1...51 {
                let placement = Internship()
                placement.base = "见习基地"; placement.post = "文员"; placement.intern = "见习生\(day)号"
                placement.unitID = haishu.id!; placement.unitPath = haishu.path
                // One a day from 1 March: the 51st starts latest.
                placement.startsOn = CalendarDate(year: 2026, month: 3, day: 1)!.adding(days: day - 1).description
                placement.endsOn = "2026-12-31"; placement.year = 2026; placement.createdAt = app.clock.now()
                try await placement.create(on: app.db)
            }
            let district = try await Fixtures.administrator(app, "haishu", of: haishu)
            let first = try await district.get("/internships")
            #expect(first.contains("第 1 / 2 页，共 51 条") && first.contains("见习生51号") && !first.contains("见习生1号<"))
            let second = try await district.get("/internships?page=2")
            #expect(second.contains("见习生1号<") && !second.contains("见习生51号"))
        }
    }
}
