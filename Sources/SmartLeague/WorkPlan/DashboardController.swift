import Fluent
import LeagueCore
import Vapor

/// A year's plan at a glance for the caller's unit: progress by section, overdue tasks first,
/// targets against actuals, and the units directly below side by side.
struct DashboardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(DashboardRoute.show(.key), use: show)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let year = try req.id("year")
        let actor = try req.requireActor()
        let dashboard = try await WorkPlanQueries.dashboard(year: year, unitID: actor.unitID, scope: req.scope, today: req.today, on: req.db)
        return try await req.page("workplan/dashboard", title: "\(dashboard.plan.year)年度工作要点进度", DashboardPage(dashboard, today: req.today))
    }
}
