import Fluent
import LeagueCore
import SQLKit

/// A unit's id and name: what a list or a choice shows of it.
struct UnitName: Sendable, Equatable {
    let id: Int
    let name: String
}

/// What anyone signed in may know of the tree: units' names and codes. Units are the league's own
/// public bodies, not people, so rows that name another unit (the other side of a transfer, a
/// ranking of districts, the unit a task went to) label it here, whatever the caller reaches.
enum Directory {
    static func unitNames(_ ids: some Sequence<Int>, on db: any Database) async throws -> [Int: String] {
        try await Scope.unrestricted.unitNames(ids, on: db)
    }

    /// The city and its active districts (the city first, then by code), as public forms and
    /// pages offer them. Read as two columns: the public post search asks on every request, and a
    /// whole unit is decoded field by field.
    static func cityAndDistricts(on db: any Database) async throws -> [UnitName] {
        func names(_ condition: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [UnitName] {
            let units = Scope.unrestricted.restrict(db.sql.select().column("id").column("name").from(Organization.schema), paths: [SQLColumn("path")])
            return try await condition(units).all().map {
                UnitName(id: try $0.decode(column: "id", as: Int.self), name: try $0.decode(column: "name", as: String.self))
            }
        }
        guard let city = try await names({ $0.where("parent_id", .is, SQLLiteral.null).limit(1) }).first else { return [] }
        return [city] + (try await names {
            $0.where("parent_id", .equal, city.id).where("status", .equal, Organization.Status.active.rawValue).orderBy("code")
        })
    }

    /// An active unit anywhere in the city by its code or full name: a transfer names where it goes.
    static func activeUnit(codeOrName: String, on db: any Database) async throws -> Organization? {
        try await Scope.unrestricted.activeOrganization(codeOrName: codeOrName, on: db)
    }
}
