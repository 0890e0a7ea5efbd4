import Fluent
import LeagueCore
import SQLKit

/// What the cadre page reads.
enum CadreQueries {
    /// The cadres serving in a unit, how all those serving in and below it are spread, and the
    /// committees below whose latest election is old enough to be overdue.
    struct Serving {
        /// A unit with the start of its serving committee's term (the latest among its cadres).
        struct Term {
            let unitID: Int
            let name: String
            let type: OrganizationType
            let termStart: String
        }

        let unit: Organization
        /// Those serving in the unit itself.
        let own: [Cadre]
        /// Everyone serving in and below the unit, by mode (专职/挂职/兼职).
        let modeCounts: [CadreMode: Int]
        /// How many of them work at the front line.
        let frontLine: Int
        /// Units whose term may have run out, oldest first (at most `termsShown`).
        let terms: [Term]

        var total: Int { modeCounts.values.reduce(0, +) }
    }

    /// The overdue list shows this many committees, the longest overdue first.
    static let termsShown = 200

    /// Counted and grouped by the database: at the city root a million members have about a
    /// hundred thousand cadres, which the page summarises.
    static func serving(under unitID: Int, scope: Scope, today: CalendarDate, on db: any Database) async throws -> Serving {
        let unit = try await scope.organization(unitID, on: db)
        let own = try await scope.query(Cadre.self, on: db).filter(\.$unitID == unitID).filter(\.$leftOn == nil).all()
        func below(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
            scope.restrict(select.from(SQLAlias(SQLIdentifier(Cadre.schema), as: SQLIdentifier("c")))
                .where(SQLColumn("left_on", table: "c"), .is, SQLLiteral.null)
                .where(SQLColumn("unit_path", table: "c"), .greaterThanOrEqual, SQLBind(unit.path.subtreeLowerBound))
                .where(SQLColumn("unit_path", table: "c"), .lessThan, SQLBind(unit.path.subtreeUpperBound)),
                paths: [SQLColumn("unit_path", table: "c")])
        }
        struct ModeCount: Decodable { let mode: String; let count: Int; let front: Int? }
        let counts = try await below(db.sql.select().column(SQLColumn("mode", table: "c"))
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
            .column(SQLFunction("SUM", args: SQLRaw("CASE WHEN c.front_line THEN 1 ELSE 0 END")), as: "front"))
            .groupBy(SQLColumn("mode", table: "c")).all(decoding: ModeCount.self)
        var modeCounts: [CadreMode: Int] = [:]
        for row in counts { if let mode = CadreMode(rawValue: row.mode) { modeCounts[mode, default: 0] += row.count } }

        // A committee is overdue once its latest term start is older than its longest term; the
        // database keeps those that may be (the page decides with `CadreTerms`).
        var threshold: SQLQueryString = "CASE"
        for years in Set(OrganizationType.allCases.map(CadreTerms.longestTerm(of:))).sorted() {
            let types = OrganizationType.allCases.filter { CadreTerms.longestTerm(of: $0) == years }.map(\.rawValue)
            threshold = threshold + " WHEN o.type IN \(SQLBind.group(types)) THEN \(bind: today.adding(months: -12 * years).description)"
        }
        threshold = threshold + " END"
        struct TermRow: Decodable { let unit_id: Int; let name: String; let type: String; let term_start: String }
        let terms = try await below(db.sql.select().column(SQLColumn("unit_id", table: "c")).column(SQLColumn("name", table: "o"))
            .column(SQLColumn("type", table: "o")).column(SQLFunction("MAX", args: SQLColumn("term_start", table: "c")), as: "term_start"))
            .join(SQLAlias(SQLIdentifier(Organization.schema), as: SQLIdentifier("o")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "o"), .equal, SQLColumn("unit_id", table: "c"))
            .where(SQLColumn("status", table: "o"), .equal, SQLBind(Organization.Status.active.rawValue))
            .groupBy(SQLColumn("unit_id", table: "c")).groupBy(SQLColumn("name", table: "o")).groupBy(SQLColumn("type", table: "o"))
            .having(SQLFunction("MAX", args: SQLColumn("term_start", table: "c")), .lessThanOrEqual, threshold)
            .orderBy(SQLFunction("MAX", args: SQLColumn("term_start", table: "c"))).limit(termsShown)
            .all(decoding: TermRow.self)
        return Serving(unit: unit, own: own, modeCounts: modeCounts, frontLine: counts.reduce(0) { $0 + ($1.front ?? 0) },
                       terms: terms.compactMap { row in
                           OrganizationType(rawValue: row.type).map { Serving.Term(unitID: row.unit_id, name: row.name, type: $0, termStart: row.term_start) }
                       })
    }
}
