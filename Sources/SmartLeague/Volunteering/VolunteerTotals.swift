import Fluent
import SQLKit

/// How many volunteers the city has registered, kept as they register: the overview at the city
/// root counted every volunteer's row on each view (219,000 in the 1,000,000-member demo city, the
/// page's costliest statement on SQLite, and a full count on PostgreSQL). Volunteers are never
/// deleted and a move or merge of units keeps them in the city, so each registration adds its
/// volunteers in its own transaction. `Scope.count` reads it at the root (`CityTotalKept`); below
/// the root it still counts within reach.
enum VolunteerTotals {
    static let schema = "volunteer_totals"

    /// The city's registered volunteers.
    static func registered(on db: any Database) async throws -> Int {
        let row = try await db.sql.select().column("registered").from(schema).where("id", .equal, SQLBind(1)).first()
        return try row?.decode(column: "registered", as: Int.self) ?? 0
    }

    /// Volunteers have registered, in the transaction that registered them.
    static func add(_ count: Int, on db: any Database) async throws {
        guard count != 0 else { return }
        try await db.sql.raw("UPDATE \(ident: schema) SET registered = registered + \(bind: count) WHERE id = 1").run()
    }

    /// Counts the volunteers again.
    static func recount(on db: any Database) async throws {
        try await db.sql.raw("UPDATE \(ident: schema) SET registered = (SELECT COUNT(*) FROM \(ident: Volunteer.schema)) WHERE id = 1").run()
    }
}

extension Volunteer: CityTotalKept {
    static func cityTotal(on db: any Database) async throws -> Int {
        try await VolunteerTotals.registered(on: db)
    }
}

struct CreateVolunteerTotals: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(VolunteerTotals.schema)
            .field("id", .int, .identifier(auto: false))
            .field("registered", .int, .required)
            .create()
        try await database.sql.raw("INSERT INTO \(ident: VolunteerTotals.schema) (id, registered) VALUES (1, 0)").run()
        try await VolunteerTotals.recount(on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(VolunteerTotals.schema).delete()
    }
}
