import NIOConcurrencyHelpers
import NIOCore

/// Runs many small requests of the same kind as one: callers submit an input and get a future;
/// while one batch runs, the next inputs gather for the following one. At a trickle a batch is
/// one input and nothing waits longer than it would alone; in a burst one query or one
/// transaction serves hundreds of requests, which is what lets SQLite's one connection per event
/// loop keep up.
///
/// Submitting takes a lock, not an actor hop, and the answer comes back on the caller's event
/// loop: in a burst the per-request cost is what decides the rate, and only the batch itself
/// crosses into Swift concurrency, once per batch.
final class Batcher<Input: Sendable, Output: Sendable>: Sendable {
    typealias Run = @Sendable ([Input]) async throws -> [Output]

    private struct State: Sendable {
        var pending: [(Input, EventLoopPromise<Output>)] = []
        var draining = false
    }

    private let run: Run
    private let largest: Int
    private let state = NIOLockedValueBox(State())

    /// - Parameter run: answers a batch, one output per input in the same order.
    init(largest: Int, run: @escaping Run) {
        self.largest = largest
        self.run = run
    }

    func submit(_ input: Input, on eventLoop: any EventLoop) -> EventLoopFuture<Output> {
        let promise = eventLoop.makePromise(of: Output.self)
        let startDraining = state.withLockedValue { state in
            state.pending.append((input, promise))
            guard !state.draining else { return false }
            state.draining = true
            return true
        }
        if startDraining { Task { await drain() } }
        return promise.futureResult
    }

    private func drain() async {
        while true {
            let batch = state.withLockedValue { state in
                let batch = Array(state.pending.prefix(largest))
                state.pending.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            let results: [Result<Output, any Error>]
            do {
                let outputs = try await run(batch.map(\.0))
                precondition(outputs.count == batch.count, "a batch answers every input")
                results = outputs.map { .success($0) }
            } catch {
                results = Array(repeating: .failure(error), count: batch.count)
            }
            answer(zip(batch.map(\.1), results))
        }
    }

    /// Completes the promises of each event loop in one task on that loop: a promise completed
    /// from outside its loop costs a hand-over each, and a burst batch holds hundreds.
    private func answer(_ answers: some Sequence<(EventLoopPromise<Output>, Result<Output, any Error>)>) {
        var byLoop: [ObjectIdentifier: (loop: any EventLoop, answers: [(EventLoopPromise<Output>, Result<Output, any Error>)])] = [:]
        for (promise, result) in answers {
            let loop = promise.futureResult.eventLoop
            byLoop[ObjectIdentifier(loop), default: (loop, [])].answers.append((promise, result))
        }
        for (loop, answers) in byLoop.values {
            loop.execute {
                for (promise, result) in answers { promise.completeWith(result) }
            }
        }
    }
}
