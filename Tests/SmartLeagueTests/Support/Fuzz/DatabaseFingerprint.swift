import Fluent
import Foundation
import SQLKit
@testable import SmartLeague

/// The content of every table as one text per table, to tell whether a request wrote anything.
enum DatabaseFingerprint {
    /// Tables a refused request may still write: its session (flash), the attempt counters, the
    /// audit log (refusals are audited).
    static let bookkeeping: Set<String> = ["sessions", "rate_counters", "audit_entries", "_fluent_migrations"]

    /// Figures kept beside the stamp of what they were worked out from, which any read may work
    /// out again once an audited write moved that stamp (a unit renamed makes the next 三会一课
    /// overview work out every branch's compliance and its spread up the tree): they hold nothing
    /// that is not in audited rows.
    static let derived: Set<String> = ["org_life_standings", "org_life_standing_stamps", "org_life_spread"]

    static func tables(on db: any Database) async throws -> [String] {
        struct Name: Decodable { let name: String }
        if db.isPostgres {
            return try await db.sql.raw("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
                .all(decoding: Name.self).map(\.name)
        }
        return try await db.sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .all(decoding: Name.self).map(\.name)
    }

    /// Each table's rows, digested to one text.
    static func take(tables: [String], on db: any Database) async throws -> [String: String] {
        struct Digest: Decodable { let digest: String? }
        var result: [String: String] = [:]
        for table in tables {
            let query: SQLQueryString
            if db.isPostgres {
                query = "SELECT md5(coalesce(string_agg(md5(t::text), ',' ORDER BY md5(t::text)), '')) AS digest FROM \(ident: table) t"
            } else {
                struct Column: Decodable { let name: String }
                let columns = try await db.sql.raw("SELECT name FROM pragma_table_info(\(bind: table))").all(decoding: Column.self).map(\.name)
                let row = columns.map { "quote(\"\($0)\")" }.joined(separator: " || '|' || ")
                query = "SELECT group_concat(r, ',') AS digest FROM (SELECT \(unsafeRaw: row) AS r FROM \(ident: table) ORDER BY r)"
            }
            result[table] = try await db.sql.raw(query).first(decoding: Digest.self)?.digest ?? ""
        }
        return result
    }

    /// The tables whose content differs.
    static func changed(_ before: [String: String], _ after: [String: String]) -> [String] {
        after.keys.filter { before[$0] != after[$0] }.sorted()
    }
}
