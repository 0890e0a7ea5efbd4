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
}
