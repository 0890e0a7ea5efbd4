import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

/// The demo city's work plan: both years' plans, tasks at every level in every state, registries,
/// targets with actuals, and both years' evaluations, seen by the city and by the demo branch.
@Suite struct WorkPlanDemoTests {
    @Test func theDemoCityHasAWorkingYearOfThePlan() async throws {
        try await TestApp.run { app, _ in
            _ = try await DemoCity.build(app, members: 400, seed: 11)
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
            let year = today.year
            let plans = try await WorkPlan.query(on: app.db).all().map(\.year)
            #expect(plans.contains(year) && plans.contains(year - 1))

            let assignments = try await Scope.unrestricted.query(TaskAssignment.self, on: app.db).all()
            #expect(Set(assignments.map(\.status)) == Set(TaskStatus.allCases))
            #expect(assignments.contains { $0.status.isOverdue(deadline: CalendarDate($0.deadline)!, today: today) })
            // Handed from the city to districts, on to committees and to branches.
            #expect(Set(assignments.map(\.unitPath.depth)).isSuperset(of: [1, 2]))
            #expect(assignments.contains { $0.unitPath.depth >= 3 })
            let reports = try await TaskReport.query(on: app.db).all()
            #expect(Set(reports.map(\.kind)) == [.report, .comment, .sendBack])
            // A sent-back task is under way again.
            for sentBack in Set(reports.filter { $0.kind == .sendBack }.map(\.assignmentID)) {
                #expect(assignments.first { $0.id == sentBack }?.status == .underWay)
            }

            #expect(try await YouthFarm.query(on: app.db).filter(\.$year == year).count() >= 40)
            #expect(try await Internship.query(on: app.db).filter(\.$year == year - 1).count() >= 50)
            let targets = try await TaskTarget.query(on: app.db).filter(\.$year == year).all()
            #expect(Set(targets.map(\.source)) == Set(TargetSource.allCases))
            for target in targets {
                let parts = try await Scope.unrestricted.query(TaskTargetPart.self, on: app.db).filter(\.$targetID == target.id!).all()
                #expect(parts.count == 10)
                if target.growthPercent == nil { #expect(parts.reduce(0) { $0 + $1.amount } == target.total) }
                let actual = try await TargetWrites.actual(target, unitPath: parts[0].unitPath, unitID: parts[0].unitID, on: app.db)
                #expect(actual > 0)
            }

            let schemes = try await EvaluationScheme.query(on: app.db).sort(\.$year).all()
            #expect(schemes.map(\.status) == [.closed, .open])
            let sheets = try await Scope.unrestricted.query(EvaluationSheet.self, on: app.db).all()
            #expect(sheets.filter { $0.schemeID == schemes[0].id }.allSatisfy { $0.status == .reviewed && $0.total != nil })
            #expect(Set(sheets.filter { $0.schemeID == schemes[1].id }.map(\.status)) == Set(SheetStatus.allCases))
            #expect(sheets.contains { $0.status == .draft && $0.reviewComment != nil })

            let city = Browser(app)
            _ = try await city.signIn("demo.city", DemoCity.demoPassword)
            // Fifty a page, the overdue first: the done ones follow on a later page.
            let cityTasks = try await city.get("/assignments")
            #expect(cityTasks.status == .ok && cityTasks.contains("已逾期") && cityTasks.contains("rel=\"next\""))
            let pages = (try await WorkPlanQueries.assignmentCount(scope: .unrestricted, on: app.db) + 49) / 50
            var seenDone = false
            for page in 1...max(1, pages) where !seenDone { seenDone = try await city.get("/assignments?page=\(page)").contains("已完成") }
            #expect(seenDone)
            let dashboard = try await city.get("/plans/\(year)/dashboard")
            #expect(dashboard.status == .ok)
            let evaluation = try await city.get("/evaluations/\(schemes[1].id!)")
            #expect(evaluation.status == .ok && evaluation.contains("已审核") && evaluation.contains("待审核"))

            let branch = Browser(app)
            _ = try await branch.signIn("demo.branch", DemoCity.demoPassword)
            let branchTasks = try await branch.get("/assignments")
            #expect(branchTasks.status == .ok)
            let branchUnit = try await Account.query(on: app.db).filter(\.$username == "demo.branch").first()!.organizationID
            let own = assignments.filter { $0.unitID == branchUnit }
            #expect(!own.isEmpty)
            for assignment in own { #expect(branchTasks.contains("/assignments/\(assignment.id!)")) }
        }
    }
}
