import Fluent
import LeagueCore
import Vapor

/// A sign-in account: an administrator bound to one unit, or a member bound to their branch.
final class Account: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "accounts"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "kind") var kind: AccountKind
    @Field(key: "organization_id") var organizationID: Int
    /// For a member's account: their member record, whose branch the account follows.
    @OptionalField(key: "member_id") var memberID: Int?
    /// Set for a one-time password: the next sign-in must choose a new one.
    @Field(key: "must_change_password") var mustChangePassword: Bool
    @Field(key: "disabled") var disabled: Bool
    @OptionalField(key: "last_sign_in_at") var lastSignInAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    /// The unit of the administrator who created this account; nil when the system did (the
    /// first administrator, the command line) or the person registered themselves. Four-eyes
    /// approvals ask whether the level above appointed an administrator (`FourEyes`).
    @OptionalField(key: "appointed_by_path") var appointedByPath: TreePath?
    var declaredProperties: [any AnyProperty] { [
        $id, $username, $displayName, $passwordHash, $kind, $organizationID, $memberID, $mustChangePassword, $disabled,
        $lastSignInAt, $createdAt, $appointedByPath
    ] }

    init() {}
}

struct CreateAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Account.schema)
            .field("id", .int, .identifier(auto: true))
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("password_hash", .string, .required)
            .field("kind", .string, .required)
            .field("organization_id", .int, .required, .references(Organization.schema, "id"))
            .field("must_change_password", .bool, .required)
            .field("failed_attempts", .int, .required)
            .field("locked_until", .datetime)
            .field("disabled", .bool, .required)
            .field("last_sign_in_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "username")
            .create()
        try await database.createIndex("accounts_organization", on: Account.schema, columns: ["organization_id", "kind"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Account.schema).delete()
    }
}

/// Sign-in failures are counted per name and address in `rate_counters`, no longer on the account
/// (which let a stranger lock a cadre out); and an account remembers which level appointed it.
struct RetireAccountLockout: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sql.raw("ALTER TABLE accounts DROP COLUMN failed_attempts").run()
        try await database.sql.raw("ALTER TABLE accounts DROP COLUMN locked_until").run()
        try await database.schema(Account.schema).field("appointed_by_path", .string).update()
        // Accounts created before: the creator's unit as the audit log names them.
        try await database.sql.raw("""
            UPDATE accounts SET appointed_by_path = (
                SELECT o.path FROM audit_entries e
                JOIN accounts c ON c.id = e.actor_account_id
                JOIN organizations o ON o.id = c.organization_id
                WHERE e.action = 'account.create' AND e.entity_type = 'account' AND e.entity_id = CAST(accounts.id AS TEXT)
                ORDER BY e.id LIMIT 1)
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Account.schema).deleteField("appointed_by_path").update()
        try await database.schema(Account.schema).field("failed_attempts", .int, .required, .sql(.default(0))).update()
        try await database.schema(Account.schema).field("locked_until", .datetime).update()
    }
}
