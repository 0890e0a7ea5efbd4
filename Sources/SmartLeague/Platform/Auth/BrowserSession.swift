import Fluent
import Vapor

/// A signed-in browser. Sessions live in the database so that several server processes share
/// them; the row is keyed by a hash of the cookie, so the table alone does not let anyone in.
final class BrowserSession: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "sessions"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "account_id") var accountID: Int
    @Field(key: "csrf_token") var csrfToken: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    /// A one-line message for the next page (saved, created …), shown once.
    @OptionalField(key: "flash") var flash: String?
    var declaredProperties: [any AnyProperty] { [$id, $accountID, $csrfToken, $createdAt, $lastSeenAt, $flash] }

    init() {}
}

struct CreateSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BrowserSession.schema)
            .field("id", .string, .identifier(auto: false))
            .field("account_id", .int, .required, .references(Account.schema, "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("flash", .string)
            .create()
        try await database.createIndex("sessions_last_seen", on: BrowserSession.schema, columns: ["last_seen_at"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BrowserSession.schema).delete()
    }
}
