import Fluent
import LeagueCore
import Vapor

/// One audited write: who, when, from where, in which unit, and each field's old and new value.
final class AuditEntry: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "audit_entries"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "at") var at: Date
    @OptionalField(key: "actor_account_id") var actorAccountID: Int?
    @Field(key: "actor_name") var actorName: String
    @Field(key: "ip") var ip: String
    @OptionalField(key: "organization_id") var organizationID: Int?
    /// The unit's tree path at the time, so that scope filters the log by one index range.
    @Field(key: "organization_path") var organizationPath: TreePath
    @Field(key: "action") var action: String
    @Field(key: "entity_type") var entityType: String
    @Field(key: "entity_id") var entityID: String
    @Field(key: "summary") var summary: String
    /// JSON array of {field, old, new}.
    @Field(key: "changes") var changes: String
    var declaredProperties: [any AnyProperty] { [
        $id, $at, $actorAccountID, $actorName, $ip, $organizationID, $organizationPath, $action, $entityType, $entityID,
        $summary, $changes
    ] }

    init() {}
}

struct CreateAuditEntries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEntry.schema)
            .field("id", .int, .identifier(auto: true))
            .field("at", .datetime, .required)
            .field("actor_account_id", .int)
            .field("actor_name", .string, .required)
            .field("ip", .string, .required)
            .field("organization_id", .int)
            .field("organization_path", database.byteOrderedText, .required)
            .field("action", .string, .required)
            .field("entity_type", .string, .required)
            .field("entity_id", .string, .required)
            .field("summary", .string, .required)
            .field("changes", .string, .required)
            .create()
        try await database.createIndex("audit_entries_path_at", on: AuditEntry.schema, columns: ["organization_path", "at"])
        try await database.createIndex("audit_entries_at", on: AuditEntry.schema, columns: ["at"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEntry.schema).delete()
    }
}

/// Entries of one actor and action in a period are counted (what an account was told, say): an index to find them.
struct IndexAuditByActor: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.createIndex("audit_entries_actor_action", on: AuditEntry.schema, columns: ["actor_account_id", "action", "at"])
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "audit_entries_actor_action").run()
    }
}
