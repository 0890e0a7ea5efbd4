import Fluent
import FluentSQL
import NIOConcurrencyHelpers
import SQLKit

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
    let row: any SQLRow

    /// The value of a selected field, by the key it is stored under.
    func callAsFunction<Value: Decodable>(_ key: FieldKey, as type: Value.Type = Value.self) throws -> Value {
        // Fluent names each selected column `<schema or alias>_<key>`.
        try row.decode(column: "\(M.schemaOrAlias)_\(key.description)", as: Value.self)
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
        let rows = NIOLockedValueBox<[FieldRow<Model>]>([])
        try await database.sql.execute(sql: statement) { row in rows.withLockedValue { $0.append(FieldRow(row: row)) } }
        return rows.withLockedValue { $0 }
    }

    /// This read as the SQL statement Fluent would run (to run it as rows, or to ask for its plan).
    var statement: any SQLExpression {
        // The converter's delegate only names column types, which a read does not use.
        SQLQueryConverter(delegate: ReadingConverterDelegate()).convert(query)
    }
}

/// What `SQLQueryConverter` asks of a database about a read: nothing beyond SQL's defaults.
private struct ReadingConverterDelegate: SQLConverterDelegate {
    func customDataType(_ dataType: DatabaseSchema.DataType) -> (any SQLExpression)? { nil }
}
