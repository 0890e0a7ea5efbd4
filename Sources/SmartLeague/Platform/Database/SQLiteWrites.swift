import Fluent
import FluentSQL
import NIOConcurrencyHelpers
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO

/// A transaction of the `Writer` on SQLite, on the writing connection (decision 018): every
/// statement — Fluent's queries and SQLKit's, reads and writes alike — runs on the calling thread,
/// prepared once and kept (`SQLiteDirect`).
///
/// Through Fluent's driver each statement went from the task to the loop, to a thread of NIO's
/// pool and back, was parsed afresh, and handed its rows back one task each: a use case's dozen
/// small statements (read the unit, check, insert, audit, adjust the kept totals) spent more in
/// those hand-overs than in SQLite. Opened by `SQLiteReadingDatabase.writingTransaction`; it is
/// what the `Writer`'s body gets as its database, so no use case names it.
///
/// A statement runs on the loop its task is on, as the reads do (decision 016); a long
/// transaction (an import of thousands of rows) lets the loop serve its other connections between
/// statements every few milliseconds (`LoopTurns`) instead of holding it to the end.
///
/// Fluent's schema builder is not served here: schema changes are migrations, which run through
/// Fluent. (A statement written by hand, such as a trigger a bulk load drops and makes again,
/// runs as any other.)
struct SQLiteWritingTransaction: Database, SQLDatabase {
    let direct: SQLiteDirect
    let context: DatabaseContext
    let version: (any SQLDatabaseReportedVersion)?
    let turns = LoopTurns()

    // Database

    var inTransaction: Bool { true }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<Void> {
        let converted = SQLQueryConverter(delegate: ReadingConverterDelegate()).convert(query)
        // A new row's id comes back as Fluent's SQLite driver asks for it; an empty id key is
        // that driver's sign for a model without one.
        let statement: any SQLExpression
        if case .create = query.action, query.customIDKey != .some(.string("")) {
            statement = SQLKit.SQLList([converted, SQLReturning(.init((query.customIDKey ?? .id).description))], separator: SQLRaw(" "))
        } else {
            statement = converted
        }
        guard turns.due(on: eventLoop) else { return outputs(of: { try rows(of: statement) }, onOutput) }
        return eventLoop.flatSubmit { outputs(of: { try rows(of: statement) }, onOutput) }
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> {
        eventLoop.makeFailedFuture(SchemaChangeInWrite())
    }

    /// SQLite has no enum types: nothing to do, as Fluent's SQLite driver does nothing.
    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { eventLoop.makeSucceededVoidFuture() }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> { closure(self) }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> { closure(self) }

    // SQLDatabase

    var logger: Logger { context.logger }
    var eventLoop: any EventLoop { context.eventLoop }
    /// The reading connections' dialect: identifiers are program text here too (decision 017).
    var dialect: any SQLDialect { Self.dialect }
    private static let dialect: any SQLDialect = SQLiteReadingDialect()
    var queryLogLevel: Logger.Level? { .trace }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        guard turns.due(on: eventLoop) else { return eventLoop.makeCompletedFuture { try rows(of: query).forEach(onRow) } }
        return eventLoop.submit { try rows(of: query).forEach(onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        if turns.due(on: eventLoop) { try await eventLoop.submit {}.get() }
        try rows(of: query).forEach(onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    /// The rows of any statement, SQLite's values as they came.
    func rows(of statement: any SQLExpression) throws -> [SQLiteDirect.Row] {
        let (sql, binds) = serialize(statement)
        return try rows(sql, SQLiteDirect.values(of: binds))
    }

    /// The rows of a statement already written as SQLite's text and values.
    func rows(_ sql: String, _ values: [SQLiteData]) throws -> [SQLiteDirect.Row] {
        logger.trace("\(sql) \(values)")
        return try direct.rows(sql, values)
    }
}

/// A schema change asked of a write's transaction through Fluent's schema builder.
struct SchemaChangeInWrite: Error, CustomStringConvertible {
    var description: String { "schema changes run as migrations, not in a write" }
}

/// When a transaction running on a loop lets it turn: a statement runs right away until the
/// transaction has held the loop for `share`, then waits for the loop's next turn, after the
/// loop has read and written its connections and run the tasks queued before it.
final class LoopTurns: Sendable {
    static let share = TimeAmount.milliseconds(5)
    private let since = NIOLockedValueBox(NIODeadline.now())

    /// True, and the count started again, once `loop` has been held for `share`; never when this
    /// is not `loop`'s thread (a command, a test), which holds no loop and would only be moved onto one.
    func due(on loop: any EventLoop) -> Bool {
        guard loop.inEventLoop else { return false }
        let now = NIODeadline.now()
        return since.withLockedValue { since in
            guard now - since >= Self.share else { return false }
            since = now
            return true
        }
    }
}

extension SQLiteDirect {
    /// A statement's binds as SQLite's values, encoded as Fluent's SQLite driver encodes them.
    static func values(of binds: [any Encodable & Sendable]) throws -> [SQLiteData] {
        let encoder = SQLiteDataEncoder()
        return try binds.map { try encoder.encode($0) }
    }

    /// SQLite's own rows of `statement` where this program runs it on its own connections — a
    /// read on the reading connections, anything in a write's transaction; nil where Fluent's
    /// driver runs it (PostgreSQL, or a write outside the `Writer`).
    static func rows(of statement: any SQLExpression, on database: any Sendable) throws -> [Row]? {
        if let reading = database as? SQLiteReadingDatabase { return try reading.rowsIfOnlyReading(statement) }
        if let writing = database as? SQLiteWritingTransaction { return try writing.rows(of: statement) }
        return nil
    }
}
