import FluentSQLiteDriver
import Foundation
import Testing
@testable import SmartLeague

/// The burst's own SQLite connection: a write is one transaction, and rows read the way Fluent's do.
@Suite struct SQLiteDirectTests {
    @Test func aWriteThatFailsLeavesNothingAndRowsDecodeAsFluentsDo() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sqlite-direct-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let direct = try SQLiteDirect(path: path)
        defer { direct.close() }
        struct Stop: Error {}
        func count() throws -> Int {
            try direct.write { try $0.rows("SELECT COUNT(*) AS n FROM t", [])[0].decode(column: "n", as: Int.self) }
        }

        _ = try direct.write { try $0.run("CREATE TABLE t (x INTEGER UNIQUE, at REAL, note TEXT)", []) }
        #expect(throws: Stop.self) {
            try direct.write { transaction in
                try transaction.run("INSERT INTO t (x) VALUES (?1)", [1])
                throw Stop()
            }
        }
        #expect(try count() == 0)
        // A statement that fails takes the whole write with it, and the connection goes on.
        #expect(throws: SQLiteDirect.Failure.self) {
            try direct.write { transaction in
                try transaction.run("INSERT INTO t (x) VALUES (?1)", [2])
                try transaction.run("INSERT INTO t (x) VALUES (?1)", [2])
            }
        }
        #expect(try count() == 0)

        let at = Date(timeIntervalSince1970: 1_800_000_000.25)
        #expect(try direct.write { try $0.run("INSERT INTO t (x, at, note) VALUES (?1, ?2, ?3), (?4, ?5, ?6)", [3, at, "团支部", 4, nil, nil]) } == 2)
        let rows = try direct.write { try $0.rows("SELECT x, at, note FROM t ORDER BY x", []) }
        #expect(try rows.map { try $0.decode(column: "x", as: Int.self) } == [3, 4])
        #expect(try rows[0].decode(column: "at", as: Date.self) == at)
        #expect(try rows[0].decode(column: "note", as: String.self) == "团支部")
        #expect(try rows[1].decodeNil(column: "note"))
        #expect(throws: SQLiteDirect.Failure.self) { try rows[0].decode(column: "missing", as: Int.self) }
    }
}
