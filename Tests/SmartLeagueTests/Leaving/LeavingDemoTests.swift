import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

/// The demo city's 离团: over-age members who left and those still flagged, withdrawals, lapse
/// decisions waiting, approved and refused; counts kept; the page seen by the city and the branch.
@Suite struct LeavingDemoTests {
    @Test func theDemoCityHasMembersLeavingEveryWay() async throws {
        try await TestApp.run { app, _ in
            _ = try await DemoCity.build(app, members: 400, seed: 14)
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
            let former = try await Scope.unrestricted.formerMembers(on: app.db).all()
            for kind in [LeavingKind.overage, .withdrawal] {
                #expect(former.contains { $0.leftReason?.hasPrefix(kind.label) == true })
            }
            for member in former {
                #expect(member.leftOn! <= today.description && member.leftOn! >= member.joinedOn)
                if member.leftReason?.hasPrefix(LeavingKind.overage.label) == true {
                    #expect(MembershipAge.age(born: CalendarDate(member.birthDate)!, on: CalendarDate(member.leftOn!)!) >= 28)
                }
            }
            // Some who turned 28 are still on the list.
            let latest = MembershipAge.latestBirthDate(forAge: MembershipAge.leavingAge, on: today)
            let flagged = try await Scope.unrestricted.members(on: app.db).filter(\.$birthDate <= latest.description)
                .filter(\.$holdsLeaguePost == false).all()
            #expect(!flagged.isEmpty)
            // Lapse decisions in each state, when the dues on record let any member qualify.
            let requests = try await Scope.unrestricted.query(LeavingRequest.self, on: app.db).all()
            if requests.count >= 3 {
                #expect(Set(requests.map(\.status)) == [.pending, .approved, .refused])
            }
            if !requests.isEmpty {
                for approved in requests.filter({ $0.status == .approved }) {
                    #expect(former.contains { $0.id == approved.memberID && $0.leftReason?.hasPrefix(LeavingKind.lapse.label) == true })
                }
            }
            // The demo member stays.
            let demoMember = try await Account.query(on: app.db).filter(\.$username == "demo.member").first()!
            #expect(!demoMember.disabled)
            try await StatisticsTests.expectCountsMatchARecount(app)

            let city = Browser(app)
            _ = try await city.signIn("demo.city", DemoCity.demoPassword)
            let page = try await city.get("/leaving")
            #expect(page.status == .ok && page.contains(flagged[0].name) && page.contains(LeavingKind.overage.label))
            let branch = Browser(app)
            _ = try await branch.signIn("demo.branch", DemoCity.demoPassword)
            #expect(try await branch.get("/leaving").status == .ok)
        }
    }
}
