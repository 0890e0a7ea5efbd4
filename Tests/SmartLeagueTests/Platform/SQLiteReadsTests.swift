import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import SmartLeague

/// Reads on SQLite run on connections of their own (`SQLiteReadingDatabase`); writes outside the
/// `Writer` and Fluent's own transactions stay Fluent's (the `Writer`'s: `SQLiteWritesTests`). On
/// PostgreSQL nothing changes, and the same reads must agree.
@Suite struct SQLiteReadsTests {
    struct Probe: Decodable, Equatable {
        let n: Int
        let label: String?
    }

    private func makeTable(_ db: any Database) async throws {
        try await db.schema("read_probe").field("id", .int, .identifier(auto: true)).field("n", .int, .required).field("label", .string).create()
    }

    private func probes(_ db: any Database) async throws -> [Probe] {
        try await db.sql.select().columns("n", "label").from("read_probe").orderBy("n").all(decoding: Probe.self)
    }

    @Test func readsAreRunByTheirOwnConnectionAndWritesByFluent() async throws {
        try await TestApp.run { app, _ in
            // A unit, created by Fluent outside a transaction, is read back as a model, an aggregate and rows.
            let city = try await Organization.query(on: app.db).filter(\.$parentID == nil).first()
            let root = try #require(city)
            #expect(app.db.isPostgres || app.db is SQLiteReadingDatabase)
            let read = try await Organization.query(on: app.db).filter(\.$id == root.requireID()).first()
            #expect(read?.name == root.name)
            #expect(read?.path == root.path)
            let children = try await Organization.query(on: app.db).filter(\.$parentID == root.requireID()).count()
            #expect(children == 10)
            let named = try await Organization.query(on: app.db).filter(\.$parentID == root.requireID())
                .field(\.$id).field(\.$name).sort(\.$id).fieldRows()
            #expect(named.count == 10)
            #expect(try named.first?(FieldKey("name"), as: String.self) == (try await Organization.query(on: app.db)
                .filter(\.$parentID == root.requireID()).sort(\.$id).first()?.name))

            try await makeTable(app.db)
            // SQLKit's writes go to Fluent; the next read sees them.
            try await app.db.sql.insert(into: "read_probe").columns("n", "label").values(SQLBind(1), SQLBind("一")).run()
            #expect(try await probes(app.db) == [Probe(n: 1, label: "一")])
            try await app.db.sql.update("read_probe").set("label", to: SQLBind(String?.none)).run()
            #expect(try await probes(app.db) == [Probe(n: 1, label: nil)])
        }
    }

    /// While a transaction is open, a read outside it sees what was committed before it, and a
    /// read inside it sees its own writes: the two run on different connections.
    @Test func aReadOutsideAnOpenTransactionSeesOnlyWhatWasCommitted() async throws {
        try await TestApp.run { app, _ in
            guard !app.db.isPostgres else { return }
            try await makeTable(app.db)
            try await app.db.sql.insert(into: "read_probe").columns("n").values(SQLBind(1)).run()
            let seen = try await app.db.transaction { tx in
                try await tx.sql.insert(into: "read_probe").columns("n").values(SQLBind(2)).run()
                return (inside: try await probes(tx).map(\.n), outside: try await probes(app.db).map(\.n))
            }
            #expect(seen.inside == [1, 2])
            #expect(seen.outside == [1])
            #expect(try await probes(app.db).map(\.n) == [1, 2])
        }
    }

    /// More distinct statements than a connection keeps prepared: each still reads its own answer.
    @Test func manyDistinctStatementsEachReadTheirOwnAnswer() async throws {
        try await TestApp.run { app, _ in
            for number in 0..<700 {
                let row = try await app.db.sql.raw("SELECT \(unsafeRaw: String(number)) AS n, \(bind: "第\(number)") AS label").first(decoding: Probe.self)
                #expect(row == Probe(n: number, label: "第\(number)"))
            }
            // A bad statement is an error, and the connection reads on after it.
            await #expect(throws: (any Error).self) { try await app.db.sql.raw("SELECT * FROM no_such_table").all() }
            #expect(try await app.db.sql.raw("SELECT 7 AS n, NULL AS label").first(decoding: Probe.self) == Probe(n: 7, label: nil))
        }
    }

    /// A table dropped and made again with other columns: a statement kept prepared reads the new one.
    @Test func aKeptStatementReadsTheTableAsItIsNow() async throws {
        try await TestApp.run { app, _ in
            try await makeTable(app.db)
            try await app.db.sql.insert(into: "read_probe").columns("n", "label").values(SQLBind(1), SQLBind("旧")).run()
            let before = try await app.db.sql.raw("SELECT * FROM read_probe").all()
            #expect(before.first?.allColumns.contains("label") == true)
            try await app.db.schema("read_probe").delete()
            try await app.db.schema("read_probe").field("id", .int, .identifier(auto: true)).field("n", .int, .required).field("note", .string).create()
            try await app.db.sql.insert(into: "read_probe").columns("n", "note").values(SQLBind(2), SQLBind("新")).run()
            let after = try await app.db.sql.raw("SELECT * FROM read_probe").all()
            #expect(after.count == 1)
            #expect(after.first?.allColumns.contains("note") == true)
            #expect(after.first?.allColumns.contains("label") == false)
            #expect(try after.first?.decode(column: "note", as: String.self) == "新")
        }
    }

    /// A reading connection refuses to write, reads a missing column as no value, and fails once
    /// closed instead of opening the file again.
    @Test func aReadingConnectionOnlyReadsAndStaysClosed() async throws {
        try await TestApp.run { app, _ in
            guard let file = DatabaseSetup.sqliteFile(app) else { return }
            try await makeTable(app.db)
            let reader = SQLiteOnDemand { try SQLiteDirect(path: file, queryOnly: true) }
            let rows = try reader.connection().rows("SELECT 1 AS n", [])
            #expect(try rows.first?.decode(column: "n", as: Int.self) == 1)
            #expect(try rows.first?.decodeNil(column: "absent") == true)
            #expect(throws: (any Error).self) { try reader.connection().rows("INSERT INTO read_probe (n) VALUES (1)", []) }
            #expect(try await probes(app.db).isEmpty)
            reader.close()
            #expect(throws: (any Error).self) { try reader.connection().rows("SELECT 1 AS n", []) }
        }
    }

    /// A kept statement is used again with other values without being prepared again, unless its
    /// plan was made for the value it had (a `LIMIT ?`); a parameter given no value reads as NULL.
    /// Before values stayed bound, the filtered read was prepared again on every use.
    @Test func aKeptStatementTakesNewValuesWithoutBeingPreparedAgain() async throws {
        try await TestApp.run { app, _ in
            guard let file = DatabaseSetup.sqliteFile(app) else { return }
            try await makeTable(app.db)
            for n in 2...6 {
                try await app.db.sql.insert(into: "read_probe").columns("n", "label").values(SQLBind(n), SQLBind("第\(n)")).run()
            }
            let direct = try SQLiteDirect(path: file, queryOnly: true)
            defer { direct.close() }
            let filtered = "SELECT n FROM read_probe WHERE n = ?1 AND label = ?2"
            for n in 2...6 {
                let rows = try direct.rows(filtered, [.integer(n), .text("第\(n)")])
                #expect(try rows.map { try $0.decode(column: "n", as: Int.self) } == [n])
            }
            #expect(direct.timesPreparedAgain(filtered) == 0)

            let limited = "SELECT n FROM read_probe ORDER BY n LIMIT ?1"
            for limit in [2, 3, 3, 4] {
                #expect(try direct.rows(limited, [.integer(limit)]).count == limit)
            }
            // Prepared again for each limit bound over another, the first over none included.
            #expect(direct.timesPreparedAgain(limited) == 3)

            let echoed = "SELECT ?1 AS label, 0 AS n"
            #expect(try direct.rows(echoed, [.text("有")]).first?.decodeNil(column: "label") == false)
            #expect(try direct.rows(echoed, []).first?.decodeNil(column: "label") == true)
        }
    }

    /// The reading dialect writes an identifier's quotes without escaping what lies between them
    /// (`SQLiteReadingDialect`): sound only while no table, column or index name holds a quote.
    /// Every part's schema, migrated, is held to that, and a read is written as SQLite's dialect
    /// writes it.
    @Test func identifiersAreWrittenAsSQLiteWritesThemAndNoneHoldsAQuote() async throws {
        try await TestApp.run { app, _ in
            guard let reading = app.db as? SQLiteReadingDatabase else { return }
            let tables = try await app.db.sql.raw("SELECT name FROM sqlite_master WHERE type = 'table'").all()
                .map { try $0.decode(column: "name", as: String.self) }
            #expect(tables.contains(Organization.schema))
            var names = try await app.db.sql.raw("SELECT name FROM sqlite_master").all().map { try $0.decode(column: "name", as: String.self) }
            for table in tables {
                names += try await app.db.sql.raw("SELECT name FROM pragma_table_info(\(bind: table))").all()
                    .map { try $0.decode(column: "name", as: String.self) }
            }
            #expect(names.count > tables.count * 3)
            #expect(names.filter { $0.contains("\"") }.isEmpty)

            let read = Organization.query(on: app.db).filter(\.$parentID == 1).field(\.$id).field(\.$name).sort(\.$path).limit(5).statement
            var written = SQLSerializer(database: reading)
            read.serialize(to: &written)
            var sqlite = SQLSerializer(database: reading.fluent)
            read.serialize(to: &sqlite)
            #expect(written.sql == sqlite.sql)
            #expect(written.sql.contains(#""organizations"."name""#))
        }
    }

    @Test func onlyStatementsThatBeginAsReadsAreRead() {
        #expect(SQLiteReadingDatabase.onlyReads("SELECT 1"))
        #expect(!SQLiteReadingDatabase.onlyReads("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x"))
        #expect(!SQLiteReadingDatabase.onlyReads("INSERT INTO t VALUES (1)"))
        #expect(!SQLiteReadingDatabase.onlyReads("PRAGMA journal_mode = WAL"))
        #expect(!SQLiteReadingDatabase.onlyReads("SELECTX"))
    }
}
