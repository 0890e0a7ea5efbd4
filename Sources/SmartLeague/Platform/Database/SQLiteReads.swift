import Fluent
import FluentSQL
import NIOConcurrencyHelpers
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import Vapor

/// Fluent's SQLite database with its reads run on connections of their own (decision 016), and
/// the `Writer`'s transactions on one more (`writingTransaction`, decision 018).
///
/// A read through Fluent's SQLite driver leases the event loop's connection, hands the statement to
/// a thread-pool thread, parses it there afresh, and hands every row back to the event loop as a
/// task of its own before the caller resumes. A branch's page runs three to nine such statements
/// of a few rows each, and those hand-overs cost it more than its SQL. Here a statement that only
/// reads runs on the calling thread (the request's event loop, see `runTasksOnEventLoops`), on a
/// connection kept for that loop, prepared once. The `Writer`'s transactions run on a writing
/// connection of their own the same way (`writingTransaction`). Everything else — a write outside
/// the `Writer`, Fluent's own transactions, schema changes, a connection asked for by name — is
/// Fluent's as before.
///
/// A read sees what was committed when it started (SQLite's write-ahead log lets it run beside a
/// write); inside a transaction, reads use the transaction's connection and see its writes.
struct SQLiteReadingConfiguration: DatabaseConfiguration {
    var fluent: any DatabaseConfiguration
    let file: String

    var middleware: [any AnyModelMiddleware] {
        get { fluent.middleware }
        set { fluent.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        SQLiteReadingDriver(fluent: fluent.makeDriver(for: databases), connections: SQLiteConnections(file: file, loops: databases.eventLoopGroup))
    }
}

private struct SQLiteReadingDriver: DatabaseDriver {
    let fluent: any DatabaseDriver
    let connections: SQLiteConnections

    /// Fluent's SQLite database is always all three; were it not, it is used as it is.
    func makeDatabase(with context: DatabaseContext) -> any Database {
        let database = fluent.makeDatabase(with: context)
        guard let sqlite = database as? any SQLiteFluentDatabase else { return database }
        return SQLiteReadingDatabase(fluent: sqlite, connections: connections)
    }

    func shutdown() {
        connections.close()
        fluent.shutdown()
    }

    func shutdownAsync() async {
        connections.close()
        await fluent.shutdownAsync()
    }
}

/// One reading connection per event loop, and the writing connection, each opened when first
/// used. A read takes the connection of the loop whose thread it runs on, so it finds it free (a
/// task may resume on another loop than its request's, after a password check); from elsewhere
/// (a command, a test) it takes the connection of the database's own loop and waits for its lock.
final class SQLiteConnections: Sendable {
    private let byLoop: [ObjectIdentifier: Int]
    private let readers: [SQLiteOnDemand]
    /// The `Writer`'s transactions' (`SQLiteReadingDatabase.writingTransaction`).
    let writing: SQLiteOnDemand

    init(file: String, loops: any EventLoopGroup) {
        let loops = Array(loops.makeIterator())
        byLoop = Dictionary(loops.enumerated().map { (ObjectIdentifier($1), $0) }, uniquingKeysWith: { first, _ in first })
        readers = (0..<max(1, loops.count)).map { _ in SQLiteOnDemand { try SQLiteDirect(path: file, queryOnly: true) } }
        writing = SQLiteOnDemand { try SQLiteDirect(path: file, foreignKeys: true) }
    }

    func reader(otherwise loop: any EventLoop) -> SQLiteOnDemand {
        let current = MultiThreadedEventLoopGroup.currentEventLoop.flatMap { byLoop[ObjectIdentifier($0)] }
        return readers[current ?? byLoop[ObjectIdentifier(loop)] ?? 0]
    }

    /// Runs the pragmas on every one of these connections, opening those not yet opened.
    func apply(_ pragmas: [String]) throws {
        for connection in readers + [writing] {
            for pragma in pragmas { _ = try connection.connection().rows(pragma, []) }
        }
    }

    func close() {
        for reader in readers { reader.close() }
        writing.close()
    }
}

/// A connection of its own, opened on first use (a reader cannot write: `query_only`).
final class SQLiteOnDemand: Sendable {
    private enum State {
        case unopened
        case open(SQLiteDirect)
        /// Closed with the application: a late statement fails rather than open the file again.
        case closed
    }

    private let open: @Sendable () throws -> SQLiteDirect
    private let state = NIOLockedValueBox(State.unopened)

    init(_ open: @escaping @Sendable () throws -> SQLiteDirect) { self.open = open }

    /// The connection, opened now if this is its first use.
    func connection() throws -> SQLiteDirect {
        try state.withLockedValue { state in
            switch state {
            case .open(let direct): return direct
            case .closed: throw SQLiteDirect.Failure.closed
            case .unopened:
                let opened = try open()
                state = .open(opened)
                return opened
            }
        }
    }

    func close() {
        state.withLockedValue { state in
            if case .open(let direct) = state { direct.close() }
            state = .closed
        }
    }
}

/// What Fluent's SQLite driver makes: a Fluent, SQLKit and SQLiteNIO database at once.
typealias SQLiteFluentDatabase = Database & SQLDatabase & SQLiteDatabase

/// Fluent's SQLite database for one request or task, its reads run on `SQLiteConnections`' readers.
struct SQLiteReadingDatabase: Database, SQLDatabase, SQLiteDatabase {
    let fluent: any SQLiteFluentDatabase
    let connections: SQLiteConnections

    private var fluentSQL: any SQLDatabase { fluent }
    private var fluentSQLite: any SQLiteDatabase { fluent }

    // Database

    var context: DatabaseContext { fluent.context }
    var inTransaction: Bool { fluent.inTransaction }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<Void> {
        switch query.action {
        case .read, .aggregate:
            let statement = SQLQueryConverter(delegate: ReadingConverterDelegate()).convert(query)
            return outputs(of: { try rows(of: statement) }, onOutput)
        default:
            return fluent.execute(query: query, onOutput: onOutput)
        }
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { fluent.execute(schema: schema) }

    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { fluent.execute(enum: `enum`) }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        fluent.transaction(closure)
    }

    /// Runs `body` in one transaction on the writing connection (`SQLiteWritingTransaction`):
    /// committed if it returns, rolled back if it throws. Only the `Writer` opens one, and only
    /// one at a time: its gate keeps every other write off the connection meanwhile.
    func writingTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let direct = try connections.writing.connection()
        // `BEGIN` waits for the write lock while another process (a command-line import) holds
        // it, up to the busy timeout, and `COMMIT` may checkpoint the log and flush it to disk:
        // both on NIO's thread pool, as Fluent's driver ran them, so that no loop waits on them.
        try await NIOThreadPool.singleton.runIfActive { try direct.begin() }
        // The transaction's futures are made on the loop this task runs on now, where its
        // statements run too, so that handing their outputs to Fluent costs no hop.
        let loop = MultiThreadedEventLoopGroup.currentEventLoop ?? eventLoop
        let transaction = SQLiteWritingTransaction(direct: direct, context: DatabaseContext(
            configuration: context.configuration, logger: context.logger, eventLoop: loop, history: context.history,
            pageSizeLimit: context.pageSizeLimit, shouldTrace: context.shouldTrace), version: version)
        let result: T
        do {
            result = try await body(transaction)
        } catch {
            direct.rollback()
            throw error
        }
        try await NIOThreadPool.singleton.runIfActive { try direct.commit() }
        return result
    }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        fluent.withConnection(closure)
    }

    // SQLDatabase

    var logger: Logger { fluent.logger }
    var eventLoop: any EventLoop { fluent.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { fluentSQL.version }
    /// SQLite's, kept: the serializer asks for it at every identifier, and Fluent's database builds
    /// a new SQLKit database to answer each time (8 % of a branch's home page under load). It
    /// writes identifiers' quotes without SQLKit's escaping pass (`SQLiteReadingDialect`).
    var dialect: any SQLDialect { Self.readingDialect }
    private static let readingDialect: any SQLDialect = SQLiteReadingDialect()
    var queryLogLevel: Logger.Level? { fluentSQL.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        do {
            guard let rows = try rowsIfOnlyReading(query) else { return fluentSQL.execute(sql: query, onRow) }
            rows.forEach(onRow)
            return eventLoop.makeSucceededVoidFuture()
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        guard let rows = try rowsIfOnlyReading(query) else { return try await fluentSQL.execute(sql: query, onRow) }
        rows.forEach(onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await fluentSQL.withSession(closure)
    }

    // SQLiteDatabase: statements given as SQLite's own text and values, Fluent's as before.

    func query(_ query: String, _ binds: [SQLiteData], logger: Logger, _ onRow: @escaping @Sendable (SQLiteRow) -> Void) -> EventLoopFuture<Void> {
        fluentSQLite.query(query, binds, logger: logger, onRow)
    }

    func withConnection<T>(_ closure: @escaping @Sendable (SQLiteConnection) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        fluentSQLite.withConnection(closure)
    }

    // Reading

    /// The rows of a read, with SQLite's values as they came (`fieldRows`).
    func rows(of statement: any SQLExpression) throws -> [SQLiteDirect.Row] {
        let (sql, binds) = serialize(statement)
        return try read(sql, binds)
    }

    /// The rows of `statement` if it only reads (`onlyReads`); nil for anything else, which the
    /// caller runs through Fluent.
    func rowsIfOnlyReading(_ statement: any SQLExpression) throws -> [SQLiteDirect.Row]? {
        let (sql, binds) = serialize(statement)
        guard Self.onlyReads(sql) else { return nil }
        return try read(sql, binds)
    }

    private func read(_ sql: String, _ binds: [any Encodable & Sendable]) throws -> [SQLiteDirect.Row] {
        let values = try SQLiteDirect.values(of: binds)
        logger.trace("\(sql) \(values)")
        return try connections.reader(otherwise: eventLoop).connection().rows(sql, values)
    }

    /// Only a statement that begins as a read runs on the reading connection; anything else (a
    /// write, `PRAGMA`, `WITH …` that might write) is Fluent's.
    static func onlyReads(_ sql: String) -> Bool {
        sql.utf8.starts(with: "SELECT ".utf8)
    }
}

extension Database {
    /// Fluent's outputs of rows read on the calling thread. Fluent's driver hands a query's outputs
    /// over on its database's loop, and Fluent's future-based code chains on it: they are handed
    /// over there only when this is another thread.
    func outputs(of rows: () throws -> [SQLiteDirect.Row], _ onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<Void> {
        let loop = eventLoop
        guard loop.inEventLoop else {
            return loop.makeCompletedFuture { try rows() }.map { rows in
                rows.forEach { onOutput(RowOutput(row: $0)) }
            }
        }
        return loop.makeCompletedFuture { try rows().forEach { onOutput(RowOutput(row: $0)) } }
    }
}

/// A row as Fluent reads a model or an aggregate from it, as Fluent's SQLite driver hands it
/// over: once a schema is set, a field's column is named `<schema>_<key>`.
private struct RowOutput: DatabaseOutput {
    let row: SQLiteDirect.Row
    var schema: String? = nil

    var description: String { "\(row.values)" }

    func schema(_ schema: String) -> any DatabaseOutput { RowOutput(row: row, schema: schema) }

    private func column(_ key: FieldKey) -> String {
        schema.map { "\($0)_\(key.description)" } ?? key.description
    }

    func contains(_ key: FieldKey) -> Bool { row.contains(column: column(key)) }

    func decodeNil(_ key: FieldKey) throws -> Bool { try row.decodeNil(column: column(key)) }

    func decode<T: Decodable>(_ key: FieldKey, as type: T.Type) throws -> T { try row.decode(column: column(key), as: T.self) }
}
