import Fluent
import NIOPosix
import SQLKit
import SQLiteNIO

extension Database {
    /// Inserts the rows each chunk gives, a statement a chunk, in the chunks' order, building each
    /// statement — and writing its SQL — while the one before it runs. For bulk writes (the demo
    /// city's members and completions), building a statement of a few thousand values costs the
    /// server about what SQLite takes to run it; one after the other they kept one core busy and
    /// the other idle.
    ///
    /// In a transaction, no two statements run at once and none is left running when this
    /// returns or throws. A single chunk (the kept totals of most use cases) runs right here, with
    /// nothing to overlap.
    func runOverlapping<Chunks: Sequence>(_ chunks: Chunks, _ build: (Chunks.Element) throws -> BulkRows) async throws {
        var running: Task<Void, any Error>?
        var remaining = chunks.makeIterator()
        var next = remaining.next()
        do {
            while let chunk = next {
                let statement = ReadyStatement(try build(chunk), for: self)
                next = remaining.next()
                if running == nil && next == nil { return try await statement.run(on: self, overlapping: false) }
                try await running?.value
                running = Task { try await statement.run(on: self, overlapping: true) }
            }
            try await running?.value
        } catch {
            _ = try? await running?.value
            throw error
        }
    }
}

/// A statement already written for one database, with its values: built on one task and run on
/// another.
private enum ReadyStatement: Sendable {
    case sqlite(sql: String, binds: [SQLiteData])
    case sql(SerializedStatement)

    init(_ rows: BulkRows, for db: any Database) {
        if db is any SQLiteDatabase || db is SQLiteWritingTransaction {
            let (sql, binds) = rows.sqlite
            self = .sqlite(sql: sql, binds: binds)
        } else {
            self = .sql(SerializedStatement(rows.insert(on: db).query, for: db))
        }
    }

    func run(on db: any Database, overlapping: Bool) async throws {
        switch self {
        case .sqlite(let sql, let binds):
            if let writing = db as? SQLiteWritingTransaction {
                // Beside the next statement's building, on a thread of NIO's pool, as Fluent's
                // driver ran it: on the loop, the next would be built only once this one had run.
                guard overlapping else { _ = try writing.rows(sql, binds); return }
                _ = try await NIOThreadPool.singleton.runIfActive { try writing.rows(sql, binds) }
                return
            }
            guard let sqlite = db as? any SQLiteDatabase else { throw Refusal("数据库不是 SQLite，无法写入") }
            try await sqlite.query(sql, binds, logger: db.logger) { _ in }.get()
        case .sql(let statement):
            try await db.sql.execute(sql: statement) { _ in }
        }
    }
}

/// A statement already written as SQL for one database, with its binds.
private struct SerializedStatement: SQLExpression {
    let sql: String
    let binds: [any Encodable & Sendable]

    init(_ statement: any SQLExpression, for db: any Database) {
        var serializer = SQLSerializer(database: db.sql)
        statement.serialize(to: &serializer)
        sql = serializer.sql
        binds = serializer.binds
    }

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(sql)
        serializer.binds += binds
    }
}
