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
        routes.get("tree", use: show)
    }

    struct Row: Encodable {
        let id: Int
        let name: String
        let typeLabel: String
        let depth: Int
        let childCount: Int
        let isOpen: Bool
        let toggleQuery: String
        let more: Int
    }

    struct TreePage: Encodable {
        let rows: [Row]
    }

    @Sendable func show(req: Request) async throws -> Response {
        let scope = req.scope
        let actor = try req.requireActor()
        let root = try await scope.organization(actor.unitID, on: req.db)
        // Without an `open` list the caller's own unit starts open; with one, the list says it all.
        let requested = try? req.query.get(String.self, at: "open")
        let open = requested.map { Set($0.split(separator: ",").compactMap { Int($0) }.prefix(Self.maximumOpen)) } ?? [root.id!]
        var rows: [Row] = []
        let rootChildren = try await OrganizationQueries.children(of: root.id!, scope: scope, nameContains: nil,
                                                                  limit: 0, offset: 0, on: req.db).total
        try await append(id: root.id!, name: root.name, type: root.type, childCount: rootChildren, depth: 0,
                         open: open, into: &rows, req: req)
        return try await req.page("organizations/tree", title: "组织树", TreePage(rows: rows))
    }

    private func append(id: Int, name: String, type: OrganizationType, childCount: Int, depth: Int,
                        open: Set<Int>, into rows: inout [Row], req: Request) async throws {
        let isOpen = open.contains(id) && childCount > 0
        let toggled = isOpen ? open.subtracting([id]) : open.union([id])
        let children = isOpen
            ? try await OrganizationQueries.children(of: id, scope: req.scope, nameContains: nil,
                                                     limit: Self.childrenPerNode, offset: 0, on: req.db).rows
            : []
        rows.append(Row(id: id, name: name, typeLabel: type.label, depth: min(depth, 9), childCount: childCount,
                        isOpen: isOpen, toggleQuery: "open=" + toggled.sorted().map(String.init).joined(separator: ","),
                        more: isOpen ? max(0, childCount - children.count) : 0))
        for child in children {
            try await append(id: child.id, name: child.name, type: child.type, childCount: child.child_count,
                             depth: depth + 1, open: open, into: &rows, req: req)
        }
    }
}
