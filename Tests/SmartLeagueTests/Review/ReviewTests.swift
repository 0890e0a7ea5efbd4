import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

@Suite struct ReviewTests {
    @Test func aBranchRatesItsMembersTheLevelAboveApprovesAndTheQualifiedRegister() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let branch = try await Fixtures.child(app, of: haishu, "海曙区某团支部", .branch)
            try await Fixtures.child(app, of: haishu, "海曙区另一团支部", .branch)
            var members: [Member] = []
            for index in 0..<7 { members.append(try await Fixtures.member(app, "团员\(index)号", sequence: 301 + index * 2, in: branch)) }
            let secretary = try await Fixtures.administrator(app, "branch", of: branch)
            try await secretary.get("/reviews")
            try await secretary.post("/reviews", ["branch": String(branch.id!), "year": "2026"])
            let review = try #require(try await BranchReview.query(on: app.db).first())
            try await secretary.get("/reviews/\(review.id!)")
            var form = ["meetingOn": "2026-11-20", "present": "4"]
            for (index, member) in members.enumerated() { form["rating-\(member.id!)"] = index < 3 ? "excellent" : "qualified" }
            #expect(try await secretary.post("/reviews/\(review.id!)/submit", form).contains("未超过团员 7 人的三分之二"))
            form["present"] = "5"
            #expect(try await secretary.post("/reviews/\(review.id!)/submit", form).contains("超过参评 7 人的 30%（最多 2 人）"))
            form["rating-\(members[2].id!)"] = "unqualified"
            try await secretary.post("/reviews/\(review.id!)/submit", form)
            #expect(try await BranchReview.find(review.id, on: app.db)?.status == .submitted)
            #expect(try await secretary.post("/reviews/\(review.id!)/approve").contains("评议结果须由上级团组织审批"))

            let district = try await Fixtures.administrator(app, "haishu", of: haishu)
            let progress = try await district.get("/reviews?year=2026")
            #expect(progress.contains("<strong>1</strong><span>未开始</span>"))
            #expect(progress.contains("<strong>1</strong><span>待上级审批</span>"))
            try await district.get("/reviews/\(review.id!)")
            try await district.post("/reviews/\(review.id!)/approve")
            let ratings = try await MemberRating.query(on: app.db).filter(\.$reviewID == review.id!).all()
            #expect(ratings.filter(\.registered).count == 6)
            #expect(ratings.first { $0.memberID == members[2].id }?.registered == false)
            // The branch and every unit above keep the review's count by status, moved along with it.
            for unit in [branch, haishu] {
                #expect(try await ReviewTotals.counts(under: unit.id!, year: 2026, on: app.db).filter { $0.value != 0 } == [.approved: 1])
            }
            let approved = try await district.get("/reviews?year=2026")
            #expect(approved.contains("<strong>1</strong><span>\(BranchReview.Status.approved.label)</span>"))
            #expect(approved.contains("<strong>0</strong><span>\(BranchReview.Status.submitted.label)</span>"))
            #expect(try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action ~~ ["review.submit", "review.approve"]).count() == 2)
        }
    }
}
