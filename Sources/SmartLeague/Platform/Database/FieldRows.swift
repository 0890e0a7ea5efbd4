import Fluent
import FluentSQL
import NIOConcurrencyHelpers
import SQLKit
import SQLiteKit
import SQLiteNIO

/// A row of a Fluent query that selected some of its model's fields, read as a row rather than as
/// a model.
///
/// Fluent turns every row it reads into a model: it makes all of the model's property wrappers
/// (thirty for an application), asks the row for each of their columns by building its aliased
/// name, and tears them all down again, however few fields were selected. For a list page of fifty
/// rows that was a quarter of its CPU (团员发展 at the city root). `QueryBuilder.fieldRows()` keeps
/// everything that decides *which* rows — the scope's conditions (`Scope.query`), typed filters,
/// sorts and range — and only skips the models.
struct FieldRow<M: Model> {
    private let values: Values

    /// On SQLite the row's values as SQLite returned them, found by key through the columns the
    /// rows share and read through `SQLiteColumn`; elsewhere SQLKit's row.
    private enum Values {
        case sqlite([SQLiteData], FieldColumns)
        case sql(any SQLRow)
    }

    fileprivate init(sqlite values: [SQLiteData], _ columns: FieldColumns) { self.values = .sqlite(values, columns) }
    fileprivate init(_ row: any SQLRow) { values = .sql(row) }

    /// The value of a selected field, by the key it is stored under.
    func callAsFunction<Value: Decodable>(_ key: FieldKey, as type: Value.Type = Value.self) throws -> Value {
        switch values {
        case .sqlite(let values, let columns):
            guard let offset = columns.offsets[key.description], values.indices.contains(offset) else {
                throw MissingColumn(column: key.description)
            }
            return try SQLiteColumn.decode(Value.self, from: values[offset])
        case .sql(let row):
            // Fluent names each selected column `<schema or alias>_<key>`.
            return try row.decode(column: "\(M.schemaOrAlias)_\(key.description)", as: Value.self)
        }
    }
}

/// Where each selected field is in the rows of one statement, by its key: worked out once for
/// all its rows, where building each column's prefixed name for every value read was most of
/// what reading a row cost.
private final class FieldColumns: Sendable {
    let offsets: [String: Int]

    init(_ names: [String], prefix: String) {
        var offsets: [String: Int] = [:]
        for (offset, name) in names.enumerated() where name.hasPrefix(prefix) {
            let key = String(name.dropFirst(prefix.count))
            if offsets[key] == nil { offsets[key] = offset }
        }
        self.offsets = offsets
    }
}

extension QueryBuilder {
    /// The rows of this query of the fields it selects (`field(_:)`), as `FieldRow`s.
    ///
    /// The query must name its fields (debug builds check): without them Fluent reads every column
    /// into a model, which is `all()`. Fluent leaves out soft-deleted rows only when it runs a
    /// query itself; no model here keeps them (none has a `@Timestamp(on: .delete)`).
    func fieldRows() async throws -> [FieldRow<Model>] {
        assert(!query.fields.isEmpty, "fieldRows() reads the fields a query selects; \(Model.self)'s query selects none")
        if let read = try SQLiteDirect.rows(of: statement, on: database) {
            guard let first = read.first else { return [] }
            let columns = FieldColumns(first.allColumns, prefix: "\(Model.schemaOrAlias)_")
            return read.map { FieldRow(sqlite: $0.values, columns) }
        }
        guard let sqlite = database as? any SQLiteDatabase else {
            let rows = NIOLockedValueBox<[FieldRow<Model>]>([])
            try await database.sql.execute(sql: statement) { row in rows.withLockedValue { $0.append(FieldRow(row)) } }
            return rows.withLockedValue { $0 }
        }
        // On SQLite, the statement SQLKit would run, run as it runs it, with the rows kept as SQLite's.
        var serializer = SQLSerializer(database: database.sql)
        statement.serialize(to: &serializer)
        let encoder = SQLiteDataEncoder()
        let binds = try serializer.binds.map { try encoder.encode($0) }
        database.logger.debug("\(serializer.sql) \(binds)")
        let rows = NIOLockedValueBox<[SQLiteRow]>([])
        try await sqlite.query(serializer.sql, binds, logger: database.logger) { row in rows.withLockedValue { $0.append(row) } }.get()
        let read = rows.withLockedValue { $0 }
        guard let first = read.first else { return [] }
        let columns = FieldColumns(first.columns.map(\.name), prefix: "\(Model.schemaOrAlias)_")
        return read.map { FieldRow(sqlite: $0.columns.map(\.data), columns) }
    }

    /// This read as the SQL statement Fluent would run (to run it as rows, or to ask for its plan).
    var statement: any SQLExpression {
        // The converter's delegate only names column types, which a read does not use.
        SQLQueryConverter(delegate: ReadingConverterDelegate()).convert(query)
    }
}

/// What `SQLQueryConverter` asks of a database about a read: nothing beyond SQL's defaults.
struct ReadingConverterDelegate: SQLConverterDelegate {
    func customDataType(_ dataType: DatabaseSchema.DataType) -> (any SQLExpression)? { nil }
}

