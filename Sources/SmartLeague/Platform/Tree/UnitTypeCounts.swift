import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Active units of each type in a subtree (the unit itself included). At the city root that is a
/// count over some 33,000 units, which the home page and the review progress show on every visit,
/// so the figures are kept beside the tree's stamp (`TreeFigures`, `Application.unitTypeCounts`).
enum UnitTypeCounts {
    struct TypeCount: Codable, Sendable {
        let type: OrganizationType
        let count: Int
    }

    static func counts(under path: TreePath, scope: Scope, kept: TreeFigures<String, [TypeCount]>,
                       on db: any Database) async throws -> [TypeCount] {
        try await kept.value("\(path.value) \(scope.root?.value ?? "*")", on: db) {
            try await read(under: path, scope: scope, on: db)
        }
    }

    /// Read over one index range.
    static func read(under path: TreePath, scope: Scope, on db: any Database) async throws -> [TypeCount] {
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
}

extension Application {
    private struct UnitTypeCountsKey: StorageKey { typealias Value = TreeFigures<String, [UnitTypeCounts.TypeCount]> }

    /// The kept counts of `UnitTypeCounts`, made by `configure`.
    var unitTypeCounts: TreeFigures<String, [UnitTypeCounts.TypeCount]> {
        get { configured(UnitTypeCountsKey.self) }
        set { storage[UnitTypeCountsKey.self] = newValue }
    }
}
