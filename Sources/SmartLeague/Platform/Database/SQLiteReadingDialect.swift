import SQLKit
import SQLiteKit

/// SQLite's dialect as SQLKit has it, but for how an identifier's quotes are written (decision 017).
///
/// SQLKit quotes an identifier by escaping any quote inside it with the standard library's
/// `replacing`, which on Linux searches through generic collection algorithms: a fifth of a branch
/// administrator's home page under load went to quoting the table and column names of its reads.
/// When a dialect's quote is not plain SQL text, SQLKit writes the quote, the name and the quote
/// without that pass; this dialect's quote is such an expression.
///
/// That is sound because every identifier this program writes is program text (a model's schema
/// and field keys, a column named in a `*Queries` file), never a request's value; a test holds the
/// models to it. It serves the statements that run on this program's own connections: the reads,
/// and the `Writer`'s transactions (`SQLiteWritingTransaction`); what Fluent's driver runs
/// (migrations) is written with SQLite's dialect as it is.
struct SQLiteReadingDialect: SQLDialect {
    private let sqlite = SQLiteDialect()

    /// `"`, written as it is.
    private struct IdentifierQuote: SQLExpression {
        func serialize(to serializer: inout SQLSerializer) { serializer.write("\"") }
    }

    var name: String { sqlite.name }
    var identifierQuote: any SQLExpression { IdentifierQuote() }
    var literalStringQuote: any SQLExpression { sqlite.literalStringQuote }
    var supportsAutoIncrement: Bool { sqlite.supportsAutoIncrement }
    var autoIncrementClause: any SQLExpression { sqlite.autoIncrementClause }
    var autoIncrementFunction: (any SQLExpression)? { sqlite.autoIncrementFunction }
    func bindPlaceholder(at position: Int) -> any SQLExpression { sqlite.bindPlaceholder(at: position) }
    func literalBoolean(_ value: Bool) -> any SQLExpression { sqlite.literalBoolean(value) }
    var literalDefault: any SQLExpression { sqlite.literalDefault }
    var supportsIfExists: Bool { sqlite.supportsIfExists }
    var enumSyntax: SQLEnumSyntax { sqlite.enumSyntax }
    var supportsDropBehavior: Bool { sqlite.supportsDropBehavior }
    var supportsReturning: Bool { sqlite.supportsReturning }
    var triggerSyntax: SQLTriggerSyntax { sqlite.triggerSyntax }
    var alterTableSyntax: SQLAlterTableSyntax { sqlite.alterTableSyntax }
    func customDataType(for dataType: SQLDataType) -> (any SQLExpression)? { sqlite.customDataType(for: dataType) }
    func normalizeSQLConstraint(identifier: any SQLExpression) -> any SQLExpression { sqlite.normalizeSQLConstraint(identifier: identifier) }
    var upsertSyntax: SQLUpsertSyntax { sqlite.upsertSyntax }
    var unionFeatures: SQLUnionFeatures { sqlite.unionFeatures }
    var sharedSelectLockExpression: (any SQLExpression)? { sqlite.sharedSelectLockExpression }
    var exclusiveSelectLockExpression: (any SQLExpression)? { sqlite.exclusiveSelectLockExpression }
    func nestedSubpathExpression(in column: any SQLExpression, for path: [String]) -> (any SQLExpression)? {
        sqlite.nestedSubpathExpression(in: column, for: path)
    }
}
