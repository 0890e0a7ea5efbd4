import Fluent
import LeagueCore
import Vapor

/// A year's plan at a glance for the caller's unit: progress by section, overdue tasks first,
/// targets against actuals, and the units directly below side by side.
struct DashboardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("plans", ":year", "dashboard", use: show)
    }

    struct Tally: Encodable {
        let name: String
        let total: Int
        let done: Int
        let overdue: Int
        let percent: Int
        let barWidth: Int

        init(name: String, _ assignments: [TaskAssignment], today: CalendarDate) {
            self.name = name
            total = assignments.count
            done = assignments.filter { $0.status == .done }.count
            overdue = assignments.filter { $0.status.isOverdue(deadline: CalendarDate($0.deadline) ?? today, today: today) }.count
            percent = TargetSplit.percent(actual: done, target: total)
            barWidth = percent * 2
        }
    }

    struct Page: Encodable {
        let year: Int
        let title: String
        let sections: [Tally]
        let overdue: [TaskController.Row]
        let hasOverdue: Bool
        let targets: [TaskController.TargetView]
        let hasTargets: Bool
        let units: [Tally]
        let hasUnits: Bool
    }

    @Sendable func show(req: Request) async throws -> Response {
        guard let year = req.parameters.get("year", as: Int.self),
              let plan = try await WorkPlan.query(on: req.db).filter(\.$year == year).first() else { throw Abort(.notFound) }
        let actor = try req.requireActor()
        let scope = req.scope
        let today = req.today
        let outline = try await WorkPlans.outline(plan, on: req.db)
        let taskIDs = outline.flatMap { $0.items.flatMap { $0.tasks.map(\.id) } }
        let assignments = try await scope.query(TaskAssignment.self, on: req.db).filter(\.$taskID ~~ taskIDs).all()
        let byTask = Dictionary(grouping: assignments, by: \.taskID)

        let sections = outline.map { section in
            Tally(name: "\(PlanText.chineseNumber(section.number))、\(section.title)",
                  section.items.flatMap { $0.tasks.flatMap { byTask[$0.id] ?? [] } }, today: today)
        }
        let overdue = assignments.filter { $0.status.isOverdue(deadline: CalendarDate($0.deadline) ?? today, today: today) }
        var targets: [TaskController.TargetView] = []
        for id in taskIDs { targets += try await TaskController.targets(task: id, scope: scope, on: req.db) }
        // The units directly below the caller's own, each with everything beneath it.
        let children = try await OrganizationQueries.children(of: actor.unitID, scope: scope, nameContains: nil,
                                                              limit: 200, offset: 0, on: req.db).rows
        let childPaths = try await scope.organizations(on: req.db).filter(\.$id ~~ children.map(\.id)).all()
        let units = childPaths.sorted { $0.code < $1.code }.map { unit in
            Tally(name: unit.name, assignments.filter { unit.path.contains($0.unitPath) }, today: today)
        }
        return try await req.page("workplan/dashboard", title: "\(plan.year)年度工作要点进度", Page(
            year: plan.year, title: plan.title, sections: sections,
            overdue: try await TaskController.rows(overdue, today: today, on: req.db), hasOverdue: !overdue.isEmpty,
            targets: targets, hasTargets: !targets.isEmpty, units: units, hasUnits: !units.isEmpty))
    }
}
