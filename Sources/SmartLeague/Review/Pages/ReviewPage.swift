import LeagueCore

/// A branch's review: the meeting and every member's rating, as the branch fills them in or as
/// submitted and registered.
struct ReviewPage: Encodable {
    struct RatingRow: Encodable {
        let memberID: Int
        let name: String
        let rating: String
        let ratingLabel: String
        let registered: Bool
    }

    let id: Int
    let year: Int
    let branchName: String
    let status: String
    let members: Int
    let present: String
    let meetingOn: String
    let excellentCap: Int
    let rows: [RatingRow]
    let options: [Choice]
    /// The branch submits its own review; the level above approves it.
    let canSubmit: Bool
    let canApprove: Bool
    let form: FormState

    /// - Parameter form: the form as typed, shown instead of what is saved when there is one.
    init(_ detail: ReviewQueries.Detail, scope: Scope, today: CalendarDate, form: FormState) {
        let review = detail.review
        let typed = !form.values.isEmpty
        id = review.id ?? 0
        year = review.year
        branchName = detail.branch.name
        status = review.status.label
        members = review.members
        present = typed ? form.values["present"] ?? "" : review.present.map(String.init) ?? ""
        meetingOn = typed ? form.values["meetingOn"] ?? "" : review.meetingOn ?? today.description
        excellentCap = ReviewRules.excellentCap(reviewed: detail.ratings.count)
        rows = detail.ratings.map { row in
            let chosen = typed ? form.values[ReviewResultForm.rating + String(row.memberID)] ?? "" : row.rating?.rawValue ?? ""
            return RatingRow(memberID: row.memberID, name: row.memberName, rating: chosen,
                             ratingLabel: ReviewRating(rawValue: chosen)?.label ?? "", registered: row.registered)
        }
        options = ReviewRating.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
        canSubmit = review.status == .draft && scope.root == detail.branch.path
        canApprove = review.status == .submitted && scope.isStrictlyAbove(detail.branch)
        self.form = form
    }
}
