import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

@Suite struct EvaluationTests {
    @Test func districtsReportTheCityReviewsAndTheRankingFollowsTheWeightedScores() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)

            // The work the computed indicators read: two 2018 tasks for 海曙区, one done; a farm target half reached.
            let tasks = try await WorkPlanEntry.query(on: app.db).filter(\.$kind == .task).sort(\.$id).range(0..<2).all()
            for task in tasks {
                try await city.get("/plans/tasks/\(task.id!)")
                try await city.post("/plans/tasks/\(task.id!)/assign", ["units": "330203", "deadline": "2099-12-31"])
            }
            try await city.post("/plans/tasks/\(tasks[0].id!)/targets", [
                "targetName": "新建青创农场", "measure": "家", "total": "20", "source": "farms", "year": "2018",
                "parts": "330203 10\n330205 10"])
            try await city.get("/farms")
            for index in 1...5 {
                try await city.post("/farms", ["name": "青创农场\(index)号", "operatorName": "李青", "unit": "330203",
                                               "level": "区级", "year": "2018", "helped": "3"])
            }
            let district = try await Fixtures.administrator(app, "haishu", of: haishu)
            let held = try #require(try await Scope.unrestricted.query(TaskAssignment.self, on: app.db).filter(\.$taskID == tasks[0].id!).first())
            try await district.get("/assignments/\(held.id!)")
            try await district.post("/assignments/\(held.id!)/report", ["text": "完成", "finished": "1"])

            // The city sets up the year: defaults, a wrong weight sum refused, then published.
            try await city.get("/evaluations")
            let created = try await city.post("/evaluations", ["year": "2018", "title": "2018年度区县（市）团委工作考核"])
            let schemeID = try #require(created.location.flatMap { Int($0.split(separator: "/").last!) })
            #expect(try await city.post("/evaluations", ["year": "2018", "title": "重复的考核"]).contains("2018 年度的考核已经存在"))
            try await city.get("/evaluations/\(schemeID)")
            try await city.post("/evaluations/\(schemeID)/indicators", ["name": "创新工作", "weight": "10", "source": "rated"])
            let tooHeavy = try await city.post("/evaluations/\(schemeID)/open")
            #expect(tooHeavy.contains("各项权重合计 110，比 100 多 10"))
            let extra = try #require(try await EvaluationIndicator.query(on: app.db).filter(\.$name == "创新工作").first())
            try await city.post("/evaluations/\(schemeID)/indicators/\(extra.id!)/delete")
            #expect(try await city.post("/evaluations/\(schemeID)/open").location == "/evaluations/\(schemeID)")
            let sheets = try await Scope.unrestricted.query(EvaluationSheet.self, on: app.db).all()
            #expect(sheets.count == 10)
            #expect(try await city.post("/evaluations/\(schemeID)/indicators", ["name": "迟到的指标", "weight": "5", "source": "rated"])
                .contains("考核已发布，指标不能再修改"))

            // 海曙区 sees the live figures, must score every rated indicator, and submits.
            let haishuSheet = try #require(sheets.first { $0.unitID == haishu.id })
            let sheetPage = try await district.get("/evaluations/sheets/\(haishuSheet.id!)")
            #expect(sheetPage.contains("50（实时）"))
            let indicators = try await EvaluationIndicator.query(on: app.db).filter(\.$schemeID == schemeID).sort(\.$position).all()
            let rated = indicators.filter { $0.source == .rated }
            #expect(rated.count == 3)
            let incomplete = try await district.post("/evaluations/sheets/\(haishuSheet.id!)/self",
                                                     ["action": "submit", "summary": "全年工作", "score\(rated[0].id!)": "90"])
            #expect(incomplete.contains("请给「团员青年评价」打自评分后再提交"))
            let outOfRange = try await district.post("/evaluations/sheets/\(haishuSheet.id!)/self", ["score\(rated[0].id!)": "101"])
            #expect(outOfRange.contains("自评分须为 0 到 100 之间的整数"))
            var scores = ["summary": "全年工作扎实推进", "action": "submit"]
            for indicator in rated { scores["score\(indicator.id!)"] = "95" }
            #expect(try await district.post("/evaluations/sheets/\(haishuSheet.id!)/self", scores).location
                == "/evaluations/sheets/\(haishuSheet.id!)")
            #expect(try await district.post("/evaluations/sheets/\(haishuSheet.id!)/self", scores).contains("自评已提交，如需修改请团市委退回"))
            // A farm added after submission does not change the frozen figure.
            try await city.post("/farms", ["name": "青创农场6号", "operatorName": "李青", "unit": "330203",
                                           "level": "区级", "year": "2018", "helped": "3"])

            // Others cannot see or review it.
            let other = try await Fixtures.administrator(app, "jiangbei", of: jiangbei)
            #expect(try await other.get("/evaluations/sheets/\(haishuSheet.id!)").status == .notFound)
            #expect(try await district.post("/evaluations/sheets/\(haishuSheet.id!)/review", ["action": "review"])
                .contains("只有团市委可以设置和审核考核"))

            // The city: sending back needs a reason; then it scores.
            try await city.get("/evaluations/sheets/\(haishuSheet.id!)")
            #expect(try await city.post("/evaluations/sheets/\(haishuSheet.id!)/review", ["action": "sendBack"]).contains("退回时请写明原因"))
            var review = ["action": "review", "comment": "总体良好"]
            for (indicator, value) in zip(rated, ["90", "80", "70"]) { review["review\(indicator.id!)"] = value }
            try await city.post("/evaluations/sheets/\(haishuSheet.id!)/review", review)
            // 30×50 (tasks) + 20×50 (farms 5 of 10) + 20×90 + 15×80 + 15×70 = 6550
            #expect(try await Scope.unrestricted.find(EvaluationSheet.self, haishuSheet.id, on: app.db).total == 6550)
            #expect(try await city.get("/evaluations/sheets/\(haishuSheet.id!)").contains("65.50"))

            // 江北区: no tasks (100), no farms (0), and full marks from the city: 3000 + 0 + 5000 = 8000.
            let jiangbeiSheet = try #require(sheets.first { $0.unitID == jiangbei.id })
            try await other.get("/evaluations/sheets/\(jiangbeiSheet.id!)")
            var full = ["action": "submit", "summary": "完成"]
            for indicator in rated { full["score\(indicator.id!)"] = "100" }
            try await other.post("/evaluations/sheets/\(jiangbeiSheet.id!)/self", full)
            try await city.get("/evaluations/sheets/\(jiangbeiSheet.id!)")
            var fullReview = ["action": "review"]
            for indicator in rated { fullReview["review\(indicator.id!)"] = "100" }
            try await city.post("/evaluations/sheets/\(jiangbeiSheet.id!)/review", fullReview)
            #expect(try await Scope.unrestricted.find(EvaluationSheet.self, jiangbeiSheet.id, on: app.db).total == 8000)

            // Ranking: the city sees both ranked; 海曙区 sees only its own place.
            let ranking = try await city.get("/evaluations/\(schemeID)")
            #expect(ranking.contains("<td>1</td><td><a href=\"/evaluations/sheets/\(jiangbeiSheet.id!)\">共青团宁波市江北区委员会</a>"))
            #expect(ranking.contains("<td>2</td><td><a href=\"/evaluations/sheets/\(haishuSheet.id!)\">共青团宁波市海曙区委员会</a>"))
            let own = try await district.get("/evaluations/\(schemeID)")
            #expect(own.contains("<td>2</td>"))
            #expect(!own.contains("江北区"))
            let csv = try await city.get("/evaluations/\(schemeID)/ranking.csv")
            #expect(csv.contains("名次,单位,重点任务完成情况（权重30）"))
            #expect(csv.contains("1,共青团宁波市江北区委员会,100,0,100,100,100,80.00,已审核"))
            #expect(csv.contains("2,共青团宁波市海曙区委员会,50,50,90,80,70,65.50,已审核"))
            #expect(!(try await district.get("/evaluations/\(schemeID)/ranking.csv").contains("江北区")))

            // The year closes only when every unit is reviewed.
            #expect(try await city.post("/evaluations/\(schemeID)/close").contains("还有 8 个单位未审核，不能结束考核"))
            #expect(try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action ~~ ["evaluation.submit", "evaluation.review"]).count() == 4)
        }
    }
}
