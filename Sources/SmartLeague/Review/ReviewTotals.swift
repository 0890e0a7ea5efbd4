import Fluent
import LeagueCore
import SQLKit

/// How many branch reviews of each year stand at each status in every unit's subtree, kept
/// (`SubtreeTotals`) so that 评议注册 at the city root reads a few rows instead of counting the
/// year's 29,000 reviews by status on each request. A review is opened as a draft, then submitted,
/// then approved, and never removed; it stays at the path it was opened under
/// (`UnitPathColumn.staysAsHistory`), so a move changes nothing here.
enum ReviewTotals {
    static let totals = SubtreeTotals(table: "branch_review_totals", keys: ["year", "status"], figures: ["reviews"])

    /// A review of `year` at `branchPath` came to `status`, from `previous` if it had one.
    static func statusChanged(year: Int, at branchPath: TreePath, from previous: BranchReview.Status?,
                              to status: BranchReview.Status, on db: any Database) async throws {
        var changes = SubtreeTotals.Changes()
        if let previous { changes.add([-1], key: [String(year), previous.rawValue], at: branchPath) }
        changes.add([1], key: [String(year), status.rawValue], at: branchPath)
        try await totals.apply(changes, on: db)
    }

    /// The reviews of `year` in the unit's subtree, by status.
    static func counts(under unitID: Int, year: Int, on db: any Database) async throws -> [BranchReview.Status: Int] {
        var counts: [BranchReview.Status: Int] = [:]
        for row in try await totals.rows(of: unitID, keyPrefix: [String(year)], on: db) {
            guard let status = row.key.last.flatMap(BranchReview.Status.init(rawValue:)) else { continue }
            counts[status, default: 0] += row.figures.first ?? 0
        }
        return counts
    }

    /// Works every row out again from the reviews (a new table, and after the demo's bulk insert).
    static func rebuild(on db: any Database) async throws {
        struct Count: Decodable { let branch_path: String; let year: Int; let status: String; let n: Int }
        let counts = try await db.sql.raw("""
            SELECT branch_path, year, status, COUNT(*) AS n FROM \(ident: BranchReview.schema) GROUP BY branch_path, year, status
            """).all(decoding: Count.self)
        try await totals.rebuild(counts.compactMap { count in
            TreePath(count.branch_path).map { ($0, [String(count.year), count.status], [count.n]) }
        }, on: db)
    }
}

/// The kept review counts, worked out once from the reviews already opened.
struct CreateReviewTotals: SubtreeTotalsMigration {
    var totals: SubtreeTotals { ReviewTotals.totals }
    func fill(on database: any Database) async throws { try await ReviewTotals.rebuild(on: database) }
}
