import Fluent
import LeagueCore
import Vapor

/// What the evaluation pages and the ranking export read.
enum EvaluationQueries {
    static func schemes(on db: any Database) async throws -> [EvaluationScheme] {
        try await EvaluationScheme.query(on: db).sort(\.$year, .descending).all()
    }

    /// A sheet in reach and its place among all reviewed sheets of the scheme (nil until reviewed).
    struct RankedSheet: Sendable {
        let sheet: EvaluationSheet
        let rank: Int?
    }

    /// The sheets in reach, ranked among all reviewed sheets of the scheme: a district sees its
    /// own place without seeing the others' sheets.
    static func rankedSheets(_ scheme: EvaluationScheme, scope: Scope, on db: any Database) async throws -> [RankedSheet] {
        let totals = try await scope.rankingTotals(of: scheme, on: db)
        let ranks = Ranking.competition(totals)
        let placeOf = Dictionary(zip(totals, ranks), uniquingKeysWith: { first, _ in first })
        let sheets = try await scope.query(EvaluationSheet.self, on: db).filter(\.$schemeID == scheme.id ?? -1).all()
        return sheets.map { sheet in
            RankedSheet(sheet: sheet, rank: sheet.status == .reviewed ? sheet.total.flatMap { placeOf[$0] } : nil)
        }.sorted { ($0.rank ?? Int.max, $0.sheet.unitPath) < ($1.rank ?? Int.max, $1.sheet.unitPath) }
    }

    /// A scheme with its indicators and the ranked sheets in reach, with their units' names.
    struct Scheme: Sendable {
        let scheme: EvaluationScheme
        let indicators: [EvaluationIndicator]
        let sheets: [RankedSheet]
        let unitNames: [Int: String]
    }

    static func scheme(_ id: Int, scope: Scope, on db: any Database) async throws -> Scheme {
        let scheme = try await EvaluationWrites.scheme(id, on: db)
        let indicators = try await EvaluationWrites.indicators(of: id, on: db)
        let sheets = try await rankedSheets(scheme, scope: scope, on: db)
        return Scheme(scheme: scheme, indicators: indicators, sheets: sheets,
                      unitNames: try await Directory.unitNames(sheets.map(\.sheet.unitID), on: db))
    }

    /// The ranking with every sheet's scores, by sheet and indicator.
    struct Export: Sendable {
        let scheme: Scheme
        let scores: [Int: [Int: EvaluationScore]]
    }

    static func export(_ id: Int, scope: Scope, on db: any Database) async throws -> Export {
        let scheme = try await scheme(id, scope: scope, on: db)
        var scores: [Int: [Int: EvaluationScore]] = [:]
        for ranked in scheme.sheets {
            guard let sheetID = ranked.sheet.id else { continue }
            scores[sheetID] = try await EvaluationWrites.scores(of: sheetID, on: db)
        }
        return Export(scheme: scheme, scores: scores)
    }

    /// A sheet in reach with its scheme, indicators and scores; while the unit is still writing
    /// it, each computed indicator's figure as it stands now.
    struct Sheet: Sendable {
        let sheet: EvaluationSheet
        let scheme: EvaluationScheme
        let indicators: [EvaluationIndicator]
        let scores: [Int: EvaluationScore]
        /// By indicator, for a draft sheet.
        let liveFigures: [Int: Int]
        let unitName: String
    }

    static func sheet(_ id: Int, scope: Scope, today: CalendarDate, on db: any Database) async throws -> Sheet {
        let sheet = try await scope.find(EvaluationSheet.self, id, on: db)
        let scheme = try await EvaluationWrites.scheme(sheet.schemeID, on: db)
        let indicators = try await EvaluationWrites.indicators(of: sheet.schemeID, on: db)
        var live: [Int: Int] = [:]
        if sheet.status == .draft {
            for indicator in indicators where indicator.source.isComputed {
                guard let key = indicator.id else { continue }
                live[key] = try await EvaluationFigures.score(indicator.source, year: scheme.year, unitID: sheet.unitID, today: today, on: db)
            }
        }
        return Sheet(sheet: sheet, scheme: scheme, indicators: indicators, scores: try await EvaluationWrites.scores(of: id, on: db),
                     liveFigures: live, unitName: try await Directory.unitNames([sheet.unitID], on: db)[sheet.unitID] ?? "")
    }
}
