import LeagueCore

/// How far the branches of a unit have got with the year's review and registration.
struct ReviewProgressPage: Encodable {
    struct BranchRow: Encodable {
        let name: String
        let status: String
        /// The branch's review, once it has opened one.
        let url: String?
    }

    struct StatusCount: Encodable {
        let label: String
        let count: Int
    }

    let unitID: Int
    let unitName: String
    let year: Int
    /// A branch opens its own review here.
    let isBranch: Bool
    let counts: [StatusCount]
    let rows: [BranchRow]
    let hasRows: Bool
    let pagination: Pagination
    let form: FormState

    init(_ progress: ReviewQueries.Progress, form: FormState) {
        let unit = progress.unit
        unitID = unit.id ?? 0
        unitName = unit.name
        year = progress.year
        isBranch = unit.type.isBranch
        let opened = progress.statusCounts.values.reduce(0, +)
        counts = [StatusCount(label: "未开始", count: max(0, progress.branchCount - opened))]
            + BranchReview.Status.allCases.map { StatusCount(label: $0.label, count: progress.statusCounts[$0] ?? 0) }
        let byBranch = Dictionary(progress.reviews.map { ($0.branchID, $0) }, uniquingKeysWith: { first, _ in first })
        pagination = progress.pagination
        rows = progress.branches.map { branch in
            let review = byBranch[branch.id]
            return BranchRow(name: branch.name, status: review?.status.label ?? "未开始", url: review?.id.map { ReviewRoute.show(.value($0)).url })
        }
        hasRows = progress.branchCount > 0
        self.form = form
    }
}
