import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Writing completions: one statement inserts a batch and skips those already there, so a
/// second completion of the same episode changes nothing; the participation counts of each
/// branch and its ancestors follow in the same transaction.
enum CompletionStore {
    struct Key: Hashable, Sendable, Decodable {
        let episode_id: Int
        let member_id: Int
    }

    struct Entry: Sendable {
        let episodeID: Int
        let memberID: Int
        let branchID: Int
        let branchPath: String
        let at: Date
        let source: String
        let score: Int?

        var key: Key { Key(episode_id: episodeID, member_id: memberID) }
    }

    /// The keys of the entries that were new.
    static func insert(_ entries: [Entry], on db: any Database) async throws -> Set<Key> {
        var seen = Set<Key>()
        let unique = entries.filter { seen.insert($0.key).inserted }
        var inserted = Set<Key>()
        var delta = MemberStats.Delta()
        var start = 0
        while start < unique.count {
            // 7 values a row stays far below SQLite's limit of bound parameters.
            let chunk = unique[start..<min(start + 1000, unique.count)]
            let rows = SQLList(chunk.map { entry in
                SQLGroupExpression([SQLBind(entry.episodeID), SQLBind(entry.memberID), SQLBind(entry.branchID),
                                    SQLBind(entry.branchPath), SQLBind(entry.at), SQLBind(entry.source), SQLBind(entry.score)]
                                   as [any SQLExpression])
            })
            let new = try await db.sql.raw("""
                INSERT INTO study_completions (episode_id, member_id, branch_id, branch_path, completed_at, source, score)
                VALUES \(rows) ON CONFLICT (episode_id, member_id) DO NOTHING RETURNING episode_id, member_id
                """).all(decoding: Key.self)
            let newKeys = Set(new)
            for entry in chunk where newKeys.contains(entry.key) {
                delta.add([(.study, String(entry.episodeID))], at: TreePath(entry.branchPath)!, 1)
            }
            inserted.formUnion(newKeys)
            start += chunk.count
        }
        try await delta.apply(on: db)
        return inserted
    }
}

/// Group commit for completions that arrive in bursts: each request waits for the transaction
/// that carries it, and while one transaction is being written the next requests gather for the
/// following one. A success answer therefore always means the completion is stored, and a burst
/// costs one transaction per few hundred completions instead of one each.
actor CompletionRecorder {
    enum Outcome: Sendable { case recorded, alreadyDone }

    private let db: any Database
    private let writer: Writer
    private var pending: [(CompletionStore.Entry, CheckedContinuation<Outcome, any Error>)] = []
    private var draining = false

    init(db: any Database, writer: Writer) {
        self.db = db
        self.writer = writer
    }

    func record(_ entry: CompletionStore.Entry) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((entry, continuation))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(5000))
            pending.removeFirst(batch.count)
            do {
                let entries = batch.map(\.0)
                let inserted = try await writer.write(db) { try await CompletionStore.insert(entries, on: $0) }
                // Within one batch the first of two equal entries is the one stored.
                var answered = Set<CompletionStore.Key>()
                for (entry, continuation) in batch {
                    let first = answered.insert(entry.key).inserted
                    continuation.resume(returning: first && inserted.contains(entry.key) ? .recorded : .alreadyDone)
                }
            } catch {
                for (_, continuation) in batch { continuation.resume(throwing: error) }
            }
        }
        draining = false
    }
}

extension Application {
    private struct RecorderKey: StorageKey { typealias Value = CompletionRecorder }

    /// Set once in `configure`, so that every request shares the one queue.
    var completionRecorder: CompletionRecorder {
        get {
            guard let recorder = storage[RecorderKey.self] else { fatalError("configure(_:settings:) was not called") }
            return recorder
        }
        set { storage[RecorderKey.self] = newValue }
    }
}
