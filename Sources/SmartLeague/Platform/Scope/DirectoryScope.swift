import Fluent
import LeagueCore

/// What anyone signed in may know of the tree: units' names and codes. Units are the league's own
/// public bodies, not people, so rows that name another unit (the other side of a transfer, a
/// ranking of districts, the unit a task went to) label it here, whatever the caller reaches.
enum Directory {
    static func unitNames(_ ids: some Sequence<Int>, on db: any Database) async throws -> [Int: String] {
        try await Scope.unrestricted.unitNames(ids, on: db)
    }

    /// An active unit anywhere in the city by its code or full name: a transfer names where it goes.
    static func activeUnit(codeOrName: String, on db: any Database) async throws -> Organization? {
        try await Scope.unrestricted.activeOrganization(codeOrName: codeOrName, on: db)
    }
}
