import Fluent
import NIOConcurrencyHelpers
import Vapor

/// Every write goes through here: one transaction, so nothing is ever half-written.
///
/// On SQLite, Fluent begins transactions DEFERRED, so two connections that both read before
/// writing deadlock with SQLITE_BUSY; the embedded file therefore gets one writer at a time in
/// this process. PostgreSQL takes concurrent writers and relies on row locks where it matters,
/// but a burst of writes (2,000 volunteers signing up for one post at once) must not wait for
/// connections in the pool, whose wait ends in a timeout and leaves reads nothing: writers
/// queue here instead, first come first served, a few fewer at a time than the pool holds.
public final class Writer: Sendable {
    private let gate: WriteGate

    /// - Parameter concurrentWriters: how many transactions may run at once (1 on SQLite).
    init(concurrentWriters: Int) {
        gate = WriteGate(permits: max(1, concurrentWriters))
    }

    public func write<T: Sendable>(_ db: any Database, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        do {
            return try await serially { try await db.transaction(body) }
        } catch let refusal as Refusal {
            // The refused write left nothing; what the refusal says about the attempt is kept.
            if let entry = refusal.audit {
                try await serially { try await db.transaction { try await Audit.record(entry, on: $0) } }
            }
            throw refusal
        }
    }

    /// Writes that are each a single statement, so each atomic by itself, taken through the same
    /// gate without a transaction around them: in 青年大学习's burst the `BEGIN` and `COMMIT`
    /// round trips to the database cost more than the insert they would wrap.
    func writeStatements<T: Sendable>(_ db: any Database, _ body: (any Database) async throws -> T) async throws -> T {
        try await serially { try await body(db) }
    }

    /// Runs `work` as this process's one writer on SQLite, for writes that bring their own
    /// transaction on a connection of their own (青年大学习's burst).
    func serially<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        await gate.enter()
        do {
            let result = try await work()
            gate.leave()
            return result
        } catch {
            gate.leave()
            throw error
        }
    }
}

/// A first-come, first-served semaphore for async code. Entering a free gate does not suspend:
/// an actor would cost two hand-overs for every write, and the burst writes thousands of batches.
final class WriteGate: Sendable {
    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []

        /// Takes a permit if one is free.
        mutating func take() -> Bool {
            guard free > 0 else { return false }
            free -= 1
            return true
        }
    }

    private let state: NIOLockedValueBox<State>

    init(permits: Int) {
        state = NIOLockedValueBox(State(free: permits))
    }

    func enter() async {
        guard !state.withLockedValue({ $0.take() }) else { return }
        await withCheckedContinuation { continuation in
            let entered = state.withLockedValue { state in
                if state.take() { return true }
                state.waiting.append(continuation)
                return false
            }
            if entered { continuation.resume() }
        }
    }

    /// Hands the permit straight to the first in line, so that nobody arriving later passes them.
    func leave() {
        state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.free += 1
                return nil
            }
            return state.waiting.removeFirst()
        }?.resume()
    }
}

extension Application {
    private struct WriterKey: StorageKey { typealias Value = Writer }

    public var writer: Writer {
        get {
            guard let writer = storage[WriterKey.self] else { fatalError("configure(_:settings:) was not called") }
            return writer
        }
        set { storage[WriterKey.self] = newValue }
    }
}
