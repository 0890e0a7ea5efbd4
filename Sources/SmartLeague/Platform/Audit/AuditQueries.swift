import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Reading the audit log within the caller's scope, newest first.
enum AuditQueries {
    struct Filter: Sendable {
        var from: Date?
        var until: Date?
        var actor: String?
        var unitPath: TreePath?

        /// No condition: the whole log in reach.
        var isEverything: Bool { from == nil && until == nil && actor == nil && unitPath == nil }
    }

    /// The log's search form as a filter; a unit beyond reach is a refusal under `unit`.
    static func filter(_ input: AuditFilterForm.Valid, scope: Scope, on db: any Database) async throws -> Filter {
        var filter = Filter(from: input.from.map(ChinaTime.startOfDay),
                            until: input.until.map { ChinaTime.startOfDay($0).addingTimeInterval(24 * 3600) }, actor: input.actor)
        if let key = input.unit {
            guard let unit = try await scope.activeOrganization(codeOrName: key, on: db) else {
                throw Refusal("找不到该组织，或它不在您的管理范围内", field: "unit")
            }
            filter.unitPath = unit.path
        }
        return filter
    }

    struct Entry: Sendable {
        let at: Date
        let actorName: String
        let ip: String
        let unitName: String
        /// As recorded ("member.create"); `AuditActions` names it.
        let action: String
        let summary: String
        let changes: [FieldChange]
    }

    /// Read column by column: a general decoder for each of a page's fifty rows cost more than
    /// the query.
    private struct Row {
        let at: Date
        let actorName: String
        let ip: String
        let unitName: String?
        let action: String
        let summary: String
        let changes: String?

        init(_ row: any SQLRow, withChanges: Bool) throws {
            at = try row.decode(column: "at", as: Date.self)
            actorName = try row.decode(column: "actor_name", as: String.self)
            ip = try row.decode(column: "ip", as: String.self)
            unitName = try row.decodeNil(column: "unit_name") ? nil : row.decode(column: "unit_name", as: String.self)
            action = try row.decode(column: "action", as: String.self)
            summary = try row.decode(column: "summary", as: String.self)
            changes = withChanges ? try row.decode(column: "changes", as: String.self) : nil
        }
    }

    /// The entries the filter asks for, in reach; `condition` says which index reads them.
    private static func select(scope: Scope, filter: Filter, _ condition: Scope.PathCondition, on db: any Database) -> SQLSelectBuilder {
        let path = Scope.pathExpression("organization_path", table: "e", condition, on: db)
        var select = db.sql.select().from(SQLAlias(SQLIdentifier(AuditEntry.schema), as: SQLIdentifier("e")))
        if let from = filter.from { select = select.where(SQLColumn("at", table: "e"), .greaterThanOrEqual, SQLBind(from)) }
        if let until = filter.until { select = select.where(SQLColumn("at", table: "e"), .lessThan, SQLBind(until)) }
        if let actor = filter.actor { select = select.where(containsText("e.actor_name", actor)) }
        if let unit = filter.unitPath {
            select = select.where(path, .greaterThanOrEqual, SQLBind(unit.subtreeLowerBound)).where(path, .lessThan, SQLBind(unit.subtreeUpperBound))
        }
        return scope.restrict(select, paths: [path])
    }

    /// The log of the city or of a district is most of the table: its newest entries are read
    /// along the time index until the page is full, instead of sorting every entry in the range
    /// (as the member list does, `MemberQueries.pathCondition`). A smaller unit's range is read
    /// along its path.
    static func pathCondition(scope: Scope, filter: Filter) -> Scope.PathCondition {
        (filter.unitPath ?? scope.root).map { $0.depth <= 1 } ?? true ? .walkingTheOrder : .usingThePathIndex
    }

    /// The newest entries the filter asks for; without `withChanges` their field changes are
    /// neither read nor decoded (the home page lists summaries only).
    static func entries(scope: Scope, filter: Filter, limit: Int, offset: Int, withChanges: Bool = true,
                        on db: any Database) async throws -> [Entry] {
        var select = select(scope: scope, filter: filter, pathCondition(scope: scope, filter: filter), on: db)
            .join(SQLAlias(SQLIdentifier(Organization.schema), as: SQLIdentifier("o")), method: SQLJoinMethod.left,
                  on: SQLColumn("id", table: "o"), .equal, SQLColumn("organization_id", table: "e"))
            .column(SQLColumn("at", table: "e")).column(SQLColumn("actor_name", table: "e"))
            .column(SQLColumn("ip", table: "e")).column(SQLColumn("name", table: "o"), as: "unit_name")
            .column(SQLColumn("action", table: "e")).column(SQLColumn("summary", table: "e"))
        if withChanges { select = select.column(SQLColumn("changes", table: "e")) }
        let rows = try await select
            .orderBy(SQLColumn("at", table: "e"), SQLDirection.descending).orderBy(SQLColumn("id", table: "e"), SQLDirection.descending)
            .limit(limit).offset(offset)
            .all().map { try Row($0, withChanges: withChanges) }
        let decoder = JSONDecoder()
        return rows.map { row in
            Entry(at: row.at, actorName: row.actorName, ip: row.ip, unitName: row.unitName ?? "", action: row.action, summary: row.summary,
                  changes: row.changes.map { FieldChange.stored($0, decoder: decoder) } ?? [])
        }
    }

    static func count(scope: Scope, filter: Filter, on db: any Database) async throws -> Int {
        struct Count: Decodable { let total: Int }
        // The city's whole log is the table, whose plain `COUNT(*)` SQLite answers from the
        // b-tree's page counts (0.02 ms for 61,000 entries, where the path range takes 5 ms).
        if scope.isCityWide && filter.isEverything {
            return try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "total").from(AuditEntry.schema)
                .first(decoding: Count.self)?.total ?? 0
        }
        // Counted along the path index, which holds every column the count reads.
        return try await select(scope: scope, filter: filter, .usingThePathIndex, on: db)
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "total")
            .first(decoding: Count.self)?.total ?? 0
    }
}
