import FluentSQLiteDriver
import Vapor
import Foundation
import NIOConcurrencyHelpers
// SQLiteNIO's own copy of the SQLite library, so that this connection and Fluent's share one set
// of file locks: a second copy of the library in the process would not see the other's locks.
internal import VaporCSQLite

/// A connection to the embedded file of its own, used synchronously, with its statements
/// prepared once and kept. Fluent's SQLite connections hand every statement from the caller's
/// task to their event loop, to a thread-pool thread and back, parse it afresh each time, and hand
/// every row back to the loop as a task of its own; for 青年大学习's burst, where one batch writes
/// the completions of a few dozen phones, those hand-overs took longer than the SQL (decision 007),
/// and the pages' reads run here for the same reason (`SQLiteReadingDatabase`, decision 016).
final class SQLiteDirect: @unchecked Sendable {
    // @unchecked: `handle` and `statements` are used only under `lock`.
    private let lock = NIOLock()
    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// More distinct statements than this (lists of binds of every length, literal values) and the
    /// kept ones are let go, so that what is kept stays small.
    private static let keptStatements = 512

    struct Failure: Error, CustomStringConvertible, DatabaseError {
        let code: Int32
        let message: String
        var description: String { "SQLite error \(code): \(message)" }

        // As Fluent's SQLite errors answer, so that a write refused by a unique index is told
        // apart (`Page.submit`) whichever connection ran it. The primary code is the low byte.
        var isConstraintFailure: Bool { code & 0xff == SQLITE_CONSTRAINT }
        var isSyntaxError: Bool { [SQLITE_ERROR, SQLITE_SCHEMA].contains(code & 0xff) }
        var isConnectionClosed: Bool { code == SQLITE_MISUSE }

        /// A statement for a connection that was closed with the application.
        static let closed = Failure(code: SQLITE_MISUSE, message: "the connection is closed")
    }

    /// The columns of one statement's rows, found by name once for all of them.
    final class Columns: Sendable {
        let names: [String]
        private let offsets: [String: Int]

        init(_ names: [String]) {
            self.names = names
            offsets = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }

        func offset(of column: String) -> Int? { offsets[column] }
    }

    /// A row as `SQLRow`, so that the readers Fluent's rows feed read these too.
    struct Row: SQLRow {
        let columns: Columns
        let values: [SQLiteData]

        var allColumns: [String] { columns.names }

        func contains(column: String) -> Bool { columns.offset(of: column) != nil }

        /// A column the row lacks reads as no value, as SQLKit's rows answer.
        func decodeNil(column: String) throws -> Bool {
            guard let offset = columns.offset(of: column), values.indices.contains(offset) else { return true }
            return values[offset] == .null
        }

        /// Read through `SQLiteColumn`, as Fluent's SQLite rows of a list are (`fieldRows`).
        func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
            try SQLiteColumn.decode(D.self, from: value(column))
        }

        private func value(_ column: String) throws -> SQLiteData {
            guard let offset = columns.offset(of: column), values.indices.contains(offset) else {
                throw Failure(code: SQLITE_ERROR, message: "no column \(column)")
            }
            return values[offset]
        }
    }

    /// The statements of one transaction.
    struct Transaction {
        fileprivate let connection: SQLiteDirect

        /// Runs a statement that returns no rows; returns how many rows it changed.
        @discardableResult
        func run(_ sql: String, _ binds: [(any SQLiteDataConvertible)?]) throws -> Int {
            _ = try connection.step(sql, binds, keepingRows: false)
            return Int(sqlite_nio_sqlite3_changes(connection.handle))
        }

        func rows(_ sql: String, _ binds: [(any SQLiteDataConvertible)?]) throws -> [Row] {
            try connection.step(sql, binds, keepingRows: true)
        }
    }

    /// Runs one statement and returns its rows (a read's, or those a write's `RETURNING` names).
    /// Outside `begin`…`commit` it is a transaction of its own (SQLite's autocommit), so that it
    /// sees everything committed before it started; between them it is part of that transaction.
    func rows(_ sql: String, _ binds: [SQLiteData]) throws -> [Row] {
        try lock.withLock { try step(sql, values: binds, keepingRows: true) }
    }

    /// Opens a transaction whose statements the caller runs one by one with `rows`, awaiting other
    /// work between them (`SQLiteWritingTransaction`), and holds the write lock from its start.
    /// The lock here is held for each statement, not between them: the caller keeps every other
    /// user off this connection until `commit` or `rollback` (the `Writer`'s gate does).
    func begin() throws {
        try lock.withLock { try execute("BEGIN IMMEDIATE") }
    }

    /// Commits what `begin` opened; if that fails, nothing of it stays.
    func commit() throws {
        try lock.withLock {
            do {
                try execute("COMMIT")
            } catch {
                try? execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Rolls back what `begin` opened (SQLite may have done so already, after some errors).
    func rollback() {
        lock.withLock { try? execute("ROLLBACK") }
    }

    /// Opens the file with the settings `SQLiteTuning` gives Fluent's connections; with
    /// `queryOnly`, SQLite refuses any statement that would write through it; with `foreignKeys`,
    /// it checks and cascades foreign keys as Fluent's connections do (SQLiteKit turns them on).
    init(path: String, queryOnly: Bool = false, foreignKeys: Bool = false) throws {
        var handle: OpaquePointer?
        let opened = sqlite_nio_sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        self.handle = handle
        guard opened == SQLITE_OK else { throw failure(opened) }
        let own = (queryOnly ? ["PRAGMA query_only = 1"] : []) + (foreignKeys ? ["PRAGMA foreign_keys = ON"] : [])
        for pragma in SQLiteTuning.connectionPragmas + own {
            let result = sqlite_nio_sqlite3_exec(handle, pragma, nil, nil, nil)
            guard result == SQLITE_OK else { throw failure(result) }
        }
    }

    /// Finalizes the statements and closes the connection; a later write fails.
    func close() {
        lock.withLock {
            for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
            statements = [:]
            sqlite_nio_sqlite3_close_v2(handle)
            handle = nil
        }
    }

    /// Runs `body` in one transaction that holds the write lock from its start, so that what it
    /// reads cannot change before it writes; rolled back if `body` throws. It runs on the calling
    /// thread: handing a batch of a few hundred microseconds to another thread and back cost as
    /// long again under load.
    func write<T>(_ body: (Transaction) throws -> T) throws -> T {
        try lock.withLock {
            try execute("BEGIN IMMEDIATE")
            do {
                let result = try body(Transaction(connection: self))
                try execute("COMMIT")
                return result
            } catch {
                try? execute("ROLLBACK")
                throw error
            }
        }
    }

    private func execute(_ sql: String) throws {
        _ = try step(sql, [], keepingRows: false)
    }

    private func step(_ sql: String, _ binds: [(any SQLiteDataConvertible)?], keepingRows: Bool) throws -> [Row] {
        try step(sql, values: binds.map { $0?.sqliteData ?? .null }, keepingRows: keepingRows)
    }

    /// Binds, steps through every row, and resets the statement for its next use.
    ///
    /// Its values stay bound until the next use binds its own over them. SQLite's planner marks
    /// a value it looked at (a filter's `= ?` that might be 0 or 1, a `LIMIT ?`, a `LIKE ?`) so
    /// that binding another value there may prepare it again; clearing the bindings
    /// (`sqlite3_clear_bindings`) prepared every such statement again on each use, 5 % of a
    /// branch's home page under load (decision 017).
    private func step(_ sql: String, values binds: [SQLiteData], keepingRows: Bool) throws -> [Row] {
        let statement = try prepared(sql)
        defer { sqlite_nio_sqlite3_reset(statement) }
        for (offset, value) in binds.enumerated() {
            try check(bind(value, at: Int32(offset + 1), of: statement))
        }
        // A parameter given no value reads as NULL, as it would from a new statement.
        let parameters = Int(sqlite_nio_sqlite3_bind_parameter_count(statement))
        for offset in binds.count..<max(binds.count, parameters) {
            try check(sqlite_nio_sqlite3_bind_null(statement, Int32(offset + 1)))
        }
        var columns: Columns?
        var rows: [Row] = []
        while true {
            let result = sqlite_nio_sqlite3_step(statement)
            guard result == SQLITE_ROW else {
                guard result == SQLITE_DONE else { throw failure(result) }
                return rows
            }
            guard keepingRows else { continue }
            // Named after the first step: a statement prepared before the schema changed is
            // prepared again by it, and may then have other columns.
            let count = sqlite_nio_sqlite3_column_count(statement)
            let shared = columns ?? Columns((0..<count).map { String(cString: sqlite_nio_sqlite3_column_name(statement, $0)) })
            columns = shared
            rows.append(Row(columns: shared, values: (0..<count).map { value(at: $0, of: statement) }))
        }
    }

    /// How often SQLite has prepared this kept statement again since it was first prepared.
    func timesPreparedAgain(_ sql: String) -> Int {
        lock.withLock { statements[sql].map { Int(sqlite_nio_sqlite3_stmt_status($0, SQLITE_STMTSTATUS_REPREPARE, 0)) } ?? 0 }
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        // Closed with the application while a read was on its way: SQLite must not see no handle.
        guard handle != nil else { throw Failure.closed }
        if statements.count >= Self.keptStatements {
            for kept in statements.values { sqlite_nio_sqlite3_finalize(kept) }
            statements = [:]
        }
        var statement: OpaquePointer?
        let prepared = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard prepared == SQLITE_OK else {
            sqlite_nio_sqlite3_finalize(statement)
            throw failure(prepared)
        }
        guard let statement else { throw Failure(code: SQLITE_ERROR, message: "empty statement") }
        statements[sql] = statement
        return statement
    }

    private func bind(_ value: SQLiteData, at index: Int32, of statement: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let number): sqlite_nio_sqlite3_bind_int64(statement, index, Int64(number))
        case .float(let number): sqlite_nio_sqlite3_bind_double(statement, index, number)
        case .text(let text): sqlite_nio_sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
        case .blob(let bytes):
            bytes.withUnsafeReadableBytes { sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), transient) }
        case .null: sqlite_nio_sqlite3_bind_null(statement, index)
        }
    }

    private func value(at column: Int32, of statement: OpaquePointer) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT: .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT: .text(String(cString: sqlite_nio_sqlite3_column_text(statement, column)))
        case SQLITE_BLOB:
            .blob(ByteBuffer(bytes: UnsafeRawBufferPointer(start: sqlite_nio_sqlite3_column_blob(statement, column),
                                                           count: Int(sqlite_nio_sqlite3_column_bytes(statement, column)))))
        default: .null
        }
    }

    private func check(_ result: Int32) throws {
        guard result == SQLITE_OK else { throw failure(result) }
    }

    private func failure(_ code: Int32) -> Failure {
        Failure(code: code, message: sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "unknown")
    }

    /// Tells SQLite to copy bound text and blobs, which live only as long as the call.
    private var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }
}

extension SQLiteDirect {
    /// Closes the connection with the application.
    struct Closing: LifecycleHandler {
        let direct: SQLiteDirect
        func shutdown(_ app: Application) { direct.close() }
    }
}
