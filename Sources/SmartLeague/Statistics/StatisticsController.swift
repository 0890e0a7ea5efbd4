import Fluent
import LeagueCore
import Vapor

/// Statistics of any unit and below, as charts and a per-child table that pages and exports.
struct StatisticsController: RouteCollection {
    static let pageSize = 50

    func boot(routes: any RoutesBuilder) throws {
        routes.get(StatisticsRoute.show, use: show)
        routes.get(StatisticsRoute.export, use: export)
    }

    /// The unit asked for, which must not be dissolved.
    private func unit(_ req: Request) async throws -> Organization {
        let unit = try await req.chosenUnit()
        guard unit.isActive else { throw Abort(.notFound) }
        return unit
    }

    @Sendable func show(req: Request) async throws -> Response {
        let overview = try await StatisticsQueries.overview(of: try await unit(req), page: Pagination.requestedPage(req), pageSize: Self.pageSize,
                                                            scope: req.scope, on: req.db)
        return try await req.page("statistics/show", title: "团员统计", StatisticsPage(overview, today: req.today))
    }

    @Sendable func export(req: Request) async throws -> Response {
        let table = try await StatisticsQueries.table(of: try await unit(req), scope: req.scope, on: req.db)
        return .csv(StatisticsPage.csv(table, today: req.today), fileName: "statistics.csv")
    }
}
