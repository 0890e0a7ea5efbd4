import Fluent
import LeagueCore
import SQLKit

/// Each unit's dues by month — the sum and the number of the payments recorded in its subtree —
/// kept (`SubtreeTotals`) so that the dues page of the city reads twelve rows instead of summing
/// every payment of a million members. Payments are recorded, never changed or removed; a merge
/// leaves the dissolved branch's payments where they were recorded (`UnitPathColumn.staysAsHistory`),
/// so its rows stay too.
enum DuesMonthTotals {
    static let totals = SubtreeTotals(table: "dues_month_totals", keys: ["month"], figures: ["total_fen", "payments"])

    /// A payment recorded at `branchPath`.
    static func add(amountFen: Int, month: String, at branchPath: TreePath, on db: any Database) async throws {
        try await totals.add([amountFen, 1], key: [month], at: branchPath, on: db)
    }

    /// Works every row out again from the payments (a new table, and after the demo's bulk insert).
    static func rebuild(on db: any Database) async throws {
        struct Sum: Decodable { let branch_path: String; let month: String; let total: Int; let n: Int }
        let sums = try await db.sql.raw("""
            SELECT branch_path, month, CAST(SUM(amount_fen) AS BIGINT) AS total, COUNT(*) AS n
            FROM \(ident: DuesPayment.schema) GROUP BY branch_path, month
            """).all(decoding: Sum.self)
        try await totals.rebuild(sums.compactMap { sum in TreePath(sum.branch_path).map { ($0, [sum.month], [sum.total, sum.n]) } }, on: db)
    }
}

/// The kept dues figures, worked out once from the payments already recorded.
struct CreateDuesMonthTotals: SubtreeTotalsMigration {
    var totals: SubtreeTotals { DuesMonthTotals.totals }
    func fill(on database: any Database) async throws { try await DuesMonthTotals.rebuild(on: database) }
}
