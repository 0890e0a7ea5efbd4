import Fluent
import Foundation
import SQLKit
import SQLiteNIO

/// Rows for one multi-row INSERT, their values of the few kinds bulk writes store (text,
/// integers, booleans, instants, nothing).
///
/// On SQLite the statement goes to the driver as SQLite's own values and a text of placeholders,
/// the way SQLiteKit would send it, without SQLKit's serializer and value encoder: for a bulk
/// write of 500 rows of 19 columns those two cost the server more than SQLite took to store the
/// rows (decision 015). On PostgreSQL it is SQLKit's insert of the same values.
struct BulkRows: Sendable {
    /// A value as SQLite stores it and as PostgreSQL is given it.
    enum Value: Sendable {
        case text(String)
        case integer(Int)
        case bool(Bool)
        case date(Date)
        case null

        init(_ text: String?) { self = text.map(Value.text) ?? .null }
        init(_ number: Int?) { self = number.map(Value.integer) ?? .null }
        init(_ flag: Bool) { self = .bool(flag) }
        init(_ instant: Date?) { self = instant.map(Value.date) ?? .null }

        /// As `SQLiteDataEncoder` encodes the Swift value (`SQLiteDataConvertible`).
        var sqlite: SQLiteData {
            switch self {
            case .text(let text): .text(text)
            case .integer(let number): .integer(number)
            case .bool(let flag): .integer(flag ? 1 : 0)
            case .date(let instant): .float(instant.timeIntervalSince1970)
            case .null: .null
            }
        }

        var bind: any SQLExpression {
            switch self {
            case .text(let text): SQLBind(text)
            case .integer(let number): SQLBind(number)
            case .bool(let flag): SQLBind(flag)
            case .date(let instant): SQLBind(instant)
            case .null: SQLLiteral.null
            }
        }
    }

    let table: String
    let columns: [String]
    /// Row after row, `columns.count` values each.
    private(set) var values: [Value] = []
    /// Where a row with the same `keys` is already there, its `figures` are added to that row's
    /// instead (kept counts, `SubtreeTotals`).
    var addingOnConflict: (keys: [String], figures: [String])?

    init(into table: String, columns: [String], rows: Int = 0) {
        self.table = table
        self.columns = columns
        values.reserveCapacity(rows * columns.count)
    }

    var count: Int { columns.isEmpty ? 0 : values.count / columns.count }

    /// One row, its values in the order of `columns`.
    mutating func append(_ row: Value...) {
        append(row)
    }

    mutating func append(_ row: [Value]) {
        assert(row.count == columns.count, "a row of \(row.count) values for the \(columns.count) columns of \(table)")
        values += row
    }

    /// SQLKit's INSERT of these rows, for either database (and for a `RETURNING`).
    func insert(on db: any Database) -> SQLInsertBuilder {
        var insert = db.sql.insert(into: table).columns(columns)
        for start in stride(from: 0, to: values.count, by: max(1, columns.count)) {
            insert = insert.values(values[start..<start + columns.count].map(\.bind))
        }
        guard let (keys, figures) = addingOnConflict else { return insert }
        return insert.onConflict(with: keys) { update in
            figures.reduce(update) { $0.set(SQLIdentifier($1), to: SQLRaw("\(table).\($1) + excluded.\($1)")) }
        }
    }

    /// The INSERT as SQLite is given it: the text, with `?` for each value, and the values.
    var sqlite: (sql: String, binds: [SQLiteData]) {
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        var sql = "INSERT INTO " + Self.quoted(table) + " (" + columns.map(Self.quoted).joined(separator: ", ") + ") VALUES "
            + Array(repeating: row, count: count).joined(separator: ", ")
        if let (keys, figures) = addingOnConflict {
            sql += " ON CONFLICT (" + keys.map(Self.quoted).joined(separator: ", ") + ") DO UPDATE SET "
                + figures.map { Self.quoted($0) + " = " + Self.quoted(table) + "." + Self.quoted($0) + " + excluded." + Self.quoted($0) }
                .joined(separator: ", ")
        }
        return (sql, values.map(\.sqlite))
    }

    /// An identifier as SQLite's dialect in SQLKit quotes it.
    private static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
