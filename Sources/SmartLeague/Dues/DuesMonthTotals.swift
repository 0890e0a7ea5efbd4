import Fluent
import LeagueCore
import SQLKit

/// Each unit's dues by month — the sum and the number of the payments recorded in its subtree —
/// kept so that the dues page of the city reads twelve rows instead of summing every payment of a
/// million members on each request (they are recorded, never changed or removed).
///
/// A payment adds itself to the row of its branch and of every unit above it, in its own
/// transaction; a unit that moves takes its subtree's rows from its old ancestors to its new ones
/// (`DuesPart.unitMoved`). A merge leaves the dissolved branch's payments where they were recorded
/// (`UnitPathColumn.staysAsHistory`), so its rows stay too.
enum DuesMonthTotals {
    static let schema = "dues_month_totals"

    struct Row: Decodable, Sendable {
        let unit_id: Int
        let month: String
        let total_fen: Int
        let payments: Int
    }

    /// One unit's months, newest first.
    static func months(of unitID: Int, limit: Int? = nil, on db: any Database) async throws -> [Row] {
        try await db.sql.select().columns("unit_id", "month", "total_fen", "payments").from(schema)
            .where("unit_id", .equal, SQLBind(unitID)).orderBy("month", .descending).limit(limit)
            .all(decoding: Row.self)
    }

    /// Some units' figures in one month.
    static func month(_ month: String, of unitIDs: [Int], on db: any Database) async throws -> [Int: Row] {
        guard !unitIDs.isEmpty else { return [:] }
        let rows = try await db.sql.select().columns("unit_id", "month", "total_fen", "payments").from(schema)
            .where("month", .equal, SQLBind(month)).where("unit_id", .in, SQLBind.group(unitIDs))
            .all(decoding: Row.self)
        return Dictionary(rows.map { ($0.unit_id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// A payment recorded at `branchPath`: its branch and every unit above it count it.
    static func add(amountFen: Int, month: String, at branchPath: TreePath, on db: any Database) async throws {
        try await add(branchPath.ids.map { (unitID: $0, month: month, totalFen: amountFen, payments: 1) }, on: db)
    }

    /// The subtree of `unit` now hangs below `newParent`: what it holds leaves the old ancestors
    /// and joins the new ones (the ones both share keep it).
    static func move(_ unitID: Int, from oldParent: TreePath, to newParent: TreePath, on db: any Database) async throws {
        let kept = try await months(of: unitID, on: db)
        guard !kept.isEmpty else { return }
        let shared = Set(oldParent.ids).intersection(newParent.ids)
        var changes: [(unitID: Int, month: String, totalFen: Int, payments: Int)] = []
        for row in kept {
            changes += oldParent.ids.filter { !shared.contains($0) }.map { ($0, row.month, -row.total_fen, -row.payments) }
            changes += newParent.ids.filter { !shared.contains($0) }.map { ($0, row.month, row.total_fen, row.payments) }
        }
        try await add(changes, on: db)
        // An old ancestor left with nothing in a month no longer lists that month, as before it had any.
        let left = oldParent.ids.filter { !shared.contains($0) }
        guard !left.isEmpty else { return }
        try await db.sql.delete(from: schema).where("unit_id", .in, SQLBind.group(left)).where("payments", .equal, SQLBind(0)).run()
    }

    /// Works every row out again from the payments (a new table, and after the demo's bulk insert).
    static func rebuild(on db: any Database) async throws {
        struct Sum: Decodable { let branch_path: String; let month: String; let total: Int; let n: Int }
        let sums = try await db.sql.raw("""
            SELECT branch_path, month, CAST(SUM(amount_fen) AS BIGINT) AS total, COUNT(*) AS n
            FROM \(ident: DuesPayment.schema) GROUP BY branch_path, month
            """).all(decoding: Sum.self)
        struct Key: Hashable { let unitID: Int; let month: String }
        var totals: [Key: (totalFen: Int, payments: Int)] = [:]
        for sum in sums {
            guard let path = TreePath(sum.branch_path) else { continue }
            for id in path.ids {
                let before = totals[Key(unitID: id, month: sum.month)] ?? (0, 0)
                totals[Key(unitID: id, month: sum.month)] = (before.totalFen + sum.total, before.payments + sum.n)
            }
        }
        try await db.sql.delete(from: schema).run()
        let rows = totals.map { (unitID: $0.key.unitID, month: $0.key.month, totalFen: $0.value.totalFen, payments: $0.value.payments) }
            .sorted { ($0.unitID, $0.month) < ($1.unitID, $1.month) }
        try await add(rows, on: db)
    }

    /// Adds to the rows (creating the missing ones) in the order given: writers on PostgreSQL that
    /// touch the same rows take them from the city down, so none waits for another in a circle.
    private static func add(_ changes: [(unitID: Int, month: String, totalFen: Int, payments: Int)], on db: any Database) async throws {
        for start in stride(from: 0, to: changes.count, by: 400) {
            var insert = db.sql.insert(into: schema).columns("unit_id", "month", "total_fen", "payments")
            for change in changes[start..<min(start + 400, changes.count)] {
                insert = insert.values(SQLBind(change.unitID), SQLBind(change.month), SQLBind(change.totalFen), SQLBind(change.payments))
            }
            try await insert.onConflict(with: ["unit_id", "month"]) { update in
                update.set(SQLIdentifier("total_fen"), to: SQLRaw("\(schema).total_fen + excluded.total_fen"))
                    .set(SQLIdentifier("payments"), to: SQLRaw("\(schema).payments + excluded.payments"))
            }.run()
        }
    }
}

/// The kept dues figures, worked out once from the payments already recorded.
struct CreateDuesMonthTotals: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DuesMonthTotals.schema)
            .field("unit_id", .int, .required)
            .field("month", .string, .required)
            .field("total_fen", .int64, .required)
            .field("payments", .int, .required)
            .unique(on: "unit_id", "month")
            .create()
        try await database.createIndex("dues_month_totals_month", on: DuesMonthTotals.schema, columns: ["month", "unit_id"])
        try await DuesMonthTotals.rebuild(on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DuesMonthTotals.schema).delete()
    }
}
