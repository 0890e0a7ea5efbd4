import Fluent
import LeagueCore
import SQLKit

/// Items by status, kept for every unit's subtree (`SubtreeTotals`), so that the queue's tabs of
/// the city read four rows instead of counting 200,000 items on each request. Every write that
/// changes an item's status or unit moves its one count.
public enum VoiceTotals {
    static let byStatus = SubtreeTotals(table: "voice_status_totals", keys: ["status"], figures: ["items"])

    /// An item left `from` (its status at its unit) and arrived at `to`; nil for none.
    static func moved(from: (status: VoiceStatus, path: TreePath)?, to: (status: VoiceStatus, path: TreePath)?,
                      on db: any Database) async throws {
        var changes = SubtreeTotals.Changes()
        if let from { changes.add([-1], key: [from.status.rawValue], at: from.path) }
        if let to { changes.add([1], key: [to.status.rawValue], at: to.path) }
        try await byStatus.apply(changes, on: db)
    }

    /// The counts of a unit's subtree by status.
    static func counts(of unitID: Int, on db: any Database) async throws -> [VoiceStatus: Int] {
        var counts: [VoiceStatus: Int] = [:]
        for row in try await byStatus.rows(of: unitID, on: db) {
            if let status = row.key.first.flatMap(VoiceStatus.init(rawValue:)) { counts[status] = row.figures.first ?? 0 }
        }
        return counts
    }

    /// A branch's open items pass to the unit it merges into (`UnitPathColumn`): their counts go with them.
    static func merging(_ source: Organization, into target: Organization, on db: any Database) async throws {
        struct Count: Decodable { let status: String; let n: Int }
        let open = try await db.sql.raw("""
            SELECT status, COUNT(*) AS n FROM \(ident: VoiceItem.schema)
            WHERE unit_path = \(bind: source.path.value) AND status IN ('submitted', 'accepted') GROUP BY status
            """).all(decoding: Count.self)
        var changes = SubtreeTotals.Changes()
        for count in open {
            changes.add([-count.n], key: [count.status], at: source.path)
            changes.add([count.n], key: [count.status], at: target.path)
        }
        try await byStatus.apply(changes, on: db)
    }

    /// Works every row out again from the items.
    public static func rebuild(on db: any Database) async throws {
        struct Sum: Decodable { let unit_path: String; let status: String; let n: Int }
        let sums = try await db.sql.raw("""
            SELECT unit_path, status, COUNT(*) AS n FROM \(ident: VoiceItem.schema) GROUP BY unit_path, status
            """).all(decoding: Sum.self)
        try await byStatus.rebuild(sums.compactMap { sum in TreePath(sum.unit_path).map { ($0, [sum.status], [sum.n]) } }, on: db)
    }
}
