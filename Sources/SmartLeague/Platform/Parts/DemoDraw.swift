import FluentKit
import SQLKit

/// A draw from 0 to 99 for the demo city's bulk fills, computed by the database for each row of an
/// `INSERT … SELECT` (so that a million rows cost no binding in Swift), with the same answer on
/// SQLite and PostgreSQL. The salt comes from the part's own random stream, so
/// the seed still decides the city.
///
/// The draw mixes its inputs by squaring modulo the prime 2³¹ − 1, twice, so that draws for
/// neighbouring ids or for the same id with another second input are unrelated (a linear mix
/// would keep them a constant apart). Every product stays below 2⁶³ on both engines.
struct DemoDraw: Sendable {
    let salt: Int

    init(_ random: inout SeededRandom) {
        salt = random.int(0...999_999)
    }

    private static let prime = 2_147_483_647

    /// The draw as an SQL expression over two non-negative integer expressions below a few million
    /// (column names or literals, e.g. a member's id and a meeting's).
    func sql(_ a: String, _ b: String = "0") -> String {
        // 64-bit from the start: PostgreSQL computes in the operands' type and refuses to overflow.
        let mixed = "((CAST(\(a) AS BIGINT) * 40503 + CAST(\(b) AS BIGINT) * 65599 + \(salt)) % \(Self.prime))"
        let squared = "(\(mixed) * \(mixed) % \(Self.prime))"
        return "((\(squared) + \(salt)) * \(squared) % \(Self.prime) % 100)"
    }

    /// `CASE <draw> % n WHEN 0 THEN values[0] … END`: one of the values, chosen per row.
    func choice(_ a: String, _ b: String, among values: [String]) -> SQLQueryString {
        guard values.count > 1 else { return "\(literal: values.first ?? "")" }
        var expression: SQLQueryString = "CASE \(unsafeRaw: sql(a, b)) % \(literal: values.count)"
        for (index, value) in values.enumerated() {
            expression += " WHEN \(literal: index) THEN \(literal: value)"
        }
        return expression + " END"
    }
}

extension DemoDraw {
    /// Ends a subquery whose drawn columns the outer query names more than once, so that each
    /// is computed once a row. SQLite merges a plain subquery into the query around it and writes
    /// the column's expression out again wherever it is named, so a draw named in six
    /// conditions was computed six times; a subquery with an OFFSET is kept apart (SQLite's
    /// flattening rule 14), and PostgreSQL does not pull one up either.
    static func computedOnce(on db: any Database) -> SQLQueryString {
        db.isPostgres ? " OFFSET 0" : " LIMIT -1 OFFSET 0"
    }
}
