/// 见习: the placements in reach and the form that registers one.
struct InternshipListPage: Encodable {
    struct Row: Encodable {
        let base: String
        let post: String
        let intern: String
        let period: String
        let unitName: String
    }

    let rows: [Row]
    let hasRows: Bool
    let pagination: Pagination
    let form: FormState

    init(_ placements: WorkPlanQueries.Registry<Internship>, form: FormState) {
        rows = placements.rows.map {
            Row(base: $0.base, post: $0.post, intern: $0.intern, period: "\($0.startsOn) 至 \($0.endsOn)",
                unitName: placements.unitNames[$0.unitID] ?? "")
        }
        hasRows = !rows.isEmpty
        pagination = placements.pagination
        self.form = form
    }
}
