/// Runs many small requests of the same kind as one: callers submit an input and wait; while one
/// batch runs, the next inputs gather for the following one. At a trickle a batch is one input
/// and nothing waits longer than it would alone; in a burst one query or one transaction serves
/// hundreds of requests, which is what lets SQLite's one connection per event loop keep up.
actor Batcher<Input: Sendable, Output: Sendable> {
    typealias Run = @Sendable ([Input]) async throws -> [Output]

    private let run: Run
    private let largest: Int
    private var pending: [(Input, CheckedContinuation<Output, any Error>)] = []
    private var draining = false

    /// - Parameter run: answers a batch, one output per input in the same order.
    init(largest: Int, run: @escaping Run) {
        self.largest = largest
        self.run = run
    }

    func submit(_ input: Input) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((input, continuation))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(largest))
            pending.removeFirst(batch.count)
            do {
                let outputs = try await run(batch.map(\.0))
                precondition(outputs.count == batch.count, "a batch answers every input")
                for ((_, continuation), output) in zip(batch, outputs) { continuation.resume(returning: output) }
            } catch {
                for (_, continuation) in batch { continuation.resume(throwing: error) }
            }
        }
        draining = false
    }
}
