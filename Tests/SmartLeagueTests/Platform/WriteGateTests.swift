import Foundation
import NIOConcurrencyHelpers
import Testing
@testable import SmartLeague

/// The writers' queue: first come first served, as many at once as it has permits, and a waiter
/// whose patience runs out leaves the line holding nothing.
@Suite struct WriteGateTests {
    @Test func permitsAreHandedOnInOrderAndImpatientWaitersLeaveEmptyHanded() async throws {
        let gate = WriteGate(permits: 2)
        #expect(await gate.enter())
        #expect(await gate.enter())
        // Both permits are held: a waiter with little patience gives up.
        #expect(await gate.enter(patience: .milliseconds(50)) == false)

        // Waiters are served in the order they came, each as a permit comes back.
        let order = NIOLockedValueBox<[Int]>([])
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<3 {
                group.addTask {
                    #expect(await gate.enter(patience: .seconds(30)))
                    order.withLockedValue { $0.append(index) }
                    gate.leave()
                }
                // The next waiter comes only once this one stands in line.
                while gate.waitingCount < index + 1 { try? await Task.sleep(for: .milliseconds(1)) }
            }
            gate.leave()
        }
        #expect(order.withLockedValue { $0 } == [0, 1, 2])
        // One permit is still held, one is free again: the impatient waiter took none.
        #expect(await gate.enter(patience: .milliseconds(50)))
        #expect(await gate.enter(patience: .milliseconds(50)) == false)
    }

    /// Patience counts from the line's last move: a waiter behind a line that moves is served
    /// after more than its patience, a waiter behind a line that stands still is sent away. The
    /// line's moves and the watch are given their times, so that a loaded machine cannot bend them.
    @Test(.timeLimit(.minutes(1))) func aMovingLineIsWaitedOutAndAStuckOneIsLeft() async throws {
        let gate = WriteGate(permits: 1)
        let patience = Duration.seconds(1000)
        let start = ContinuousClock.now
        #expect(await gate.enter())
        async let second = gate.enter(patience: patience)
        while gate.waitingCount < 1 { try await Task.sleep(for: .milliseconds(1)) }
        async let third = gate.enter(patience: patience)
        while gate.waitingCount < 2 { try await Task.sleep(for: .milliseconds(1)) }
        gate.leave(at: start + .seconds(600))
        #expect(await second)
        // The third arrived more than its patience ago, but the line moved 600 s in.
        gate.dismissStale(now: start + .seconds(1500))
        #expect(gate.waitingCount == 1)
        gate.leave(at: start + .seconds(1550))
        #expect(await third)
        // The third holds its permit and does not leave: the line stands still from 1550 s on.
        async let fourth = gate.enter(patience: patience)
        while gate.waitingCount < 1 { try await Task.sleep(for: .milliseconds(1)) }
        gate.dismissStale(now: start + .seconds(2600))
        #expect(await fourth == false)
        #expect(gate.waitingCount == 0)
    }
}
