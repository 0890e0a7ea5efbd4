import Fluent
import SQLKit

/// `column LIKE '%text%'` with the user's `%`, `_` and `\` taken literally, on both engines.
func containsText(_ column: String, _ text: String) -> SQLQueryString {
    let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
        .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    return SQLQueryString("\(unsafeRaw: column) LIKE \(bind: "%" + escaped + "%") ESCAPE '\\'")
}

extension Database {
    /// Tree paths and names compare byte by byte on both engines, so that a subtree or a name prefix is one index range
    /// whatever collation the PostgreSQL database was created with.
    var byteOrderedText: DatabaseSchema.DataType {
        isPostgres ? .custom(SQLRaw("TEXT COLLATE \"C\"")) : .string
    }

    /// Runs a bulk load into `table` with its secondary indexes set aside, then builds them again
    /// (SQLite; PostgreSQL loads with them in place). Building an index over rows already in the
    /// table costs a fraction of keeping it through as many inserts in random order. Only for a
    /// table nothing else uses meanwhile, in a database not yet served, such as one the demo
    /// builds. Other writes may run beside the load (another part's fill), so the indexes are
    /// dropped and built through `writer`, each its own statement. Uniqueness declared with the
    /// table stays in force throughout; a unique index made apart is set aside with the rest and
    /// checked when it is built again.
    func withIndexesSetAside<T>(on table: String, writer: Writer, _ load: () async throws -> T) async throws -> T {
        guard !isPostgres else { return try await load() }
        let indexes = try await writer.writeStatements(self) { db in
            let indexes = try await db.sql.raw("""
                SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = \(bind: table) AND sql IS NOT NULL
                """).all(decoding: SQLiteIndex.self)
            for index in indexes { try await db.sql.drop(index: index.name).run() }
            return indexes
        }
        let loaded: T
        do {
            loaded = try await load()
        } catch {
            // The table keeps its indexes whatever became of the load.
            try? await writer.writeStatements(self) { db in
                for index in indexes { try? await db.sql.raw("\(unsafeRaw: index.sql)").run() }
            }
            throw error
        }
        try await writer.writeStatements(self) { db in
            for index in indexes { try await db.sql.raw("\(unsafeRaw: index.sql)").run() }
        }
        return loaded
    }

    func createIndex(_ name: String, on table: String, columns: [String], unique: Bool = false) async throws {
        var builder = sql.create(index: name).on(table)
        if unique { builder = builder.unique() }
        for column in columns { builder = builder.column(column) }
        try await builder.run()
    }
}

/// An index as SQLite keeps it: its name and the statement that made it.
private struct SQLiteIndex: Decodable {
    let name: String
    let sql: String
}

extension QueryBuilder {
    /// The sum of an integer field, added up here: PostgreSQL's SUM of a bigint is a numeric,
    /// which Fluent cannot decode as Int.
    func total(_ field: KeyPath<Model, FieldProperty<Model, Int>>) async throws -> Int {
        try await all(field).reduce(0, +)
    }
}

extension SQLRow {
    /// A column holding one of an enumeration's raw values; any other value fails the read as
    /// `Codable` would.
    func decodeRaw<Value: RawRepresentable>(column: String, as type: Value.Type = Value.self) throws -> Value where Value.RawValue == String {
        let raw = try decode(column: column, as: String.self)
        guard let value = Value(rawValue: raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(column) holds \(raw), not a \(Value.self)"))
        }
        return value
    }
}
