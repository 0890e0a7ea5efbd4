import LeagueCore
import Fluent
import FluentSQLiteDriver
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
        let branchPath: TreePath
        let at: Date
        let source: String
        let score: Int?

        var key: Key { Key(episode_id: episodeID, member_id: memberID) }
    }

    private static let columns = "study_completions (episode_id, member_id, branch_id, branch_path, completed_at, source, score)"

    /// The keys of the entries that were new; each new row counts itself (`AddStudyCountTrigger`).
    static func insert(_ entries: [Entry], on db: any Database) async throws -> Set<Key> {
        var inserted = Set<Key>()
        var start = 0
        let unique = distinct(entries)
        while start < unique.count {
            // 7 values a row stays far below SQLite's limit of bound parameters.
            let chunk = unique[start..<min(start + 1000, unique.count)]
            let rows = SQLList(chunk.map { entry in
                SQLGroupExpression([SQLBind(entry.episodeID), SQLBind(entry.memberID), SQLBind(entry.branchID),
                                    SQLBind(entry.branchPath.value), SQLBind(entry.at), SQLBind(entry.source), SQLBind(entry.score)]
                                   as [any SQLExpression])
            })
            let new = try await db.sql.raw("""
                INSERT INTO \(unsafeRaw: columns) VALUES \(rows)
                ON CONFLICT (member_id, episode_id) DO NOTHING RETURNING episode_id, member_id
                """).all(decoding: Key.self)
            inserted.formUnion(new)
            start += chunk.count
        }
        return inserted
    }

    /// The same inside a transaction of `SQLiteDirect`: one prepared statement run for each entry.
    static func insert(_ entries: [Entry], in transaction: SQLiteDirect.Transaction) throws -> Set<Key> {
        var inserted = Set<Key>()
        for entry in distinct(entries) {
            let changed = try transaction.run("""
                INSERT INTO \(columns) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (member_id, episode_id) DO NOTHING
                """, [entry.episodeID, entry.memberID, entry.branchID, entry.branchPath.value, entry.at, entry.source, entry.score])
            if changed == 1 { inserted.insert(entry.key) }
        }
        return inserted
    }

    private static func distinct(_ entries: [Entry]) -> [Entry] {
        var seen = Set<Key>()
        return entries.filter { seen.insert($0.key).inserted }
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
            case member(id: Int, branchID: Int, branchPath: TreePath)
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

    /// Where a batch reads its sessions and writes its completions.
    enum Store: Sendable {
        /// Through Fluent (PostgreSQL): the session read, then the touch and the insert through
        /// the writer, each one statement and atomic by itself.
        case fluent(any Database)
        /// The embedded file: the whole batch is one transaction on a connection of its own.
        case direct(SQLiteDirect)
    }

    static func make(store: Store, writer: Writer, idleMinutes: Int) -> Batcher<Claim, Outcome> {
        // At most one insert statement a batch on Fluent (`CompletionStore.insert` takes 1,000
        // rows a statement), so that the batch needs no transaction around it.
        Batcher(largest: 1000) { claims in
            let keys = Array(Set(claims.compactMap { claim -> String? in
                if case .session(let key, _) = claim.learner { key } else { nil }
            }))
            switch store {
            case .fluent(let db):
                let batch = Batch(claims, sessions: try await SessionStore.find(keys: keys, on: db), idleMinutes: idleMinutes)
                // The touch goes first: should the insert then fail, a later last-seen time is all that remains.
                let inserted = try await writer.writeStatements(db) { db in
                    if let touch = batch.touch { try await SessionStore.touch(sessionIDs: touch.sessionIDs, now: touch.at, on: db) }
                    return try await CompletionStore.insert(batch.entries.map(\.entry), on: db)
                }
                return batch.outcomes(inserted: inserted)
            case .direct(let direct):
                return try await writer.serially {
                    try direct.write { transaction in
                        let batch = Batch(claims, sessions: try SessionStore.find(keys: keys, in: transaction), idleMinutes: idleMinutes)
                        if let touch = batch.touch { try SessionStore.touch(sessionIDs: touch.sessionIDs, now: touch.at, in: transaction) }
                        return batch.outcomes(inserted: try CompletionStore.insert(batch.entries.map(\.entry), in: transaction))
                    }
                }
            }
        }
    }

    /// What a batch writes, once its sessions are read: an entry for each claim of a member, and
    /// the last-seen time of the sessions that are due for one.
    private struct Batch {
        let claims: [Claim]
        var entries: [(index: Int, entry: CompletionStore.Entry)] = []
        var touch: (sessionIDs: [String], at: Date)?

        init(_ claims: [Claim], sessions: [String: SessionStore.Found], idleMinutes: Int) {
            self.claims = claims
            var due: Set<String> = []
            for (index, claim) in claims.enumerated() {
                switch claim.learner {
                case .member(let id, let branchID, let branchPath):
                    entries.append((index, claim.entry(memberID: id, branchID: branchID, branchPath: branchPath)))
                case .session(let key, let csrf):
                    guard let found = sessions[key], let actor = CompletionBurst.learner(found, csrf: csrf, at: claim.at, idleMinutes: idleMinutes),
                          let memberID = actor.memberID else { continue }
                    entries.append((index, claim.entry(memberID: memberID, branchID: actor.unitID, branchPath: actor.unitPath)))
                    if found.isDueForTouch(at: claim.at) { due.insert(found.session_id) }
                }
            }
            if !due.isEmpty, let now = claims.map(\.at).max() { touch = (Array(due), now) }
        }

        /// Within one batch the first of two equal entries is the one stored.
        func outcomes(inserted: Set<CompletionStore.Key>) -> [Outcome] {
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
    fileprivate func entry(memberID: Int, branchID: Int, branchPath: TreePath) -> CompletionStore.Entry {
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
