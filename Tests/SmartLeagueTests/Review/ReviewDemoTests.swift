import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

/// The demo city's 团员教育评议: last year's round approved nearly everywhere, this year's under
/// way, ratings within the 30% cap, registration for those rated 基本合格 or better, and the
/// progress page at the city and the branch.
@Suite struct ReviewDemoTests {
    @Test func theDemoCityReviewsItsMembers() async throws {
        try await TestApp.run { app, _ in
            _ = try await DemoCity.build(app, members: 400, seed: 13)
            let db = app.db
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
            let reviews = try await BranchReview.query(on: db).all()
            let ratings = Dictionary(grouping: try await MemberRating.query(on: db).all(), by: \.reviewID)
            let lastYear = reviews.filter { $0.year == today.year - 1 }
            let branches = try await Scope.unrestricted.organizations(on: db).filter(\.$type ~~ OrganizationType.allCases.filter(\.isBranch)).count()
            #expect(lastYear.count * 10 >= branches * 9)
            #expect(lastYear.filter { $0.status == .approved }.count * 10 >= lastYear.count * 9)
            #expect(reviews.contains { $0.year == today.year })

            for review in reviews {
                let rows = ratings[review.id!] ?? []
                #expect(rows.count == review.members)
                if review.status == .draft {
                    #expect(rows.allSatisfy { $0.rating == nil && !$0.registered } && review.present == nil)
                    continue
                }
                #expect(ReviewRules.quorumProblem(present: review.present ?? 0, members: review.members) == nil)
                #expect(review.meetingOn.map { $0 <= today.description } == true)
                let excellent = rows.filter { $0.rating == .excellent }.count
                #expect(ReviewRules.excellentProblem(excellent: excellent, reviewed: rows.count) == nil)
                #expect(rows.allSatisfy { $0.registered == (review.status == .approved && $0.rating?.registers == true) })
            }
            // The kept counts of the city and of each district are the reviews' own.
            let districts = try await Scope.unrestricted.organizations(on: db).filter(\.$depth <= 1).all()
            for unit in districts {
                for year in [today.year - 1, today.year] {
                    let own = reviews.filter { $0.year == year && unit.path.contains($0.branchPath) }
                    let counted = Dictionary(grouping: own, by: \.status).mapValues(\.count)
                    #expect(try await ReviewTotals.counts(under: unit.id!, year: year, on: db).filter { $0.value != 0 } == counted)
                }
            }
            let rated = Set(ratings.values.joined().compactMap(\.rating))
            #expect(rated.isSuperset(of: [.excellent, .qualified, .basicallyQualified]))

            // This year's members are those in the branch now.
            let current = try await Scope.unrestricted.members(on: db).all()
            let branchOf = Dictionary(uniqueKeysWithValues: current.map { ($0.id!, $0.branchID) })
            for review in reviews where review.year == today.year {
                #expect((ratings[review.id!] ?? []).allSatisfy { branchOf[$0.memberID] == review.branchID })
            }

            let city = Browser(app)
            _ = try await city.signIn("demo.city", DemoCity.demoPassword)
            let progress = try await city.get("/reviews?year=\(today.year - 1)")
            #expect(progress.status == .ok && progress.contains(BranchReview.Status.approved.label))
            let account = try #require(try await Account.query(on: db).filter(\.$username == "demo.branch").first())
            let own = try #require(reviews.first { $0.year == today.year && $0.branchID == account.organizationID })
            #expect(own.status == .submitted)
            let branchAdmin = Browser(app)
            _ = try await branchAdmin.signIn("demo.branch", DemoCity.demoPassword)
            let page = try await branchAdmin.get("/reviews")
            #expect(page.status == .ok && page.contains(BranchReview.Status.submitted.label))
            let show = try await branchAdmin.get("/reviews/\(own.id!)")
            #expect(show.status == .ok && show.contains(ratings[own.id!]?.first?.memberName ?? "—"))
        }
    }
}
