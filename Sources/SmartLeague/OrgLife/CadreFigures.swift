import Fluent
import LeagueCore
import SQLKit

/// The cadre page's figures, kept: at the city root of a million members about a hundred thousand
/// cadres serve, and counting them by mode and grouping them by unit for the latest term took the
/// page 200 ms. A cadre appointed or leaving updates both in the same transaction.
enum CadreFigures {
    /// Serving cadres in each unit's subtree, by mode: how many, and how many work at the front line.
    static let serving = SubtreeTotals(table: "cadre_mode_totals", keys: ["mode"], figures: ["serving", "front_line"])

    /// Each unit's latest term start among its serving cadres (`CadreTerm`), read in order of the
    /// term for the overdue list.
    static let termsSchema = "cadre_terms"

    /// After `OrganizationWrites.lock(unitID:)`, in the write that appointed the cadre.
    static func appointed(_ cadre: Cadre, on db: any Database) async throws {
        try await serving.add([1, cadre.frontLine ? 1 : 0], key: [cadre.mode.rawValue], at: cadre.unitPath, on: db)
        try await db.sql.raw("""
            INSERT INTO \(ident: termsSchema) (unit_id, unit_path, term_start) VALUES (\(bind: cadre.unitID), \(bind: cadre.unitPath.value), \(bind: cadre.termStart))
            ON CONFLICT (unit_id) DO UPDATE SET term_start = CASE WHEN excluded.term_start > \(ident: termsSchema).term_start
                THEN excluded.term_start ELSE \(ident: termsSchema).term_start END
            """).run()
    }

    /// After `OrganizationWrites.lock(unitID:)`, in the write that recorded the leave.
    static func left(_ cadre: Cadre, on db: any Database) async throws {
        try await serving.add([-1, cadre.frontLine ? -1 : 0], key: [cadre.mode.rawValue], at: cadre.unitPath, on: db)
        struct Latest: Decodable { let term_start: String? }
        let latest = try await db.sql.raw("""
            SELECT MAX(term_start) AS term_start FROM \(ident: Cadre.schema)
            WHERE unit_path = \(bind: cadre.unitPath.value) AND unit_id = \(bind: cadre.unitID) AND left_on IS NULL
            """).first(decoding: Latest.self)?.term_start
        if let latest {
            try await db.sql.update(termsSchema).set("term_start", to: SQLBind(latest)).where("unit_id", .equal, SQLBind(cadre.unitID)).run()
        } else {
            try await db.sql.delete(from: termsSchema).where("unit_id", .equal, SQLBind(cadre.unitID)).run()
        }
    }

    /// Works both out again from the cadres (a new table, the demo's bulk insert).
    static func rebuild(on db: any Database) async throws {
        struct Sum: Decodable { let unit_path: String; let mode: String; let n: Int; let front: Int }
        let sums = try await db.sql.raw("""
            SELECT unit_path, mode, COUNT(*) AS n, SUM(CASE WHEN front_line THEN 1 ELSE 0 END) AS front
            FROM \(ident: Cadre.schema) WHERE left_on IS NULL GROUP BY unit_path, mode
            """).all(decoding: Sum.self)
        try await serving.rebuild(sums.compactMap { sum in TreePath(sum.unit_path).map { ($0, [sum.mode], [sum.n, sum.front]) } }, on: db)
        try await db.sql.delete(from: termsSchema).run()
        try await db.sql.raw("""
            INSERT INTO \(ident: termsSchema) (unit_id, unit_path, term_start)
            SELECT unit_id, MIN(unit_path), MAX(term_start) FROM \(ident: Cadre.schema) WHERE left_on IS NULL GROUP BY unit_id
            """).run()
    }

    /// Units in `unit`'s subtree (and the caller's reach) whose latest term started on or before
    /// the threshold for their type (SQL over `o.type`), oldest first.
    static func termsDue(under unit: Organization, threshold: SQLQueryString, limit: Int, scope: Scope,
                         on db: any Database) async throws -> [(unitID: Int, name: String, type: String, termStart: String)] {
        // The city's and a district's list is read along the term index until it is full (most
        // units are in range); a smaller unit's along its path.
        let condition: Scope.PathCondition = unit.path.depth <= 1 ? .walkingTheOrder : .usingThePathIndex
        let path = Scope.pathExpression("unit_path", table: "t", condition, on: db)
        let select = db.sql.select().column(SQLColumn("unit_id", table: "t")).column(SQLColumn("name", table: "o"))
            .column(SQLColumn("type", table: "o")).column(SQLColumn("term_start", table: "t"))
            .from(SQLAlias(SQLIdentifier(termsSchema), as: SQLIdentifier("t")))
            // SQLite joins in the order written with CROSS JOIN: the terms first, along their index,
            // rather than every unit of the city first and a sort of their terms (25 ms against 8).
            .join(SQLAlias(SQLIdentifier(Organization.schema), as: SQLIdentifier("o")),
                  method: condition == .walkingTheOrder && !db.isPostgres ? SQLRaw("CROSS") : SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "o"), .equal, SQLColumn("unit_id", table: "t"))
            .where(path, .greaterThanOrEqual, SQLBind(unit.path.subtreeLowerBound)).where(path, .lessThan, SQLBind(unit.path.subtreeUpperBound))
            .where(SQLColumn("status", table: "o"), .equal, SQLBind(Organization.Status.active.rawValue))
            .where(SQLColumn("term_start", table: "t"), .lessThanOrEqual, threshold)
            .orderBy(SQLColumn("term_start", table: "t")).orderBy(SQLColumn("unit_id", table: "t")).limit(limit)
        // Column by column: Codable's row decoder finding each key was a twentieth of the page.
        return try await scope.restrict(select, paths: [path]).all().map { row in
            (try row.decode(column: "unit_id", as: Int.self), try row.decode(column: "name", as: String.self),
             try row.decode(column: "type", as: String.self), try row.decode(column: "term_start", as: String.self))
        }
    }
}

/// The kept cadre figures, worked out once from the cadres already recorded.
struct CreateCadreFigures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await CadreFigures.serving.create(on: database)
        try await database.schema(CadreFigures.termsSchema)
            .field("unit_id", .int, .required)
            .field("unit_path", database.byteOrderedText, .required)
            .field("term_start", .string, .required)
            .unique(on: "unit_id")
            .create()
        try await database.createIndex("cadre_terms_path", on: CadreFigures.termsSchema, columns: ["unit_path", "term_start"])
        try await database.createIndex("cadre_terms_start", on: CadreFigures.termsSchema, columns: ["term_start"])
        try await CadreFigures.rebuild(on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CadreFigures.termsSchema).delete()
        try await database.schema(CadreFigures.serving.table).delete()
    }
}
