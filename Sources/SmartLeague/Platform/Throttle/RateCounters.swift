import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Counted attempts (sign-ins, check-in codes, public registrations, duplicate checks beyond
/// scope), one row per key and window. A counter is taken in one statement before the attempt is
/// checked and outside the attempt's own transaction, so that attempts arriving together cannot
/// all pass, and a refused attempt still counts after its write rolled back.
enum RateCounters {
    static let schema = "rate_counters"

    /// One counter: `key` is what is counted (`signin:name|address`), `subject` what an
    /// administrator looks counters up by (`signin:name`).
    struct Key: Sendable {
        let key: String
        let subject: String
        let limit: RateLimit

        init(_ subject: String, _ detail: String? = nil, limit: RateLimit) {
            // Typed names and addresses go into keys: bounded, so a row cannot be made huge.
            let subject = String(subject.prefix(120))
            self.subject = subject
            key = detail.map { "\(subject)|\(String($0.prefix(80)))" } ?? subject
            self.limit = limit
        }
    }

    struct Taken: Sendable {
        let count: Int
        /// Seconds since 1970 when the window ends.
        let windowEnds: Int
    }

    /// Counts one attempt under each key; returns whether every key still allows it, and the
    /// latest end of a window that refused it.
    static func take(_ keys: [Key], now: Date, writer: Writer, on db: any Database) async throws -> (allowed: Bool, windowEnds: Int) {
        let seconds = Int(now.timeIntervalSince1970)
        let taken = try await writer.writeStatements(db) { db in
            var taken: [Taken] = []
            for key in keys { taken.append(try await take(key, now: seconds, on: db)) }
            return taken
        }
        let refused = zip(keys, taken).filter { !$0.0.limit.allows(count: $0.1.count) }
        return (refused.isEmpty, refused.map(\.1.windowEnds).max() ?? seconds)
    }

    private static func take(_ key: Key, now: Int, on db: any Database) async throws -> Taken {
        struct Row: Decodable { let attempts: Int; let expires_at: Int }
        let ends = now + key.limit.window
        let row = try await db.sql.raw("""
            INSERT INTO rate_counters (counter_key, subject, attempts, expires_at) VALUES (\(bind: key.key), \(bind: key.subject), 1, \(bind: ends))
            ON CONFLICT (counter_key) DO UPDATE SET
                attempts = CASE WHEN rate_counters.expires_at <= \(bind: now) THEN 1 ELSE rate_counters.attempts + 1 END,
                expires_at = CASE WHEN rate_counters.expires_at <= \(bind: now) THEN \(bind: ends) ELSE rate_counters.expires_at END
            RETURNING attempts, expires_at
            """).first(decoding: Row.self)
        guard let row else { throw Abort(.internalServerError, reason: "rate counter not written") }
        return Taken(count: row.attempts, windowEnds: row.expires_at)
    }

    /// Takes an attempt back (it succeeded and does not count against the key).
    static func giveBack(_ key: Key, on db: any Database) async throws {
        try await db.sql.raw("UPDATE rate_counters SET attempts = attempts - 1 WHERE counter_key = \(bind: key.key) AND attempts > 0").run()
    }

    /// Forgets a key's attempts.
    static func clear(_ key: Key, on db: any Database) async throws {
        try await db.sql.delete(from: schema).where("counter_key", .equal, SQLBind(key.key)).run()
    }

    /// Forgets every key of a subject (an administrator unlocks a name from every address).
    static func clear(subject: String, on db: any Database) async throws {
        try await db.sql.delete(from: schema).where("subject", .equal, SQLBind(subject)).run()
    }

    /// Whether some key of the subject refuses the next attempt.
    static func isRefusing(subject: String, limit: RateLimit, now: Date, on db: any Database) async throws -> Bool {
        try await !refusing(subjects: [subject], limit: limit, now: now, on: db).isEmpty
    }

    /// The subjects among `subjects` with a key that refuses the next attempt.
    static func refusing(subjects: [String], limit: RateLimit, now: Date, on db: any Database) async throws -> Set<String> {
        guard !subjects.isEmpty else { return [] }
        struct Row: Decodable { let subject: String }
        return Set(try await db.sql.select().distinct().column("subject").from(schema)
            .where("subject", .in, SQLBind.group(subjects))
            .where("attempts", .greaterThanOrEqual, SQLBind(limit.limit))
            .where("expires_at", .greaterThan, SQLBind(Int(now.timeIntervalSince1970)))
            .all(decoding: Row.self).map(\.subject))
    }

    /// Deletes counters whose window is over.
    static func purgeExpired(now: Date, on db: any Database) async throws {
        try await db.sql.delete(from: schema).where("expires_at", .lessThanOrEqual, SQLBind(Int(now.timeIntervalSince1970))).run()
    }
}

struct CreateRateCounters: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RateCounters.schema)
            .field("counter_key", .string, .identifier(auto: false))
            .field("subject", .string, .required)
            .field("attempts", .int, .required)
            .field("expires_at", .int64, .required)
            .create()
        try await database.createIndex("rate_counters_subject", on: RateCounters.schema, columns: ["subject"])
        try await database.createIndex("rate_counters_expires", on: RateCounters.schema, columns: ["expires_at"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RateCounters.schema).delete()
    }
}

extension Request {
    /// The address a request came from: the peer, or with `TRUST_PROXY=1` the address the proxy
    /// in front of the server reports (the last entry of X-Forwarded-For, which the proxy wrote).
    /// Only something shaped like an IPv4 or IPv6 address is taken: the value is counted and audited.
    var clientAddress: String {
        if application.settings.trustProxy,
           let forwarded = headers.first(name: "X-Forwarded-For")?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
           (2...45).contains(forwarded.utf8.count),
           forwarded.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit || $0 == "." || $0 == ":" }) {
            return forwarded
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }
}
