import Foundation
import LeagueCore

/// The store on the embedded file: the whole batch is one transaction on a connection of its own
/// (`SQLiteDirect`), taken through the writer's gate like every other write, so it never writes
/// between another transaction's read and write.
struct SQLiteCompletionStore: CompletionStore {
    let direct: SQLiteDirect
    let writer: Writer

    func record(_ claims: [CompletionRecorder.Claim], idleMinutes: Int) async throws -> [CompletionRecorder.Outcome] {
        let keys = CompletionRecorder.sessionKeys(claims)
        return try await writer.serially {
            try direct.write { transaction in
                let batch = CompletionRecorder.Batch(claims, sessions: try Self.sessions(keys: keys, in: transaction), idleMinutes: idleMinutes)
                if let touch = batch.touch { try Self.touch(sessionIDs: touch.sessionIDs, now: touch.at, in: transaction) }
                return batch.outcomes(inserted: try Self.insert(batch.entries.map(\.entry), in: transaction))
            }
        }
    }

    /// The batch's sessions, read as `SessionStore.find` reads them on SQLite.
    static func sessions(keys: [String], in transaction: SQLiteDirect.Transaction) throws -> [String: SessionStore.Found] {
        guard !keys.isEmpty else { return [:] }
        return SessionStore.byKey(try transaction.rows(SessionStore.foundByKeyListOnSQLite, [SessionStore.keyList(keys)]).map(SessionStore.Found.init(row:)))
    }

    static func touch(sessionIDs: [String], now: Date, in transaction: SQLiteDirect.Transaction) throws {
        for id in sessionIDs { try transaction.run("UPDATE sessions SET last_seen_at = ?1 WHERE id = ?2", [now, id]) }
    }

    /// One prepared statement run for each entry, in the batch's transaction.
    static func insert(_ entries: [CompletionRows.Entry], in transaction: SQLiteDirect.Transaction) throws -> Set<CompletionRows.Key> {
        var inserted = Set<CompletionRows.Key>()
        for entry in CompletionRows.distinct(entries) {
            let changed = try transaction.run("""
                INSERT INTO \(CompletionRows.columns) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (member_id, episode_id) DO NOTHING
                """, [entry.episodeID, entry.memberID, entry.branchID, entry.branchPath.value, entry.at, entry.source, entry.score])
            if changed == 1 { inserted.insert(entry.key) }
        }
        return inserted
    }
}
