import Foundation
import LeagueCore
import Testing
@testable import SmartLeague

/// The review pages built from rows, and the ratings read, without HTTP or a database.
@Suite struct ReviewPageTests {
    static func review(_ id: Int, of branch: Organization, _ status: BranchReview.Status) -> BranchReview {
        let review = BranchReview()
        review.id = id
        review.year = 2026
        review.branchID = branch.id ?? 0
        review.branchPath = branch.path
        review.status = status
        review.members = 3
        return review
    }

    @Test func progressCountsEachStatusAndLinksOnlyOpenedReviews() {
        let district = OrgLifePageTests.unit(TreePath(ids: [1, 2]), "海曙团区委", .districtCommittee)
        let first = OrgLifePageTests.unit(district.path.appending(6), "甲团支部", .branch)
        let second = OrgLifePageTests.unit(district.path.appending(7), "乙团支部", .branch)
        let progress = ReviewQueries.Progress(unit: district, year: 2026, branchCount: 2, statusCounts: [.submitted: 1],
                                              branches: [UnitName(id: 6, name: first.name), UnitName(id: 7, name: second.name)], reviews: [Self.review(12, of: first, .submitted)],
                                              pagination: Pagination(page: 1, pageSize: 50, total: 2))
        let page = ReviewProgressPage(progress, form: FormState())
        #expect(page.counts.first { $0.label == "未开始" }?.count == 1)
        #expect(page.counts.first { $0.label == BranchReview.Status.submitted.label }?.count == 1)
        #expect(page.rows.map(\.url) == ["/reviews/12", nil] && !page.isBranch)
    }

    @Test func theBranchSeesWhatItTypedAndTheLevelAboveMayApprove() throws {
        let district = OrgLifePageTests.unit(TreePath(ids: [1, 2]), "海曙团区委", .districtCommittee)
        let branch = OrgLifePageTests.unit(district.path.appending(6), "甲团支部", .branch)
        let rating = MemberRating()
        rating.reviewID = 12
        rating.memberID = 40
        rating.memberName = "团员甲"
        rating.registered = false
        let detail = ReviewQueries.Detail(review: Self.review(12, of: branch, .draft), branch: branch, ratings: [rating])
        let today = CalendarDate(year: 2026, month: 11, day: 20)!
        let typed = ReviewPage(detail, scope: Scope(reach: .subtree(branch.path)), today: today,
                               form: FormState(values: ["present": "2", "rating-40": "excellent"]))
        #expect(typed.canSubmit && !typed.canApprove && typed.present == "2" && typed.rows.first?.rating == "excellent")
        #expect(ReviewPage(detail, scope: Scope(reach: .subtree(branch.path)), today: today, form: FormState()).meetingOn == "2026-11-20")
        var state = FormState()
        let input = try #require(try FormFields.decode(ReviewResultForm.self, from: ["meetingOn": "2026-11-20", "present": "3", "rating-40": "qualified",
                                                                                     "rating-41": "nonsense"]).validate(&state, today: today))
        #expect(input.ratings == [40: .qualified] && input.present == 3)
    }
}
