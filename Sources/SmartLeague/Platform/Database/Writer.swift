import Fluent
import NIOConcurrencyHelpers
import Vapor

/// Every write goes through here: one transaction, so nothing is ever half-written.
///
/// On SQLite the embedded file gets one writer at a time in this process: SQLite writes one
/// transaction at a time anyway, and the transactions run on one writing connection of their own
/// (decision 018), which the gate keeps to one transaction between its `BEGIN` and its end. PostgreSQL takes concurrent writers and relies on row locks where it matters,
/// but a burst of writes (2,000 volunteers signing up for one post at once) must not wait for
/// connections in the pool, whose wait ends in a timeout after 20 seconds and leaves reads
/// nothing: writers queue here instead, first come first served, fewer at a time than the pool
/// holds, and give up with "busy" only when the line has not moved for `patience` (a minute): a
/// burst is served however long its line is, as long as it moves, while writes that hold every
/// permit for a minute (long imports, a stuck database) cannot hold sign-in back for ever.
public final class Writer: Sendable {
    private let gate: WriteGate
    private let patience: Duration?
    private let finished = NIOLockedValueBox(0)

    /// How many writes this process has finished: what was read before a write ended may be out
    /// of date once this has moved (`PublicPageCache`).
    var generation: Int { finished.withLockedValue { $0 } }

    /// - Parameters:
    ///   - concurrentWriters: how many transactions may run at once (1 on SQLite).
    ///   - patience: how long a write waits for the line to move; nil waits as long as it takes.
    init(concurrentWriters: Int, patience: Duration? = nil) {
        gate = WriteGate(permits: max(1, concurrentWriters))
        self.patience = patience
    }

    public func write<T: Sendable>(_ db: any Database, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        do {
            return try await serially { try await Self.transaction(on: db, body) }
        } catch let refusal as Refusal {
            // The refused write left nothing; what the refusal says about the attempt is kept.
            if let entry = refusal.audit {
                try await serially { try await Self.transaction(on: db) { try await Audit.record(entry, on: $0) } }
            }
            throw refusal
        }
    }

    /// On SQLite the transaction runs on the writing connection (decision 018), elsewhere it is
    /// the database's own.
    private static func transaction<T: Sendable>(on db: any Database, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if !fluentTransactions, let sqlite = db as? SQLiteReadingDatabase { return try await sqlite.writingTransaction(body) }
        return try await db.transaction(body)
    }

    /// `SMARTLEAGUE_FLUENT_WRITES=1` leaves SQLite's transactions to Fluent's driver, to measure
    /// one against the other.
    private static let fluentTransactions = ProcessInfo.processInfo.environment["SMARTLEAGUE_FLUENT_WRITES"] == "1"

    /// Writes that are each a single statement, so each atomic by itself, taken through the same
    /// gate without a transaction around them: in 青年大学习's burst the `BEGIN` and `COMMIT`
    /// round trips to the database cost more than the insert they would wrap.
    func writeStatements<T: Sendable>(_ db: any Database, _ body: (any Database) async throws -> T) async throws -> T {
        try await serially { try await body(db) }
    }

    /// Runs `work` as this process's one writer on SQLite, for writes that bring their own
    /// transaction on a connection of their own (青年大学习's burst).
    func serially<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        guard await gate.enter(patience: patience) else {
            throw Abort(.serviceUnavailable, reason: "系统繁忙，请稍后再试。")
        }
        defer { finished.withLockedValue { $0 += 1 } }
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
///
/// A waiter's patience counts from the later of its arrival and the last time a permit came back:
/// a long line that moves is waited out (it is first come, first served, so the number ahead
/// only shrinks), a line that is stuck is left.
final class WriteGate: Sendable {
    private struct Waiter {
        let ticket: Int
        let continuation: CheckedContinuation<Bool, Never>
        let arrived: ContinuousClock.Instant
        let patience: Duration?
    }

    private struct State {
        var free: Int
        var waiting: [Waiter] = []
        var nextTicket = 0
        var lastMoved = ContinuousClock.now

        /// Takes a permit if one is free.
        mutating func take() -> Bool {
            guard free > 0 else { return false }
            free -= 1
            return true
        }

        /// When a waiter gives up unless the line moves first.
        func deadline(of waiter: Waiter) -> ContinuousClock.Instant? {
            waiter.patience.map { max(waiter.arrived, lastMoved) + $0 }
        }
    }

    private let state: NIOLockedValueBox<State>

    init(permits: Int) {
        state = NIOLockedValueBox(State(free: permits))
    }

    /// Waits for a permit: true once it is held, false if the line stood still for `patience`
    /// first (then nothing is held and `leave` must not be called).
    func enter(patience: Duration? = nil) async -> Bool {
        guard !state.withLockedValue({ $0.take() }) else { return true }
        return await withCheckedContinuation { continuation in
            let arrived = ContinuousClock.now
            let ticket: Int? = state.withLockedValue { state in
                if state.take() { return nil }
                state.nextTicket += 1
                state.waiting.append(Waiter(ticket: state.nextTicket, continuation: continuation, arrived: arrived, patience: patience))
                return state.nextTicket
            }
            guard let ticket else { return continuation.resume(returning: true) }
            if let patience {
                Task { await self.watch(ticket, until: arrived + patience) }
            }
        }
    }

    /// How many wait in line now.
    var waitingCount: Int { state.withLockedValue { $0.waiting.count } }

    /// Sleeps until the waiter's patience could run out and sends away whoever's has; sleeps on
    /// while the waiter is still in line because the line moved meanwhile.
    private func watch(_ ticket: Int, until first: ContinuousClock.Instant) async {
        var deadline = first
        while true {
            try? await Task.sleep(until: deadline, clock: .continuous)
            dismissStale(now: .now)
            let still = state.withLockedValue { state in state.waiting.first { $0.ticket == ticket }.flatMap(state.deadline(of:)) }
            guard let still else { return }
            deadline = still
        }
    }

    /// Sends away, without a permit, every waiter whose patience has run out by `now`.
    func dismissStale(now: ContinuousClock.Instant) {
        let dismissed = state.withLockedValue { state -> [CheckedContinuation<Bool, Never>] in
            let (stale, staying) = state.waiting.reduce(into: ([Waiter](), [Waiter]())) { split, waiter in
                if let deadline = state.deadline(of: waiter), deadline <= now { split.0.append(waiter) } else { split.1.append(waiter) }
            }
            state.waiting = staying
            return stale.map(\.continuation)
        }
        for continuation in dismissed { continuation.resume(returning: false) }
    }

    /// Hands the permit straight to the first in line, so that nobody arriving later passes them;
    /// `now` is when the line moved.
    func leave(at now: ContinuousClock.Instant = .now) {
        state.withLockedValue { state -> CheckedContinuation<Bool, Never>? in
            state.lastMoved = max(state.lastMoved, now)
            if state.waiting.isEmpty {
                state.free += 1
                return nil
            }
            return state.waiting.removeFirst().continuation
        }?.resume(returning: true)
    }
}

extension Application {
    private struct WriterKey: StorageKey { typealias Value = Writer }

    public var writer: Writer {
        get { configured(WriterKey.self) }
        set { storage[WriterKey.self] = newValue }
    }
}
