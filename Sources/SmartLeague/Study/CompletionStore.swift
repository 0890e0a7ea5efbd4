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
                VALUES \(rows) ON CONFLICT (member_id, episode_id) DO NOTHING RETURNING episode_id, member_id
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
/// that carries it, so a success answer always means the completion is stored, and a burst costs
/// one transaction per few hundred completions instead of one each.
enum CompletionRecorder {
    enum Outcome: Sendable { case recorded, alreadyDone }

    static func make(db: any Database, writer: Writer) -> Batcher<CompletionStore.Entry, Outcome> {
        Batcher(largest: 5000) { entries in
            let inserted = try await writer.write(db) { try await CompletionStore.insert(entries, on: $0) }
            // Within one batch the first of two equal entries is the one stored.
            var answered = Set<CompletionStore.Key>()
            return entries.map { entry in
                answered.insert(entry.key).inserted && inserted.contains(entry.key) ? .recorded : .alreadyDone
            }
        }
    }
}

extension Application {
    private struct RecorderKey: StorageKey { typealias Value = Batcher<CompletionStore.Entry, CompletionRecorder.Outcome> }

    /// Set once in `configure`, so that every request shares the one queue.
    var completionRecorder: Batcher<CompletionStore.Entry, CompletionRecorder.Outcome> {
        get {
            guard let recorder = storage[RecorderKey.self] else { fatalError("configure(_:settings:) was not called") }
            return recorder
        }
        set { storage[RecorderKey.self] = newValue }
    }
}
