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

    /// The overdue list shows this many committees, the longest overdue first; each committee's
    /// own page lists those below it.
    static let termsShown = 50

    /// The counts and the overdue committees come from the kept figures (`CadreFigures`): at the
    /// city root a million members have about a hundred thousand cadres.
    static func serving(under unitID: Int, scope: Scope, today: CalendarDate, on db: any Database) async throws -> Serving {
        let unit = try await scope.organization(unitID, on: db)
        // By the unit's own path too (a cadre's path is its unit's), so that the city's few cadres
        // are one index step rather than a pass over the 100,000 cadres of its range.
        let own = try await scope.query(Cadre.self, on: db).filter(\.$unitPath == unit.path).filter(\.$unitID == unitID)
            .filter(\.$leftOn == nil).all()
        // Kept per unit (`CadreFigures`): the unit comes through the caller's scope, which holds
        // the whole subtree of every unit it reaches.
        var modeCounts: [CadreMode: Int] = [:], frontLine = 0
        for row in try await CadreFigures.serving.rows(of: unitID, on: db) {
            if let mode = CadreMode(rawValue: row.key[0]) { modeCounts[mode, default: 0] += row.figures[0] }
            frontLine += row.figures[1]
        }

        // A committee is overdue once its latest term start is older than its longest term; the
        // database keeps those that may be (the page decides with `CadreTerms`).
        var threshold: SQLQueryString = "CASE"
        for years in Set(OrganizationType.allCases.map(CadreTerms.longestTerm(of:))).sorted() {
            let types = OrganizationType.allCases.filter { CadreTerms.longestTerm(of: $0) == years }.map(\.rawValue)
            threshold = threshold + " WHEN o.type IN \(SQLBind.group(types)) THEN \(bind: today.adding(months: -12 * years).description)"
        }
        threshold = threshold + " END"
        let terms = try await CadreFigures.termsDue(under: unit, threshold: threshold, limit: termsShown, scope: scope, on: db)
        return Serving(unit: unit, own: own, modeCounts: modeCounts, frontLine: frontLine,
                       terms: terms.compactMap { row in
                           OrganizationType(rawValue: row.type).map { Serving.Term(unitID: row.unitID, name: row.name, type: $0, termStart: row.termStart) }
                       })
    }
}
