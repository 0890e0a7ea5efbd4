import Fluent
import SQLKit
import LeagueCore

/// What the review pages read.
enum ReviewQueries {
    /// How far the branches under a unit have got this year: the counts over the whole subtree,
    /// and one page of the branches in tree order with their reviews. Only the page's branches are
    /// read, so that the city root's tens of thousands of branches cost a count, not a load.
    struct Progress {
        let unit: Organization
        let year: Int
        let branchCount: Int
        let statusCounts: [BranchReview.Status: Int]
        let branches: [UnitName]
        let reviews: [BranchReview]
        let pagination: Pagination
    }

    static let pageSize = 50

    static func progress(under unit: Organization, year: Int, page: Int, scope: Scope,
                         typeCounts: TreeFigures<String, [UnitTypeCounts.TypeCount]>, on db: any Database) async throws -> Progress {
        let within = Scope(reach: .subtree(unit.path))
        func branches() -> QueryBuilder<Organization> {
            within.within(scope.organizations(on: db), \Organization.$path).filter(\.$status == .active)
                .filter(\.$type ~~ OrganizationType.allCases.filter(\.isBranch))
        }
        func reviews() -> QueryBuilder<BranchReview> {
            within.within(scope.query(BranchReview.self, on: db), \BranchReview.$branchPath).filter(\.$year == year)
        }
        // The branches from the tree's kept counts, the reviews by status from their kept counts
        // (`ReviewTotals`): the unit is in reach, so its whole subtree is.
        let branchCount = try await UnitTypeCounts.counts(under: unit.path, scope: scope, kept: typeCounts, on: db)
            .filter(\.type.isBranch).reduce(0) { $0 + $1.count }
        let kept = try await ReviewTotals.counts(under: unit.id ?? 0, year: year, on: db)
        let statusCounts = Dictionary(uniqueKeysWithValues: BranchReview.Status.allCases.map { ($0, kept[$0] ?? 0) })
        let pagination = Pagination(page: page, pageSize: pageSize, total: branchCount,
                                    keep: ["unit": String(unit.id ?? 0), "year": String(year)])
        // Two columns of each, read as rows (`fieldRows`): a unit is nineteen.
        let shown = try await branches().sort(\.$path).range(pagination.offset..<(pagination.offset + pageSize))
            .fields(\.$id, \.$name).fieldRows().map { UnitName(id: try $0("id"), name: try $0("name")) }
        let ids = shown.map(\.id)
        let shownReviews = ids.isEmpty ? [] : try await reviews().filter(\.$branchID ~~ ids).all()
        return Progress(unit: unit, year: year, branchCount: branchCount, statusCounts: statusCounts, branches: shown,
                        reviews: shownReviews, pagination: pagination)
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
