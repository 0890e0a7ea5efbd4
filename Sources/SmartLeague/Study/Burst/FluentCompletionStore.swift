import Fluent
import LeagueCore
import SQLKit
import Vapor

/// The store on PostgreSQL: the batch's sessions in one read, then the touch and the insert
/// through the writer, each one statement and atomic by itself.
struct FluentCompletionStore: CompletionStore {
    let db: any Database
    let writer: Writer

    func record(_ claims: [CompletionRecorder.Claim], idleMinutes: Int) async throws -> [CompletionRecorder.Outcome] {
        let sessions = try await SessionStore.find(keys: CompletionRecorder.sessionKeys(claims), on: db)
        let batch = CompletionRecorder.Batch(claims, sessions: sessions, idleMinutes: idleMinutes)
        // The touch goes first: should the insert then fail, a later last-seen time is all that remains.
        let inserted = try await writer.writeStatements(db) { db in
            if let touch = batch.touch { try await SessionStore.touch(sessionIDs: touch.sessionIDs, now: touch.at, on: db) }
            return try await Self.insert(batch.entries.map(\.entry), on: db)
        }
        return batch.outcomes(inserted: inserted)
    }

    /// The keys of the entries that were new; each new row counts itself (`AddStudyCountTrigger`).
    static func insert(_ entries: [CompletionRows.Entry], on db: any Database) async throws -> Set<CompletionRows.Key> {
        var inserted = Set<CompletionRows.Key>()
        var start = 0
        let unique = CompletionRows.distinct(entries)
        while start < unique.count {
            // 7 values a row stays far below SQLite's limit of bound parameters.
            let chunk = unique[start..<min(start + 1000, unique.count)]
            let rows = SQLList(chunk.map { entry in
                SQLGroupExpression([SQLBind(entry.episodeID), SQLBind(entry.memberID), SQLBind(entry.branchID),
                                    SQLBind(entry.branchPath.value), SQLBind(entry.at), SQLBind(entry.source), SQLBind(entry.score)]
                                   as [any SQLExpression])
            })
            let new = try await db.sql.raw("""
                INSERT INTO \(unsafeRaw: CompletionRows.columns) VALUES \(rows)
                ON CONFLICT (member_id, episode_id) DO NOTHING RETURNING episode_id, member_id
                """).all(decoding: CompletionRows.Key.self)
            inserted.formUnion(new)
            start += chunk.count
        }
        return inserted
    }
}
