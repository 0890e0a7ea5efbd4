import Fluent
import LeagueCore
import Vapor

/// The audit log of the caller's scope, by date, actor and unit.
struct AuditController: RouteCollection {
    static let pageSize = 50

    func boot(routes: any RoutesBuilder) throws {
        routes.get(AuditRoute.index, use: index)
    }

    @Sendable func index(req: Request) async throws -> Response {
        let scope = req.scope
        let (input, typed) = try req.validatedQuery(AuditFilterForm.self)
        var state = typed
        var filter: AuditQueries.Filter?
        if let input { filter = try await state.lookUp { try await AuditQueries.filter(input, scope: scope, on: req.db) } }
        guard let filter else {
            return try await req.page("audit/index", title: "操作日志",
                                      AuditPage([], pagination: Pagination(page: 1, pageSize: Self.pageSize, total: 0), form: state),
                                      status: .unprocessableEntity)
        }
        let total = try await AuditQueries.count(scope: scope, filter: filter, on: req.db)
        let keep = state.values.filter { AuditFilterForm.kept.contains($0.key) }
        let pagination = Pagination(page: Pagination.requestedPage(req), pageSize: Self.pageSize, total: total, keep: keep)
        let entries = try await AuditQueries.entries(scope: scope, filter: filter, limit: Self.pageSize, offset: pagination.offset, on: req.db)
        return try await req.page("audit/index", title: "操作日志", AuditPage(entries, pagination: pagination, form: state))
    }
}
