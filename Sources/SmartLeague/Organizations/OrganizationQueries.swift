import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Read models of the tree for pages: plain rows through SQLKit, always within the caller's scope.
enum OrganizationQueries {
    struct ChildRow: Codable, Sendable {
        let id: Int
        let code: String
        let name: String
        let short_name: String
        let type: OrganizationType
        let child_count: Int
    }

    /// Active direct children of a unit, a page at a time, optionally filtered by name.
    static func children(of parentID: Int, scope: Scope, nameContains: String?, limit: Int, offset: Int,
                         on db: any Database) async throws -> (rows: [ChildRow], total: Int) {
        let filter = nameContains.flatMap { $0.isEmpty ? nil : $0 }
        let rows = try await select(parentID: parentID, scope: scope, nameContains: filter, on: db)
            .column(SQLColumn("id", table: "o")).column(SQLColumn("code", table: "o"))
            .column(SQLColumn("name", table: "o")).column(SQLColumn("short_name", table: "o"))
            .column(SQLColumn("type", table: "o"))
            .column(SQLRaw("(SELECT COUNT(*) FROM organizations c WHERE c.parent_id = o.id AND c.status = 'active')"), as: "child_count")
            .orderBy(SQLColumn("code", table: "o"))
            .limit(limit).offset(offset)
            .all(decoding: ChildRow.self)
        struct Count: Decodable { let total: Int }
        let total = try await select(parentID: parentID, scope: scope, nameContains: filter, on: db)
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "total")
            .first(decoding: Count.self)?.total ?? 0
        return (rows, total)
    }

    private static func select(parentID: Int, scope: Scope, nameContains: String?, on db: any Database) -> SQLSelectBuilder {
        var select = db.sql.select()
            .from(SQLAlias(SQLIdentifier(Organization.schema), as: SQLIdentifier("o")))
            .where(SQLColumn("parent_id", table: "o"), .equal, SQLBind(parentID))
            .where(SQLColumn("status", table: "o"), .equal, SQLBind(Organization.Status.active.rawValue))
        if let text = nameContains { select = select.where(containsText("o.name", text)) }
        return scope.restrict(select, paths: [SQLColumn("path", table: "o")])
    }

    /// The unit's ancestors that the caller may see, from the top down.
    static func ancestors(of unit: Organization, scope: Scope, on db: any Database) async throws -> [Organization] {
        let ids = Array(unit.path.ids.dropLast())
        guard !ids.isEmpty else { return [] }
        return try await scope.organizations(on: db).filter(\.$id ~~ ids).sort(\.$depth).all()
    }

    /// Accounts bound to the unit itself, by kind.
    static func accountCounts(of unitID: Int, scope: Scope, on db: any Database) async throws -> (administrators: Int, members: Int) {
        let administrators = try await scope.accounts(on: db).filter(\.$organizationID == unitID)
            .filter(\.$kind == .administrator).filter(\.$disabled == false).count()
        let members = try await scope.accounts(on: db).filter(\.$organizationID == unitID).filter(\.$kind == .member).count()
        return (administrators, members)
    }

    // MARK: Pages

    /// What a unit's page shows besides the unit: a page of its direct children (the last page
    /// when the number asked for is past the end), the units above it, counts and requests.
    struct Overview {
        let unit: Organization
        let nameContains: String
        let children: [ChildRow]
        let pagination: Pagination
        let ancestors: [Organization]
        let counts: [UnitTypeCounts.TypeCount]
        let administrators: Int
        let memberAccounts: Int
        let memberTotal: Int
        let requests: [ChangeRequestQueries.Row]
    }

    static func overview(of unit: Organization, nameContains q: String, page requested: Int, pageSize: Int, scope: Scope,
                         typeCounts: TreeFigures<String, [UnitTypeCounts.TypeCount]>, on db: any Database) async throws -> Overview {
        let id = unit.id ?? 0
        let firstTry = try await children(of: id, scope: scope, nameContains: q, limit: pageSize,
                                          offset: (max(1, requested) - 1) * pageSize, on: db)
        let pagination = Pagination(page: requested, pageSize: pageSize, total: firstTry.total, keep: ["q": q])
        let rows = pagination.page == max(1, requested) ? firstTry.rows
            : try await children(of: id, scope: scope, nameContains: q, limit: pageSize, offset: pagination.offset, on: db).rows
        let accounts = try await accountCounts(of: id, scope: scope, on: db)
        return Overview(
            unit: unit, nameContains: q, children: rows, pagination: pagination,
            ancestors: try await ancestors(of: unit, scope: scope, on: db),
            counts: try await UnitTypeCounts.counts(under: unit.path, scope: scope, kept: typeCounts, on: db),
            administrators: accounts.administrators, memberAccounts: accounts.members,
            memberTotal: try await MemberStats.total(of: id, scope: scope, on: db),
            requests: try await ChangeRequestQueries.list(scope: scope, unitID: id, pendingOnly: false, limit: 10, on: db))
    }

    /// An administrator's first page: their unit, what is below it, what waits for approval and
    /// the latest entries of the log.
    struct Home {
        let unit: Organization
        let counts: [UnitTypeCounts.TypeCount]
        let directChildren: Int
        let memberTotal: Int
        let pending: [ChangeRequestQueries.Row]
        let recent: [AuditQueries.Entry]
    }

    static func home(of unitID: Int, scope: Scope, typeCounts: TreeFigures<String, [UnitTypeCounts.TypeCount]>, on db: any Database) async throws -> Home {
        let unit = try await scope.organization(unitID, on: db)
        return Home(
            unit: unit,
            counts: try await UnitTypeCounts.counts(under: unit.path, scope: scope, kept: typeCounts, on: db),
            directChildren: try await children(of: unitID, scope: scope, nameContains: nil, limit: 0, offset: 0, on: db).total,
            memberTotal: try await MemberStats.total(of: unitID, scope: scope, on: db),
            pending: try await ChangeRequestQueries.list(scope: scope, pendingOnly: true, limit: 200, on: db),
            recent: try await AuditQueries.entries(scope: scope, filter: .init(), limit: 10, offset: 0, withChanges: false, on: db))
    }

    /// One line of the tree.
    struct TreeNode: Sendable {
        let id: Int
        let name: String
        let type: OrganizationType
        let depth: Int
        let childCount: Int
        let isOpen: Bool
        /// How many of its children are listed below it (none when closed).
        let listed: Int
    }

    /// The tree from `root` down, depth first: a node is open when `open` names it and it has
    /// children, and then lists up to `childrenPerNode` of them.
    static func tree(from root: Organization, open: Set<Int>, childrenPerNode: Int, scope: Scope,
                     on db: any Database) async throws -> [TreeNode] {
        let id = root.id ?? 0
        let count = try await children(of: id, scope: scope, nameContains: nil, limit: 0, offset: 0, on: db).total
        var nodes: [TreeNode] = []
        try await appendNode(id: id, name: root.name, type: root.type, childCount: count, depth: 0, open: open,
                             childrenPerNode: childrenPerNode, scope: scope, into: &nodes, on: db)
        return nodes
    }

    private static func appendNode(id: Int, name: String, type: OrganizationType, childCount: Int, depth: Int, open: Set<Int>,
                                   childrenPerNode: Int, scope: Scope, into nodes: inout [TreeNode], on db: any Database) async throws {
        let isOpen = open.contains(id) && childCount > 0
        let rows = isOpen
            ? try await children(of: id, scope: scope, nameContains: nil, limit: childrenPerNode, offset: 0, on: db).rows
            : []
        nodes.append(TreeNode(id: id, name: name, type: type, depth: depth, childCount: childCount, isOpen: isOpen, listed: rows.count))
        for row in rows {
            try await appendNode(id: row.id, name: row.name, type: row.type, childCount: row.child_count, depth: depth + 1, open: open,
                                 childrenPerNode: childrenPerNode, scope: scope, into: &nodes, on: db)
        }
    }

    /// The active units beside a unit (itself among them), for the merge form's list.
    static func siblings(of unit: Organization, scope: Scope, on db: any Database) async throws -> [ChildRow] {
        guard let parentID = unit.parentID else { return [] }
        return try await children(of: parentID, scope: scope, nameContains: nil, limit: 500, offset: 0, on: db).rows
    }
}
