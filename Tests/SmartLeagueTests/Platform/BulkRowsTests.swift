import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import SmartLeague

/// Bulk rows written straight to SQLite (`Database.runOverlapping`) are stored as SQLKit stores
/// the same values: the same values read back, and on SQLite the same kinds of value.
@Suite struct BulkRowsTests {
    struct Probe: Decodable, Equatable {
        let n: Int
        let text: String?
        let number: Int?
        let flag: Bool?
        let instant: Date?
    }

    @Test func theDirectWriteStoresWhatSQLKitStores() async throws {
        try await TestApp.run { app, _ in
            try await app.db.schema("bulk_probe").field("source", .string, .required).field("n", .int, .required)
                .field("text", .string).field("number", .int64).field("flag", .bool).field("instant", .datetime).create()
            let instant = Date(timeIntervalSince1970: 1_790_591_076.123456)
            @Sendable func rows(_ source: String) -> [BulkRows] {
                // Two statements, the second of one row: each is written for its own number of rows.
                var first = BulkRows(into: "bulk_probe", columns: ["source", "n", "text", "number", "flag", "instant"])
                first.append(.init(source), .init(1), .init("团员「王」'\"；"), .init(-42), .init(true), .init(instant))
                first.append(.init(source), .init(2), .init(String?.none), .init(Int?.none), .init(false), .init(Date?.none))
                var second = BulkRows(into: "bulk_probe", columns: ["source", "n", "text", "number", "flag", "instant"])
                second.append(.init(source), .init(3), .init(""), .init(Int.max), .init(false), .init(Date(timeIntervalSince1970: 0)))
                return [first, second]
            }
            try await app.db.transaction { db in try await db.runOverlapping(rows("direct")) { $0 } }
            for statement in rows("sqlkit") { try await statement.insert(on: app.db).run() }

            func read(_ source: String) async throws -> [Probe] {
                try await app.db.sql.select().columns("n", "text", "number", "flag", "instant").from("bulk_probe")
                    .where("source", .equal, source).orderBy("n").all(decoding: Probe.self)
            }
            let direct = try await read("direct")
            #expect(direct.map(\.n) == [1, 2, 3])
            #expect(direct == (try await read("sqlkit")))
            #expect(direct.first?.text == "团员「王」'\"；")
            #expect(direct.first?.instant == instant)
            #expect(direct.last?.number == Int.max)
            if !app.db.isPostgres {
                func kinds(_ source: String) async throws -> [String] {
                    let rows = try await app.db.sql.raw("""
                        SELECT typeof(text) || typeof(number) || typeof(flag) || typeof(instant) AS kinds FROM bulk_probe
                        WHERE source = \(bind: source) ORDER BY n
                        """).all()
                    return try rows.map { try $0.decode(column: "kinds", as: String.self) }
                }
                #expect(try await kinds("direct") == (try await kinds("sqlkit")))
                #expect(try await kinds("direct").first == "textintegerintegerreal")
            }
            // Rows that meet a row with the same keys add their figures to it, both ways.
            try await app.db.schema("bulk_counts").field("unit_id", .int, .required).field("key", .string, .required)
                .field("count", .int64, .required).unique(on: "unit_id", "key").create()
            @Sendable func counts(_ rows: [(Int, String, Int)]) -> BulkRows {
                var counts = BulkRows(into: "bulk_counts", columns: ["unit_id", "key", "count"])
                counts.addingOnConflict = (["unit_id", "key"], ["count"])
                for (unit, key, count) in rows { counts.append(.init(unit), .init(key), .init(count)) }
                return counts
            }
            try await app.db.transaction { db in try await db.runOverlapping([counts([(1, "a", 2), (2, "a", 5)]), counts([(1, "a", 3)])]) { $0 } }
            try await counts([(2, "a", -5), (1, "b", 7)]).insert(on: app.db).run()
            try await app.db.transaction { db in try await db.runOverlapping([counts([(1, "b", 1)])]) { $0 } }
            struct Count: Decodable, Equatable { let unit_id: Int; let key: String; let count: Int }
            let kept = try await app.db.sql.select().columns("unit_id", "key", "count").from("bulk_counts").orderBy("unit_id").orderBy("key")
                .all(decoding: Count.self)
            #expect(kept == [Count(unit_id: 1, key: "a", count: 5), Count(unit_id: 1, key: "b", count: 8), Count(unit_id: 2, key: "a", count: 0)])

            // A statement that fails leaves nothing of its transaction.
            var clash = BulkRows(into: "bulk_probe", columns: ["source", "n"])
            clash.append(.init("failed"), .init(1))
            clash.append(.init("failed"), .init(Int?.none))
            let failing = rows("failed") + [clash]
            await #expect(throws: (any Error).self) {
                try await app.db.transaction { db in try await db.runOverlapping(failing) { $0 } }
            }
            #expect(try await read("failed").isEmpty)
        }
    }
}
