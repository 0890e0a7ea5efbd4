import Fluent
import LeagueCore
import SQLKit

/// A table that keeps a unit's path beside its rows, so that scope is one index range, and what
/// its rows do when units and members move. Every such column is declared; a test compares the
/// declarations with the schema, so a new table cannot be forgotten by moves and merges.
struct UnitPathColumn: Sendable {
    enum OnMerge: Sendable {
        /// The row belongs to a member (`memberColumn`) and goes where the member goes, on a merge
        /// as on a transfer; `condition` (SQL) limits it to rows still under way.
        case followsMember(memberColumn: String, condition: String?)
        /// The row is the unit's ongoing work and passes to the unit it merges into.
        case passesToSuccessor(condition: String?)
        /// The row records what the unit did; it stays with the dissolved unit for the history.
        case staysAsHistory
    }

    let table: String
    let path: String
    /// The unit id kept beside the path, rewritten with it when a row changes unit.
    let unitID: String?
    let onMerge: OnMerge

    init(_ table: String, _ path: String, unitID: String? = nil, _ onMerge: OnMerge) {
        self.table = table
        self.path = path
        self.unitID = unitID
        self.onMerge = onMerge
    }

    /// A subtree moved from `old` to `new`: every path in it is rewritten, whatever the row.
    func rebase(from old: TreePath, to new: TreePath, on db: any Database) async throws {
        try await db.sql.raw("""
            UPDATE \(ident: table)
            SET \(ident: path) = \(bind: new.value) || substr(\(ident: path), CAST(\(bind: old.value.count + 1) AS INTEGER))
            WHERE \(ident: path) >= \(bind: old.subtreeLowerBound) AND \(ident: path) < \(bind: old.subtreeUpperBound)
            """).run()
    }

    /// Rows of these members (if the column follows members) now belong to `branch`.
    func relocate(members ids: [Int], to branch: (id: Int, path: TreePath), on db: any Database) async throws {
        guard case .followsMember(let memberColumn, let condition) = onMerge, !ids.isEmpty else { return }
        var update = db.sql.update(table).set(SQLIdentifier(path), to: SQLBind(branch.path.value))
        if let unitID { update = update.set(SQLIdentifier(unitID), to: SQLBind(branch.id)) }
        update = update.where(SQLIdentifier(memberColumn), .in, SQLBind.group(ids))
        if let condition { update = update.where(SQLRaw(condition)) }
        try await update.run()
    }

    /// The unit at `source` merged into `target`: its ongoing work passes on.
    func passOn(from source: TreePath, to target: (id: Int, path: TreePath), on db: any Database) async throws {
        guard case .passesToSuccessor(let condition) = onMerge else { return }
        var update = db.sql.update(table).set(SQLIdentifier(path), to: SQLBind(target.path.value))
        if let unitID { update = update.set(SQLIdentifier(unitID), to: SQLBind(target.id)) }
        update = update.where(SQLIdentifier(path), .equal, SQLBind(source.value))
        if let condition { update = update.where(SQLRaw(condition)) }
        try await update.run()
    }
}
