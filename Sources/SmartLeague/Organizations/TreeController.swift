import Fluent
import LeagueCore
import Vapor

/// The organisation tree, opened node by node. The open nodes travel in the address
/// (`?open=12,57`), so the page works without script and can be bookmarked; each open node
/// lists its first children, and its own page pages through the rest.
struct TreeController: RouteCollection {
    static let childrenPerNode = 100
    static let maximumOpen = 30

    func boot(routes: any RoutesBuilder) throws {
        routes.get(TreeRoute.show, use: show)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let root = try await req.scope.organization(try req.requireActor().unitID, on: req.db)
        // Without an `open` list the caller's own unit starts open; with one, the list says it all.
        let requested = try? req.query.get(String.self, at: "open")
        let open = requested.map { Set($0.split(separator: ",").compactMap { Int($0) }.prefix(Self.maximumOpen)) } ?? [root.id ?? 0]
        let nodes = try await OrganizationQueries.tree(from: root, open: open, childrenPerNode: Self.childrenPerNode,
                                                       scope: req.scope, on: req.db)
        return try await req.page("organizations/tree", title: "组织树", TreePage(nodes, open: open))
    }
}
