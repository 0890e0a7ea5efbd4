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

    struct TypeCount: Codable, Sendable {
        let type: OrganizationType
        let count: Int
    }

    /// Active units of each type in a subtree (the unit itself included): one index range.
    static func countsByType(under path: TreePath, scope: Scope, on db: any Database) async throws -> [TypeCount] {
        let select = db.sql.select()
            .column(SQLColumn("type", table: "o"))
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
            .from(SQLAlias(SQLIdentifier(Organization.schema), as: SQLIdentifier("o")))
            .where(SQLColumn("path", table: "o"), .greaterThanOrEqual, SQLBind(path.subtreeLowerBound))
            .where(SQLColumn("path", table: "o"), .lessThan, SQLBind(path.subtreeUpperBound))
            .where(SQLColumn("status", table: "o"), .equal, SQLBind(Organization.Status.active.rawValue))
            .groupBy(SQLColumn("type", table: "o"))
        let rows = try await scope.restrict(select, paths: [SQLColumn("path", table: "o")]).all(decoding: TypeCount.self)
        return OrganizationType.allCases.compactMap { type in rows.first { $0.type == type } }
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
}
