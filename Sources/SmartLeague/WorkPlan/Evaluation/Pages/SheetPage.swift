import LeagueCore

/// One unit's sheet: each indicator's figure, self-score and review score, the self-report, and
/// the form of whoever's turn it is (the unit while it writes, the city once submitted).
struct SheetPage: Encodable {
    struct ScoreRow: Encodable {
        let id: Int
        let name: String
        let weight: Int
        let source: String
        let isRated: Bool
        /// Computed figure: frozen at submission, live before.
        let computed: String
        let selfScore: String
        let selfNote: String
        let reviewScore: String
        let selfError: String?
        let reviewError: String?
    }

    let id: Int
    let schemeID: Int
    let year: Int
    let unitName: String
    let status: String
    let summary: String
    let reviewComment: String?
    let total: String
    let rows: [ScoreRow]
    let canSelf: Bool
    let canReview: Bool
    let form: FormState

    /// - Parameter form: what was typed, shown again in place of what is stored.
    init(_ detail: EvaluationQueries.Sheet, scope: Scope, form: FormState) {
        let sheet = detail.sheet
        let draft = sheet.status == .draft
        let typed = !form.values.isEmpty
        rows = detail.indicators.map { indicator in
            let key = indicator.id ?? 0
            let score = detail.scores[key]
            let figure = indicator.source.isComputed ? (draft ? detail.liveFigures[key] : score?.computed) : nil
            return ScoreRow(
                id: key, name: indicator.name, weight: indicator.weight, source: EvaluationSources.label(indicator.source),
                isRated: indicator.source == .rated, computed: figure.map { "\($0)" + (draft ? "（实时）" : "") } ?? "",
                selfScore: typed ? form.values["score\(key)"] ?? "" : score?.selfScore.map(String.init) ?? "",
                selfNote: typed ? form.values["note\(key)"] ?? "" : score?.selfNote ?? "",
                reviewScore: typed ? form.values["review\(key)"] ?? "" : (score?.reviewScore ?? score?.selfScore).map(String.init) ?? "",
                selfError: form.errors["score\(key)"], reviewError: form.errors["review\(key)"])
        }
        id = sheet.id ?? 0
        schemeID = detail.scheme.id ?? 0
        year = detail.scheme.year
        unitName = detail.unitName
        status = sheet.status.label
        summary = typed ? form.values["summary"] ?? "" : sheet.summary
        reviewComment = sheet.reviewComment
        total = sheet.total.map { EvaluationRules.text(hundredths: $0) } ?? "—"
        let open = detail.scheme.status == .open
        canSelf = open && draft && scope.root == sheet.unitPath
        canReview = open && !draft && scope.isCityWide
        self.form = form
    }
}
