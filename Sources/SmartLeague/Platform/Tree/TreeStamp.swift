import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// What the tree looks like, in one short string: how many units, the highest id and the newest
/// change. A unit founded, dissolved, merged, moved, renamed or retyped changes it (moves set the
/// change time too), so figures worked out from the tree can be kept beside the stamp they were
/// worked out at and worked out again once it moved.
enum TreeStamp {
    static func current(on db: any Database) async throws -> String {
        struct Shape: Decodable { let count: Int; let highest: Int?; let changed: String? }
        // Each figure in a subquery of its own, so that each reads an index (one step for the two
        // highest values) rather than every unit.
        let units = try await db.sql.raw("""
            SELECT (SELECT COUNT(*) FROM \(ident: Organization.schema)) AS count,
                   (SELECT MAX(id) FROM \(ident: Organization.schema)) AS highest,
                   CAST((SELECT updated_at FROM \(ident: Organization.schema) WHERE updated_at IS NOT NULL
                         ORDER BY updated_at DESC LIMIT 1) AS TEXT) AS changed
            """).first(decoding: Shape.self)
        return "\(units?.count ?? 0)|\(units?.highest ?? 0)|\(units?.changed ?? "")"
    }
}

/// Figures worked out from the tree, kept in this process's memory beside the tree stamp they were
/// worked out at; a read whose stamp moved works its figure out again. Each server process keeps
/// its own, and the stamp, read from the database on every use, keeps each of them right.
final class TreeFigures<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = NIOLockedValueBox<[Key: (stamp: String, value: Value)]>([:])
    /// Entries kept at most; past that the memory starts again empty.
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    func value(_ key: Key, on db: any Database, workOut: () async throws -> Value) async throws -> Value {
        let stamp = try await TreeStamp.current(on: db)
        if let kept = entries.withLockedValue({ $0[key] }), kept.stamp == stamp { return kept.value }
        let value = try await workOut()
        entries.withLockedValue { entries in
            if entries.count >= capacity { entries.removeAll() }
            entries[key] = (stamp, value)
        }
        return value
    }
}
