import Fluent
import LeagueCore
import SQLKit

/// Figures kept for every unit about the records in its subtree, by a key (a month, a kind), so
/// that the page of the city reads a few rows instead of adding up a million records on each
/// request. A part declares one table of them and keeps it: a record that comes or goes adds its
/// figures to its unit and to every unit above it, in its own transaction; a unit that moves takes
/// its rows from its old ancestors to its new ones (`LeaguePart.unitMoved`); `rebuild` works every
/// row out again from the records (a new table, a bulk insert).
struct SubtreeTotals: Sendable {
    let table: String
    /// The figures each row keeps beside its unit and key, such as ["total_fen", "payments"].
    let figures: [String]

    struct Row: Sendable {
        let unitID: Int
        let key: String
        let figures: [Int]
    }

    /// One unit's rows, the greatest keys first (the latest months).
    func rows(of unitID: Int, limit: Int? = nil, on db: any Database) async throws -> [Row] {
        try await select(on: db).where("unit_id", .equal, SQLBind(unitID)).orderBy("key", .descending).limit(limit)
            .all().map(row)
    }

    /// Some units' row for one key.
    func rows(key: String, of unitIDs: [Int], on db: any Database) async throws -> [Int: Row] {
        guard !unitIDs.isEmpty else { return [:] }
        let rows = try await select(on: db).where("key", .equal, SQLBind(key)).where("unit_id", .in, SQLBind.group(unitIDs))
            .all().map(row)
        return Dictionary(rows.map { ($0.unitID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// A record at `path` came (or, with negative figures, went): its unit and every unit above it count it.
    func add(_ figures: [Int], key: String, at path: TreePath, on db: any Database) async throws {
        try await add(path.ids.map { Row(unitID: $0, key: key, figures: figures) }, on: db)
    }

    /// The subtree of `unitID` now hangs below `newParent`: what it holds leaves the old ancestors
    /// and joins the new ones (those both share keep it). An old ancestor left with nothing under
    /// a key no longer lists that key.
    func move(_ unitID: Int, from oldParent: TreePath, to newParent: TreePath, on db: any Database) async throws {
        let kept = try await rows(of: unitID, on: db)
        guard !kept.isEmpty else { return }
        let shared = Set(oldParent.ids).intersection(newParent.ids)
        let left = oldParent.ids.filter { !shared.contains($0) }, joined = newParent.ids.filter { !shared.contains($0) }
        var changes: [Row] = []
        for row in kept {
            changes += left.map { Row(unitID: $0, key: row.key, figures: row.figures.map { -$0 }) }
            changes += joined.map { Row(unitID: $0, key: row.key, figures: row.figures) }
        }
        try await add(changes, on: db)
        guard !left.isEmpty else { return }
        try await figures.reduce(db.sql.delete(from: table).where("unit_id", .in, SQLBind.group(left))) { $0.where($1, .equal, SQLBind(0)) }.run()
    }

    /// Works every row out again from the records' sums by (path, key).
    func rebuild(_ sums: [(path: TreePath, key: String, figures: [Int])], on db: any Database) async throws {
        struct Key: Hashable { let unitID: Int; let key: String }
        var totals: [Key: [Int]] = [:]
        for sum in sums {
            for id in sum.path.ids {
                let before = totals[Key(unitID: id, key: sum.key)] ?? Array(repeating: 0, count: figures.count)
                totals[Key(unitID: id, key: sum.key)] = zip(before, sum.figures).map { $0 + $1 }
            }
        }
        try await db.sql.delete(from: table).run()
        try await add(totals.map { Row(unitID: $0.key.unitID, key: $0.key.key, figures: $0.value) }
            .sorted { ($0.unitID, $0.key) < ($1.unitID, $1.key) }, on: db)
    }

    /// The table, for the part's migration.
    func create(on database: any Database) async throws {
        var schema = database.schema(table).field("unit_id", .int, .required).field("key", .string, .required)
        for figure in figures { schema = schema.field(FieldKey(stringLiteral: figure), .int64, .required) }
        try await schema.unique(on: "unit_id", "key").create()
        try await database.createIndex("\(table)_key", on: table, columns: ["key", "unit_id"])
    }

    private func select(on db: any Database) -> SQLSelectBuilder {
        db.sql.select().columns(["unit_id", "key"] + figures).from(table)
    }

    private func row(_ row: any SQLRow) throws -> Row {
        Row(unitID: try row.decode(column: "unit_id", as: Int.self), key: try row.decode(column: "key", as: String.self),
            figures: try figures.map { try row.decode(column: $0, as: Int.self) })
    }

    /// Adds to the rows (creating the missing ones) in the order given: a record's rows go from
    /// the city down, so that writers on PostgreSQL that touch the same rows never wait in a circle.
    private func add(_ changes: [Row], on db: any Database) async throws {
        for start in stride(from: 0, to: changes.count, by: 400) {
            var insert = db.sql.insert(into: table).columns(["unit_id", "key"] + figures)
            for change in changes[start..<min(start + 400, changes.count)] {
                insert = insert.values([SQLBind(change.unitID), SQLBind(change.key)] + change.figures.map { SQLBind($0) })
            }
            try await insert.onConflict(with: ["unit_id", "key"]) { update in
                figures.reduce(update) { $0.set(SQLIdentifier($1), to: SQLRaw("\(table).\($1) + excluded.\($1)")) }
            }.run()
        }
    }
}
