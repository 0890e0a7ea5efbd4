import Fluent
import LeagueCore

/// What the review pages read.
enum ReviewQueries {
    /// The active branches under a unit, and their reviews of the year.
    struct Progress {
        let unit: Organization
        let year: Int
        let branches: [Organization]
        let reviews: [BranchReview]
    }

    static func progress(under unit: Organization, year: Int, scope: Scope, on db: any Database) async throws -> Progress {
        let within = Scope(reach: .subtree(unit.path))
        let branches = try await within.within(scope.organizations(on: db), \Organization.$path).filter(\.$status == .active)
            .filter(\.$type ~~ OrganizationType.allCases.filter(\.isBranch)).sort(\.$path).all()
        let reviews = try await within.within(scope.query(BranchReview.self, on: db), \BranchReview.$branchPath).filter(\.$year == year).all()
        return Progress(unit: unit, year: year, branches: branches, reviews: reviews)
    }

    /// One review in reach with its branch and every member's rating, by name.
    struct Detail {
        let review: BranchReview
        let branch: Organization
        let ratings: [MemberRating]
    }

    static func review(_ id: Int, scope: Scope, on db: any Database) async throws -> Detail {
        let review = try await scope.find(BranchReview.self, id, on: db)
        let branch = try await scope.organization(review.branchID, on: db)
        let ratings = try await MemberRating.query(on: db).filter(\.$reviewID == id).sort(\.$memberName).all()
        return Detail(review: review, branch: branch, ratings: ratings)
    }
}
