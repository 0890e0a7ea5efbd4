import LeagueCore

/// One branch's sheet: its self-assessment, the system's figures, and the review above it.
struct GradingSheetPage: Encodable {
    struct ItemRow: Encodable {
        let key: String
        let label: String
        let selfScore: String
        let evidence: String
        let reviewScore: String
        let selfError: String?
        let reviewError: String?
    }

    struct VetoRow: Encodable {
        let key: String
        let label: String
        let checked: Bool
    }

    let id: Int
    let roundURL: String
    let year: Int
    let branchName: String
    let status: String
    let score: String
    let level: String
    let items: [ItemRow]
    let vetoes: [VetoRow]
    let facts: [String]
    let secretary: String
    let representative: String
    let reviewComment: String?
    /// Only the branch itself assesses, while the sheet is a draft.
    let canAssess: Bool
    /// Only a level above the branch reviews, once the branch has submitted.
    let canReview: Bool
    let form: FormState

    /// - Parameter form: the form as typed, shown instead of what is saved when there is one.
    init(_ detail: GradingQueries.Sheet, scope: Scope, form: FormState) {
        let sheet = detail.sheet
        let typed = !form.values.isEmpty
        let selfScores = GradingSheet.decode(sheet.selfScores), evidence = GradingSheet.decodeText(sheet.evidence)
        let reviewScores = GradingSheet.decode(sheet.reviewScores)
        let vetoed = Set(sheet.vetoes.split(separator: ",").map(String.init))
        id = sheet.id ?? 0
        roundURL = GradingRoute.round(.value(detail.round.id ?? 0)).url
        year = detail.round.year
        branchName = detail.branch.name
        status = sheet.status.label
        score = sheet.score.map(String.init) ?? "—"
        level = sheet.level?.label ?? "—"
        items = GradingItem.allCases.map { item in
            let key = item.rawValue
            return ItemRow(key: key, label: item.label,
                           selfScore: typed ? form.values["score-\(key)"] ?? "" : selfScores[key].map(String.init) ?? "",
                           evidence: typed ? form.values["evidence-\(key)"] ?? "" : evidence[key] ?? "",
                           reviewScore: typed ? form.values["review-\(key)"] ?? "" : (reviewScores[key] ?? selfScores[key]).map(String.init) ?? "",
                           selfError: form.errors["score-\(key)"], reviewError: form.errors["review-\(key)"])
        }
        vetoes = GradingVeto.allCases.map { VetoRow(key: $0.rawValue, label: $0.label, checked: vetoed.contains($0.rawValue)) }
        facts = detail.facts
        secretary = typed ? form.values["secretary"] ?? "" : sheet.secretarySignature ?? ""
        representative = typed ? form.values["representative"] ?? "" : sheet.representativeSignature ?? ""
        reviewComment = sheet.reviewComment
        canAssess = sheet.status == .draft && scope.root == sheet.branchPath
        canReview = sheet.status != .draft && scope.isStrictlyAbove(detail.branch)
        self.form = form
    }
}
