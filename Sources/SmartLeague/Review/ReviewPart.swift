import Fluent
import Vapor

/// 团员教育评议 and 团籍注册.
struct ReviewPart: LeaguePart {
    var menu: [MenuEntry] {
        [MenuEntry("评议注册", ReviewRoute.progress, for: .administrators, rank: 70)]
    }

    var migrations: [any Migration] { [CreateReviews(), IndexBranchReviewsByStatus(), CreateReviewTotals()] }

    /// After 离团: the members rated are those in each branch now.
    var demo: DemoFill? {
        DemoFill(name: "评议注册", leansOn: ["离团"]) { context, progress in try await ReviewDemo.fill(context, progress: progress) }
    }

    func routes(_ routes: PartRoutes) throws {
        try routes.administrators.register(collection: ReviewController())
    }

    var unitPathColumns: [UnitPathColumn] {
        [UnitPathColumn(BranchReview.schema, "branch_path", unitID: "branch_id", .staysAsHistory)]
    }
}
