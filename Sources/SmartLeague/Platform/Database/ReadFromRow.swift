import SQLKit

/// A value read from one row of a hand-written read, column by column.
///
/// Its reading is generic over the row's type, so that where the row is SQLite's own
/// (`SQLiteDirect.Row`) each column's read is compiled for that type and the column's Swift type.
/// Through `any SQLRow`, every column went through generic calls that looked up their types at
/// run time: a sixth of a branch's member list under load.
protocol ReadFromRow {
    init<Row: SQLRow>(row: Row) throws
}

extension SQLQueryFetcher {
    /// The statement's rows read as `T`: where this program runs it on its own SQLite connections
    /// as their own rows, anything else as the database's rows.
    func all<T: ReadFromRow>(reading type: T.Type) async throws -> [T] {
        if let rows = try SQLiteDirect.rows(of: query, on: database) {
            return try rows.map(T.init(row:))
        }
        return try await all().map { try T(row: $0) }
    }
}
