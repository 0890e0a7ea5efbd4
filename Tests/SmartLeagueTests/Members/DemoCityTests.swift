import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

@Suite struct DemoCityTests {
    static func build(seed: UInt64) async throws -> [String] {
        var fingerprint: [String] = []
        try await TestApp.run { app, _ in
            let summary = try await DemoCity.build(app, members: 400, seed: seed)
            #expect(summary.members == 400)
            let members = try await Scope.unrestricted.members(on: app.db).sort(\.$memberNumber).all()
            #expect(members.count == 400)
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
            for member in members {
                let id = try ResidentID(try app.vault.open(member.idSealed), today: today)
                #expect(id.value.hasPrefix("3302"))
                #expect(id.gender == member.gender)
                #expect(MembershipAge.joining.contains(MembershipAge.age(born: id.birthDate, on: CalendarDate(member.joinedOn)!)))
            }
            try await StatisticsTests.expectCountsMatchARecount(app)
            // Each level's demo administrator sees only their part.
            let branchAdmin = Browser(app)
            #expect(try await branchAdmin.signIn("demo.branch", DemoCity.demoPassword).location == "/")
            let list = try await branchAdmin.get("/members")
            #expect(list.status == .ok)
            #expect(!list.contains("共 400 条"))
            // A second run refuses to build over existing data.
            await #expect(throws: Refusal.self) { try await DemoCity.build(app, members: 10, seed: seed) }
            fingerprint = members.map { "\($0.name) \($0.idMasked) \($0.birthDate) \($0.branchPath)" }
        }
        return fingerprint
    }

    @Test func theSameSeedBuildsTheSameCity() async throws {
        let first = try await Self.build(seed: 3)
        let second = try await Self.build(seed: 3)
        #expect(first == second)
    }
}
