import Fluent
import Foundation
import LeagueCore
import SQLKit
import Testing
import Vapor
@testable import SmartLeague

@Suite struct DemoCityTests {
    /// - Parameter instant: when the build starts by the application's clock (now when nil).
    static func build(seed: UInt64, at instant: Date? = nil) async throws -> [String] {
        var fingerprint: [String] = []
        try await TestApp.run { app, _ in
            if let instant { app.clock.advance(by: instant.timeIntervalSince(app.clock.now())) }
            let summary = try await DemoCity.build(app, members: 400, seed: seed)
            #expect(summary.members == 400)
            // Every member put in, and those the living city admitted since; some have left.
            let members = try await Scope.unrestricted.everyMember(on: app.db).sort(\.$memberNumber).all()
            #expect(members.count >= 400)
            #expect(try await Scope.unrestricted.members(on: app.db).count() < members.count)
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
            for member in members {
                let id = try ResidentID(try app.vault.open(member.idSealed), today: today)
                #expect(id.value.hasPrefix("3302"))
                #expect(id.gender == member.gender)
                #expect(MembershipAge.joining.contains(MembershipAge.age(born: id.birthDate, on: CalendarDate(member.joinedOn)!)))
            }
            try await StatisticsTests.expectCountsMatchARecount(app)
            // No two committees share a name (the volunteer groups and every form that names a unit rely on it).
            let committees = try await Scope.unrestricted.organizations(on: app.db).filter(\.$depth == 2).all().map(\.name)
            #expect(Set(committees).count == committees.count)
            // Each level's demo administrator sees only their part.
            let branchAdmin = Browser(app)
            #expect(try await branchAdmin.signIn("demo.branch", DemoCity.demoPassword).location == "/")
            let list = try await branchAdmin.get("/members")
            #expect(list.status == .ok)
            #expect(!list.contains("共 400 条"))
            // A second run refuses to build over existing data.
            await #expect(throws: Refusal.self) { try await DemoCity.build(app, members: 10, seed: seed) }
            fingerprint = members.map { "\($0.name) \($0.idMasked) \($0.birthDate) \($0.branchPath) \($0.leftOn ?? "")" }
            // Every part filled its tables, the same rows for the same seed, ids included (but the
            // kept totals'), though fills run side by side (the log and sessions aside).
            for table in try await Self.tables(app) where !["audit_entries", "sessions", "rate_counters", "_fluent_migrations"].contains(table) {
                fingerprint.append(try await Self.rows(of: table, app))
            }
            for filled in ["meetings", "study_completions", "volunteer_signups", "transfers", "dues_payments", "admission_applications"] {
                #expect(fingerprint.contains { $0.hasPrefix("\(filled): ") && !$0.hasPrefix("\(filled): 0 rows") }, "\(filled)")
            }
        }
        return fingerprint
    }

    /// A table's rows as a count and a digest of every row's values, in any order, without the
    /// columns each build writes afresh: what is sealed (a random nonce each time), keyed hashes
    /// and password hashes (each test application has its own key and salt), and instants, which
    /// follow the clock as the build goes on (days, drawn from the seed, stay). The kept totals'
    /// rows are compared without their ids: fills that run side by side add rows to them, each
    /// found by its unit and key (`DemoFill`).
    static func rows(of table: String, _ app: Application) async throws -> String {
        let keptTotals = [MemberStatRow.schema, "org_life_spread"].contains(table) || table.hasSuffix("_totals")
        func fresh(_ column: String) -> Bool {
            column == "at" || column.hasSuffix("_at") || column.hasSuffix("_sealed") || ["id_hash", "password_hash"].contains(column)
                || (keptTotals && column == "id")
        }
        var lines: [String] = []
        for row in try await app.db.sql.select().column(SQLLiteral.all).from(table).all() {
            lines.append(row.allColumns.filter { !fresh($0) }.map { column in
                if (try? row.decodeNil(column: column)) == true { return "\(column)=∅" }
                if let value = try? row.decode(column: column, as: Int.self) { return "\(column)=\(value)" }
                if let value = try? row.decode(column: column, as: Double.self) { return "\(column)=\(value)" }
                if let value = try? row.decode(column: column, as: String.self) { return "\(column)=\(value)" }
                if let value = try? row.decode(column: column, as: Bool.self) { return "\(column)=\(value)" }
                if let value = try? row.decode(column: column, as: Date.self) { return "\(column)=\(value.timeIntervalSince1970)" }
                return "\(column)=?"
            }.joined(separator: "|"))
        }
        let digest = SHA256.hash(data: Data(lines.sorted().joined(separator: "\n").utf8)).map { String(format: "%02x", $0) }.joined()
        return "\(table): \(lines.count) rows \(digest)"
    }

    static func tables(_ app: Application) async throws -> [String] {
        struct Table: Decodable { let name: String }
        let query: SQLQueryString = app.db.isPostgres
            ? "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        return try await app.db.sql.raw(query).all(decoding: Table.self).map(\.name)
    }

    /// The same seed on the same day builds the same city. Both builds start at one instant: what
    /// has already happened depends on it (a volunteer post that ended between two builds minutes
    /// apart has its service records in the second only, which a slow run on PostgreSQL met).
    @Test func theSameSeedBuildsTheSameCity() async throws {
        let instant = Date()
        let first = try await Self.build(seed: 3, at: instant)
        let second = try await Self.build(seed: 3, at: instant)
        #expect(first.count == second.count)
        let differing = zip(first, second).filter { $0 != $1 }.map { "\($0) ≠ \($1)" }
        #expect(differing.isEmpty, "\(differing.prefix(8))")
    }
}

extension DemoCityTests {
    /// The members go in with the table's secondary indexes set aside (SQLite); every one of them
    /// is there again afterwards, as the migrations made it.
    @Test func theMembersIndexesAreBuiltAgainAfterTheLoad() async throws {
        try await TestApp.run { app, _ in
            guard !app.db.isPostgres else { return }
            struct Index: Decodable, Equatable { let name: String; let sql: String? }
            func indexes() async throws -> [Index] {
                try await app.db.sql.raw("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'members' ORDER BY name")
                    .all(decoding: Index.self)
            }
            let before = try await indexes()
            #expect(before.contains { $0.name == "members_path_name" })
            _ = try await DemoCity.build(app, members: 300, seed: 2)
            #expect(try await indexes() == before)
        }
    }
}
