import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

/// The demo city's transfers: every state, done ones having moved their members (counts kept),
/// requests in every state, and the list seen by the city, the demo branch and the demo member.
@Suite struct TransfersDemoTests {
    @Test func theDemoCityHasTransfersInEveryState() async throws {
        try await TestApp.run { app, _ in
            _ = try await DemoCity.build(app, members: 400, seed: 13)
            let transfers = try await Scope.unrestricted.transfers(on: app.db).all()
            #expect(Set(transfers.map(\.status)) == Set(TransferStatus.allCases))
            #expect(Set(transfers.map(\.startedBy)) == [.sender, .receiver, .member])
            #expect(transfers.contains { $0.graduate })
            // Within a district and across districts.
            #expect(transfers.contains { $0.fromPath.ids[1] == $0.toPath.ids[1] })
            #expect(transfers.contains { $0.fromPath.ids[1] != $0.toPath.ids[1] })
            // A done transfer moved its member to where it went (unless they moved on or left since).
            for transfer in transfers where transfer.status == .done {
                let member = try await Scope.unrestricted.everyMember(on: app.db).filter(\.$id == transfer.memberID).first()!
                let later = transfers.contains { $0.memberID == transfer.memberID && $0.id! > transfer.id! }
                if !later && member.leftOn == nil {
                    #expect(member.branchID == (transfer.placedBranchID ?? transfer.toUnitID))
                }
            }
            let now = app.clock.now()
            let requests = try await TransferRequest.query(on: app.db).all()
            #expect(Set(requests.map { $0.label(at: now) }).isSuperset(of: ["待转出方确认", "已过期（转出方未确认）", "转出方已同意", "转出方未同意", "已撤回"]))
            #expect(requests.contains { $0.memberID == nil })
            try await StatisticsTests.expectCountsMatchARecount(app)

            let city = Browser(app)
            _ = try await city.signIn("demo.city", DemoCity.demoPassword)
            let list = try await city.get("/transfers")
            #expect(list.status == .ok && list.contains(TransferStatus.done.label) && list.contains(TransferStatus.awaitingReceiver.label))
            let branch = Browser(app)
            _ = try await branch.signIn("demo.branch", DemoCity.demoPassword)
            let own = try await branch.get("/transfers")
            #expect(own.status == .ok && own.contains(TransferStatus.awaitingSender.label))
            let member = Browser(app)
            _ = try await member.signIn("demo.member", DemoCity.demoPassword)
            let mine = try await member.get("/transfers")
            #expect(mine.status == .ok && mine.contains(TransferStatus.awaitingSender.label))
        }
    }
}
