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

    /// - Parameter page: the page of the list asked for.
    init(_ progress: ReviewQueries.Progress, page: Int, form: FormState) {
        let unit = progress.unit, branches = progress.branches, reviews = progress.reviews
        unitID = unit.id ?? 0
        unitName = unit.name
        year = progress.year
        isBranch = unit.type.isBranch
        counts = [StatusCount(label: "未开始", count: branches.count - reviews.count)]
            + BranchReview.Status.allCases.map { status in StatusCount(label: status.label, count: reviews.filter { $0.status == status }.count) }
        let byBranch = Dictionary(reviews.map { ($0.branchID, $0) }, uniquingKeysWith: { first, _ in first })
        pagination = Pagination(page: page, pageSize: 50, total: branches.count, keep: ["unit": String(unitID), "year": String(progress.year)])
        rows = branches.dropFirst(pagination.offset).prefix(pagination.pageSize).map { branch in
            let review = branch.id.flatMap { byBranch[$0] }
            return BranchRow(name: branch.name, status: review?.status.label ?? "未开始", url: review?.id.map { ReviewRoute.show(.value($0)).url })
        }
        hasRows = !branches.isEmpty
        self.form = form
    }
}
