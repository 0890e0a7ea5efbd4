import LeagueCore

/// One year's scheme: its indicators and weights, the sheets in reach with their places, and
/// for the city the forms that edit, publish and close it.
struct SchemePage: Encodable {
    struct IndicatorRow: Encodable {
        let id: Int
        let name: String
        let weight: Int
        let source: String
    }

    struct SheetRow: Encodable {
        let id: Int
        let rank: String
        let unitName: String
        let status: String
        let total: String
    }

    let id: Int
    let year: Int
    let title: String
    let status: String
    let indicators: [IndicatorRow]
    let weightSum: Int
    let weightProblem: String?
    let sheets: [SheetRow]
    let hasSheets: Bool
    let isFinal: Bool
    let canEdit: Bool
    let canClose: Bool
    let sources: [Choice]
    let form: FormState

    init(_ detail: EvaluationQueries.Scheme, isCityWide city: Bool, form: FormState) {
        let scheme = detail.scheme
        id = scheme.id ?? 0
        year = scheme.year
        title = scheme.title
        status = scheme.status.label
        indicators = detail.indicators.map { IndicatorRow(id: $0.id ?? 0, name: $0.name, weight: $0.weight, source: EvaluationSources.label($0.source)) }
        weightSum = detail.indicators.reduce(0) { $0 + $1.weight }
        weightProblem = EvaluationRules.weightProblem(detail.indicators.map(\.weight))
        sheets = detail.sheets.map { ranked in
            SheetRow(id: ranked.sheet.id ?? 0, rank: ranked.rank.map(String.init) ?? "—", unitName: detail.unitNames[ranked.sheet.unitID] ?? "",
                     status: ranked.sheet.status.label, total: ranked.sheet.total.map { EvaluationRules.text(hundredths: $0) } ?? "—")
        }
        hasSheets = !sheets.isEmpty
        isFinal = scheme.status == .closed
        canEdit = city && scheme.status == .draft
        canClose = city && scheme.status == .open
        sources = EvaluationSources.all.map { Choice(value: $0.source.rawValue, label: $0.label) }
        self.form = form
    }
}
