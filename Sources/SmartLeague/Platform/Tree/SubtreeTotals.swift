import Fluent
import LeagueCore
import SQLKit

/// Figures kept for every unit about the records in its subtree, by a key (a month; a kind; a
/// dimension and its value), so that the page of the city reads a few rows instead of adding up a
/// million records on each request. A part declares a table of them and keeps it: whatever adds
/// or removes records adds their figures (negative to take away) to their unit and to every unit
/// above it, in its own transaction; a unit that moves takes its rows from its old ancestors to
/// its new ones (`LeaguePart.unitMoved`); `rebuild` works every row out again from the records.
/// Member statistics (`MemberStats`), dues by month and cadres by mode are kept this way.
struct SubtreeTotals: Sendable {
    let table: String
    /// The columns that tell the rows of one unit apart, such as ["month"] or ["dimension", "value"].
    let keys: [String]
    /// The figures each row keeps, such as ["total_fen", "payments"].
    let figures: [String]

    struct Row: Sendable {
        let unitID: Int
        let key: [String]
        let figures: [Int]
    }

    /// Figures to add, gathered before they are written in one go. A record's figures are gathered
    /// under its own unit and spread to the units above only when applied, so that a million
    /// imported members cost a million additions to their branches, not five million.
    struct Changes: Sendable {
        private struct Leaf: Hashable, Sendable { let path: TreePath; let key: [String] }
        private struct Direct: Hashable, Sendable { let unitID: Int; let key: [String] }
        private var leaves: [Leaf: [Int]] = [:]
        private var direct: [Direct: [Int]] = [:]

        init() {}

        /// A record at `path` with these figures (negative to take away).
        mutating func add(_ figures: [Int], key: [String], at path: TreePath) {
            Self.add(figures, to: &leaves[Leaf(path: path, key: key), default: Array(repeating: 0, count: figures.count)])
        }

        /// Figures of one unit's row alone, not spread upwards.
        mutating func add(_ figures: [Int], key: [String], unitID: Int) {
            Self.add(figures, to: &direct[Direct(unitID: unitID, key: key), default: Array(repeating: 0, count: figures.count)])
        }

        /// Every unit's change in one order (unit, key), without those that come to nothing.
        var rows: [Row] {
            var spread = direct
            for (leaf, figures) in leaves {
                for unitID in leaf.path.ids {
                    Self.add(figures, to: &spread[Direct(unitID: unitID, key: leaf.key), default: Array(repeating: 0, count: figures.count)])
                }
            }
            return spread.filter { $0.value.contains { $0 != 0 } }.map { Row(unitID: $0.key.unitID, key: $0.key.key, figures: $0.value) }
                .sorted { $0.unitID != $1.unitID ? $0.unitID < $1.unitID : $0.key.lexicographicallyPrecedes($1.key) }
        }

        /// Adds in place: a figure at a time into the row's figures, found once (a demo's
        /// million members add eight figures each).
        private static func add(_ figures: [Int], to row: inout [Int]) {
            for index in figures.indices where index < row.count { row[index] += figures[index] }
        }
    }

    /// One unit's rows, the greatest keys first (the latest months); with a `keyPrefix`, only those
    /// whose keys begin with it (one year's).
    func rows(of unitID: Int, keyPrefix: [String] = [], limit: Int? = nil, on db: any Database) async throws -> [Row] {
        let unit = zip(keys, keyPrefix).reduce(select(on: db).where("unit_id", .equal, SQLBind(unitID))) { $0.where($1.0, .equal, SQLBind($1.1)) }
        return try await keys.reduce(unit) { $0.orderBy($1, .descending) }.limit(limit).all().map(row)
    }

    /// Some units' row for one key.
    func rows(key: [String], of unitIDs: [Int], on db: any Database) async throws -> [Int: Row] {
        guard !unitIDs.isEmpty else { return [:] }
        let select = zip(keys, key).reduce(select(on: db).where("unit_id", .in, SQLBind.group(unitIDs))) { $0.where($1.0, .equal, SQLBind($1.1)) }
        return Dictionary(try await select.all().map(row).map { ($0.unitID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// A record at `path` came (or, with negative figures, went).
    func add(_ figures: [Int], key: [String], at path: TreePath, on db: any Database) async throws {
        var changes = Changes()
        changes.add(figures, key: key, at: path)
        try await apply(changes, on: db)
    }

    /// Writes the changes, adding to the rows and creating the missing ones, 400 rows a statement
    /// (each built while the one before it runs), in one order: writers on PostgreSQL that touch
    /// the same rows take them in that order and never wait for each other in a circle.
    func apply(_ changes: Changes, on db: any Database) async throws {
        let rows = changes.rows
        try await db.runOverlapping(stride(from: 0, to: rows.count, by: 400)) { start in
            var insert = BulkRows(into: table, columns: ["unit_id"] + keys + figures, rows: 400)
            insert.addingOnConflict = (["unit_id"] + keys, figures)
            for row in rows[start..<min(start + 400, rows.count)] {
                insert.append([.init(row.unitID)] + row.key.map { .init($0) } + row.figures.map { .init($0) })
            }
            return insert
        }
    }

    /// The subtree of `unitID` now hangs below `newParent`: what it holds leaves the old ancestors
    /// and joins the new ones (those both share keep it). An old ancestor left with nothing under
    /// a key no longer lists that key.
    func move(_ unitID: Int, from oldParent: TreePath, to newParent: TreePath, on db: any Database) async throws {
        let shared = Set(oldParent.ids).intersection(newParent.ids)
        let left = oldParent.ids.filter { !shared.contains($0) }, joined = newParent.ids.filter { !shared.contains($0) }
        var changes = Changes()
        for row in try await rows(of: unitID, on: db) {
            for id in left { changes.add(row.figures.map { -$0 }, key: row.key, unitID: id) }
            for id in joined { changes.add(row.figures, key: row.key, unitID: id) }
        }
        try await apply(changes, on: db)
        guard !left.isEmpty else { return }
        try await figures.reduce(db.sql.delete(from: table).where("unit_id", .in, SQLBind.group(left))) { $0.where($1, .equal, SQLBind(0)) }.run()
    }

    /// Works every row out again from the records' sums by their unit's path and key; with a
    /// `keyPrefix`, only the rows whose keys begin with it (one year of several).
    func rebuild(_ sums: [(path: TreePath, key: [String], figures: [Int])], keyPrefix: [String] = [], on db: any Database) async throws {
        var changes = Changes()
        for sum in sums { changes.add(sum.figures, key: sum.key, at: sum.path) }
        try await zip(keys, keyPrefix).reduce(db.sql.delete(from: table)) { $0.where($1.0, .equal, SQLBind($1.1)) }.run()
        try await apply(changes, on: db)
    }

    /// The table, for the part's migration.
    func create(on database: any Database) async throws {
        var schema = database.schema(table).field("unit_id", .int, .required)
        for key in keys { schema = schema.field(FieldKey(stringLiteral: key), .string, .required) }
        for figure in figures { schema = schema.field(FieldKey(stringLiteral: figure), .int64, .required) }
        try await schema.constraint(.constraint(.unique(fields: (["unit_id"] + keys).map { .key(FieldKey(stringLiteral: $0)) }), name: nil))
            .create()
    }

    private func select(on db: any Database) -> SQLSelectBuilder {
        db.sql.select().columns(["unit_id"] + keys + figures).from(table)
    }

    /// Read column by column (a general row decoder costs more than these small reads).
    private func row(_ row: any SQLRow) throws -> Row {
        Row(unitID: try row.decode(column: "unit_id", as: Int.self), key: try keys.map { try row.decode(column: $0, as: String.self) },
            figures: try figures.map { try row.decode(column: $0, as: Int.self) })
    }
}

/// The migration that makes a part's table of kept figures and fills it: `fill` works the rows out
/// from the records, or forgets what they were worked out from so that the next read does.
protocol SubtreeTotalsMigration: AsyncMigration {
    var totals: SubtreeTotals { get }
    func fill(on database: any Database) async throws
}

extension SubtreeTotalsMigration {
    func prepare(on database: any Database) async throws {
        try await totals.create(on: database)
        try await fill(on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(totals.table).delete()
    }
}
