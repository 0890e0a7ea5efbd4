import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import SmartLeague

/// The `Writer`'s transactions on SQLite run on a connection of their own
/// (`SQLiteWritingTransaction`, decision 018); on PostgreSQL they are Fluent's. Whichever runs
/// them, a write is all or nothing, reads its own writes, gets a new row's id, and meets the
/// same constraints, and a refusal by a unique index is told apart as Fluent's drivers tell it.
@Suite struct SQLiteWritesTests {
    private final class ProbeRow: Model, @unchecked Sendable {
        static let schema = "write_probe"
        @ID(custom: "id") var id: Int?
        @Field(key: "n") var n: Int
        @OptionalField(key: "unit_id") var unitID: Int?

        init() {}
        init(n: Int, unitID: Int? = nil) {
            self.n = n
            self.unitID = unitID
        }
    }

    private struct Stop: Error {}

    private func makeTable(_ db: any Database) async throws {
        try await db.schema(ProbeRow.schema).field("id", .int, .identifier(auto: true)).field("n", .int, .required)
            .field("unit_id", .int, .references(Organization.schema, "id")).unique(on: "n").create()
    }

    private func numbers(_ db: any Database) async throws -> [Int] {
        try await ProbeRow.query(on: db).sort(\.$n).all().map(\.n)
    }

    @Test func aWriteRunsOnItsOwnConnectionAndSeesItsOwnRows() async throws {
        try await TestApp.run { app, _ in
            try await makeTable(app.db)
            let seen = try await app.writer.write(app.db) { db in
                let first = ProbeRow(n: 1)
                try await first.create(on: db)
                try await db.sql.insert(into: ProbeRow.schema).columns("n").values(SQLBind(2)).run()
                return (runsItself: db is SQLiteWritingTransaction, id: first.id, inside: try await numbers(db),
                        outside: try await numbers(app.db))
            }
            #expect(seen.runsItself == !app.db.isPostgres)
            #expect(seen.id != nil)
            #expect(seen.inside == [1, 2])
            // The reading connections see only what was committed (on PostgreSQL, another connection too).
            #expect(seen.outside == [])
            #expect(try await numbers(app.db) == [1, 2])
            let stored = try await ProbeRow.query(on: app.db).filter(\.$n == 1).first()
            #expect(stored?.id == seen.id)
        }
    }

    @Test func aWriteThatThrowsLeavesNothing() async throws {
        try await TestApp.run { app, _ in
            try await makeTable(app.db)
            await #expect(throws: Stop.self) {
                try await app.writer.write(app.db) { db in
                    try await ProbeRow(n: 1).create(on: db)
                    throw Stop()
                }
            }
            #expect(try await numbers(app.db) == [])
            // The connection is free again: the next write commits.
            try await app.writer.write(app.db) { db in try await ProbeRow(n: 3).create(on: db) }
            #expect(try await numbers(app.db) == [3])
        }
    }

    /// A second row with the same unique value is refused as a constraint failure, and nothing of
    /// its write stays; a row naming a unit that does not exist is refused as well (foreign keys
    /// are checked on the writing connection, as on Fluent's).
    @Test func constraintsHoldAndAreToldApart() async throws {
        try await TestApp.run { app, _ in
            try await makeTable(app.db)
            try await app.writer.write(app.db) { db in try await ProbeRow(n: 1).create(on: db) }
            do {
                try await app.writer.write(app.db) { db in
                    try await ProbeRow(n: 2).create(on: db)
                    try await ProbeRow(n: 1).create(on: db)
                }
                Issue.record("a second row with n = 1 was written")
            } catch let error as any DatabaseError {
                #expect(error.isConstraintFailure)
            }
            #expect(try await numbers(app.db) == [1])

            let units = try await Organization.query(on: app.db).count()
            await #expect(throws: (any Error).self) {
                try await app.writer.write(app.db) { db in try await ProbeRow(n: 5, unitID: units + 1000).create(on: db) }
            }
            #expect(try await numbers(app.db) == [1])
        }
    }

    /// Schema changes are migrations: asked of a write's transaction on SQLite, they fail.
    @Test func aWriteDoesNotChangeTheSchema() async throws {
        try await TestApp.run { app, _ in
            guard !app.db.isPostgres else { return }
            await #expect(throws: (any Error).self) {
                try await app.writer.write(app.db) { db in try await makeTable(db) }
            }
        }
    }
}
