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
            #expect(try await Scope.system.auditEntries(on: app.db).filter(\.$action == "workplan.load").count() == 2)

            // Only the city committee loads plans; districts read them.
            let district = try await Fixtures.administrator(app, "haishu", of: try await Fixtures.unit(app, code: "330203"))
            #expect(try await district.get("/plans/2018").status == .ok)
            #expect(!(try await district.get("/plans").contains("load-plan")))
            #expect(try await district.post("/plans", ["text": next]).status == .forbidden)
            #expect(try await district.get("/plans/1999").status == .notFound)
        }
    }
}
