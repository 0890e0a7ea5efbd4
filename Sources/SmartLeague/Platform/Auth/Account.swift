import Fluent
import LeagueCore
import Vapor

/// A sign-in account: an administrator bound to one unit, or a member bound to their branch.
final class Account: Model, @unchecked Sendable {
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
    @Field(key: "failed_attempts") var failedAttempts: Int
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @Field(key: "disabled") var disabled: Bool
    @OptionalField(key: "last_sign_in_at") var lastSignInAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var lockout: SignInLockout {
        get { SignInLockout(failedAttempts: failedAttempts, lockedUntil: lockedUntil) }
        set {
            failedAttempts = newValue.failedAttempts
            lockedUntil = newValue.lockedUntil
        }
    }
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

/// Links member accounts to member records: one person, one identity.
struct AddMemberToAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Account.schema).field("member_id", .int, .references(Member.schema, "id")).update()
        try await database.createIndex("accounts_member", on: Account.schema, columns: ["member_id"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Account.schema).deleteField("member_id").update()
    }
}
