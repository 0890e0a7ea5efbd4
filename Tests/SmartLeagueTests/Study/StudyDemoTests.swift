import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

@Suite struct StudyDemoTests {
    @Test func theDemoCityStudiesAtDifferentRates() async throws {
        try await TestApp.run { app, _ in
            _ = try await DemoCity.build(app, members: 400, seed: 5)
            let now = app.clock.now()
            let episodes = try await StudyEpisode.query(on: app.db).sort(\.$number).all()
            #expect(episodes.count >= 4)
            let states = Set(episodes.map { $0.window(at: now) })
            #expect(states == [.closed, .open, .notYetOpen])
            let completions = try await StudyCompletion.query(on: app.db).all()
            #expect(!completions.isEmpty)
            #expect(Set(completions.map(\.source)) == ["app", "import"])
            // Nothing completed outside its episode's window or before it opened.
            let byID = Dictionary(uniqueKeysWithValues: episodes.map { ($0.id!, $0) })
            #expect(completions.allSatisfy { completion in byID[completion.episodeID]?.window(at: completion.completedAt) == .open })
            // Branches differ: participation in a closed episode is not the same everywhere.
            let closed = try #require(episodes.last { $0.window(at: now) == .closed })
            let perBranch = Dictionary(grouping: completions.filter { $0.episodeID == closed.id }, by: \.branchID).mapValues(\.count)
            #expect(Set(perBranch.values).count > 2)
            try await StatisticsTests.expectCountsMatchARecount(app)
            // The demo member has done some past weeks.
            let account = try #require(try await Scope.unrestricted.accounts(on: app.db).filter(\.$username == "demo.member").first())
            #expect(completions.contains { $0.memberID == account.memberID })

            let city = Browser(app)
            _ = try await city.signIn("demo.city", DemoCity.demoPassword)
            let list = try await city.get("/study")
            #expect(list.status == .ok)
            #expect(list.contains(closed.label) && list.contains("学习中"))
            let page = try await city.get("/study/episodes/\(closed.id!)")
            #expect(page.status == .ok)
            let branch = Browser(app)
            _ = try await branch.signIn("demo.branch", DemoCity.demoPassword)
            let branchList = try await branch.get("/study")
            #expect(branchList.status == .ok && branchList.contains(closed.label))
            let member = Browser(app)
            _ = try await member.signIn("demo.member", DemoCity.demoPassword)
            #expect(try await member.get("/learn").status == .ok)
        }
    }
}
