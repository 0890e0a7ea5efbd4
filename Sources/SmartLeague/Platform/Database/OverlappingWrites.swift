import Fluent
import SQLKit

extension Database {
    /// Runs one statement for each chunk, in the chunks' order, building each — and writing its
    /// SQL — while the one before it runs. For bulk writes (the demo city's members and
    /// completions), building a statement of a few thousand binds costs the server about what
    /// SQLite takes to run it; one after the other they kept one core busy and the other idle.
    ///
    /// In a transaction, no two statements run at once and none is left running when this
    /// returns or throws.
    func runOverlapping<Chunks: Sequence>(_ chunks: Chunks, _ build: (Chunks.Element) throws -> any SQLExpression) async throws {
        var running: Task<Void, any Error>?
        do {
            for chunk in chunks {
                let statement = SerializedStatement(try build(chunk), for: self)
                try await running?.value
                running = Task { try await self.sql.execute(sql: statement) { _ in } }
            }
            try await running?.value
        } catch {
            _ = try? await running?.value
            throw error
        }
    }
}

/// A statement already written as SQL for one database, with its binds: built on one task and
/// run on another.
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
