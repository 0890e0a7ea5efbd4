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

    /// Patience counts from the line's last move: a waiter behind a long line that moves is served
    /// after more than its patience, a waiter behind a line that stands still leaves.
    @Test func aMovingLineIsWaitedOutAndAStuckOneIsLeft() async throws {
        let gate = WriteGate(permits: 1)
        #expect(await gate.enter())
        let patience = Duration.seconds(2), step = Duration.milliseconds(1200)
        let started = ContinuousClock.now
        async let second = gate.enter(patience: patience)
        while gate.waitingCount < 1 { try await Task.sleep(for: .milliseconds(1)) }
        async let third = gate.enter(patience: patience)
        while gate.waitingCount < 2 { try await Task.sleep(for: .milliseconds(1)) }
        try await Task.sleep(for: step)
        gate.leave()
        #expect(await second)
        try await Task.sleep(for: step)
        gate.leave()
        #expect(await third)
        #expect(ContinuousClock.now - started > patience)
        // The third holds its permit and does not leave: the line stands still.
        #expect(await gate.enter(patience: .milliseconds(300)) == false)
    }
}
