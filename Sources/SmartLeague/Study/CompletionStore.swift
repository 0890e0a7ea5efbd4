import Fluent
import SQLKit
import Vapor

/// Writing completions: one statement inserts a batch and skips those already there, so a
/// second completion of the same episode changes nothing; the participation counts of each
/// branch and its ancestors follow inside that statement (`AddStudyCountTrigger`).
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

    /// The keys of the entries that were new; each new row counts itself (`AddStudyCountTrigger`).
    static func insert(_ entries: [Entry], on db: any Database) async throws -> Set<Key> {
        var seen = Set<Key>()
        let unique = entries.filter { seen.insert($0.key).inserted }
        var inserted = Set<Key>()
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
            inserted.formUnion(new)
            start += chunk.count
        }
        return inserted
    }
}

/// Group commit for completions that arrive in bursts: each request waits for the statement
/// that carries it, so a success answer always means the completion is stored, and a burst costs
/// one statement per few hundred completions instead of one each.
enum CompletionRecorder {
    /// A completion to record, with who sent it: a member the session middleware already found,
    /// or, on the burst path, a session cookie that the batch itself looks up, so that a burst
    /// request costs one batch instead of two.
    struct Claim: Sendable {
        enum Learner: Sendable {
            case member(id: Int, branchID: Int, branchPath: String)
            /// The session's key and the form's CSRF token, both still to be checked.
            case session(key: String, csrf: String)
        }

        let learner: Learner
        let episodeID: Int
        let score: Int
        let at: Date
    }

    enum Outcome: Sendable {
        case recorded, alreadyDone
        /// The session is not one the burst path records for: the ordinary route answers it.
        case notForBurst
    }

    static func make(db: any Database, writer: Writer, idleMinutes: Int) -> Batcher<Claim, Outcome> {
        // At most one insert statement a batch (`CompletionStore.insert` takes 1,000 rows a statement),
        // so that the batch needs no transaction around it.
        Batcher(largest: 1000) { claims in
            let keys = claims.compactMap { claim -> String? in
                if case .session(let key, _) = claim.learner { key } else { nil }
            }
            let sessions = keys.isEmpty ? [:] : try await SessionStore.find(keys: Array(Set(keys)), on: db)
            var entries: [(index: Int, entry: CompletionStore.Entry)] = []
            var due: Set<String> = []
            for (index, claim) in claims.enumerated() {
                switch claim.learner {
                case .member(let id, let branchID, let branchPath):
                    entries.append((index, claim.entry(memberID: id, branchID: branchID, branchPath: branchPath)))
                case .session(let key, let csrf):
                    guard let found = sessions[key], let actor = CompletionBurst.learner(found, csrf: csrf, at: claim.at, idleMinutes: idleMinutes),
                          let memberID = actor.memberID else { continue }
                    entries.append((index, claim.entry(memberID: memberID, branchID: actor.unitID, branchPath: actor.unitPath.value)))
                    if found.isDueForTouch(at: claim.at) { due.insert(found.session_id) }
                }
            }
            // The touch goes first: should the insert then fail, a later last-seen time is all that remains.
            let inserted = try await writer.writeStatements(db) { db in
                if !due.isEmpty, let now = claims.map(\.at).max() { try await SessionStore.touch(sessionIDs: Array(due), now: now, on: db) }
                return try await CompletionStore.insert(entries.map(\.entry), on: db)
            }
            // Within one batch the first of two equal entries is the one stored.
            var outcomes = [Outcome](repeating: .notForBurst, count: claims.count)
            var answered = Set<CompletionStore.Key>()
            for (index, entry) in entries {
                outcomes[index] = answered.insert(entry.key).inserted && inserted.contains(entry.key) ? .recorded : .alreadyDone
            }
            return outcomes
        }
    }
}

extension CompletionRecorder.Claim {
    fileprivate func entry(memberID: Int, branchID: Int, branchPath: String) -> CompletionStore.Entry {
        CompletionStore.Entry(episodeID: episodeID, memberID: memberID, branchID: branchID, branchPath: branchPath,
                              at: at, source: "app", score: score)
    }
}

extension Application {
    private struct RecorderKey: StorageKey { typealias Value = Batcher<CompletionRecorder.Claim, CompletionRecorder.Outcome> }

    /// Set once in `configure`, so that every request shares the one queue.
    var completionRecorder: Batcher<CompletionRecorder.Claim, CompletionRecorder.Outcome> {
        get {
            guard let recorder = storage[RecorderKey.self] else { fatalError("configure(_:settings:) was not called") }
            return recorder
        }
        set { storage[RecorderKey.self] = newValue }
    }
}
