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

    func createIndex(_ name: String, on table: String, columns: [String], unique: Bool = false) async throws {
        var builder = sql.create(index: name).on(table)
        if unique { builder = builder.unique() }
        for column in columns { builder = builder.column(column) }
        try await builder.run()
    }
}

extension QueryBuilder {
    /// The sum of an integer field, added up here: PostgreSQL's SUM of a bigint is a numeric,
    /// which Fluent cannot decode as Int.
    func total(_ field: KeyPath<Model, FieldProperty<Model, Int>>) async throws -> Int {
        try await all(field).reduce(0, +)
    }
}
