/// “四位一体”考核评价: the years' schemes, and for the city the form that starts one.
struct SchemeListPage: Encodable {
    struct Row: Encodable {
        let id: Int
        let year: Int
        let title: String
        let status: String
    }

    let schemes: [Row]
    let hasSchemes: Bool
    let canCreate: Bool
    let form: FormState

    /// - Parameter form: as typed; the year starts as this year.
    init(_ schemes: [EvaluationScheme], canCreate: Bool, thisYear: Int, form: FormState) {
        self.schemes = schemes.map { Row(id: $0.id ?? 0, year: $0.year, title: $0.title, status: $0.status.label) }
        hasSchemes = !schemes.isEmpty
        self.canCreate = canCreate
        var form = form
        if form.values["year"] == nil { form.values["year"] = String(thisYear) }
        self.form = form
    }
}
