import Fluent
import LeagueCore
import Vapor

/// What a member's due follows from: their category and declared monthly income.
final class DuesProfile: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "dues_profiles"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "member_id") var memberID: Int
    @Field(key: "category") var category: DuesCategory
    /// Monthly income after tax, in fen; 0 when not salaried.
    @Field(key: "income_fen") var incomeFen: Int
    @Field(key: "updated_at") var updatedAt: Date
    /// The opening balance: months up to this one ("2026-08") were settled before the branch kept
    /// its ledger here (the paper ledger a city brings along), so arrears count from the month after.
    @OptionalField(key: "settled_through") var settledThrough: String?
    var declaredProperties: [any AnyProperty] { [$id, $memberID, $category, $incomeFen, $updatedAt, $settledThrough] }

    init() {}

    /// The first month a member's dues are counted for here: the month of joining, or the month
    /// after the opening balance when that is later.
    static func ledgerStart(joined: CalendarDate, settledThrough: String?) -> CalendarDate {
        guard let settled = settledThrough.flatMap({ CalendarDate("\($0)-01") }) else { return joined }
        return max(joined, settled.adding(months: 1))
    }
}

/// One month of one member: paid, reduced or waived, recorded by the branch's treasurer.
final class DuesPayment: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "dues_payments"

    enum Kind: String, Codable, Sendable, CaseIterable {
        case paid, reduced, waived

        var label: String {
            switch self {
            case .paid: "缴纳"
            case .reduced: "减缴"
            case .waived: "免缴"
            }
        }
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "member_id") var memberID: Int
    @Field(key: "branch_id") var branchID: Int
    @Field(key: "branch_path") var branchPath: TreePath
    /// "2026-11"
    @Field(key: "month") var month: String
    @Field(key: "kind") var kind: Kind
    @Field(key: "amount_fen") var amountFen: Int
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "recorded_by") var recordedBy: String
    @Field(key: "at") var at: Date
    var declaredProperties: [any AnyProperty] { [
        $id, $memberID, $branchID, $branchPath, $month, $kind, $amountFen, $reason, $recordedBy, $at
    ] }

    init() {}
}

/// The dues table in force, as JSON (`DuesPolicy`); absent means the defaults.
final class DuesPolicyRecord: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "dues_policy"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "policy") var policy: String
    @Field(key: "updated_at") var updatedAt: Date
    var declaredProperties: [any AnyProperty] { [$id, $policy, $updatedAt] }

    init() {}
}

struct CreateDues: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DuesProfile.schema)
            .field("id", .int, .identifier(auto: true))
            .field("member_id", .int, .required, .references(Member.schema, "id"))
            .field("category", .string, .required)
            .field("income_fen", .int, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "member_id")
            .create()
        try await database.schema(DuesPayment.schema)
            .field("id", .int, .identifier(auto: true))
            .field("member_id", .int, .required, .references(Member.schema, "id"))
            .field("branch_id", .int, .required, .references(Organization.schema, "id"))
            .field("branch_path", database.byteOrderedText, .required)
            .field("month", .string, .required)
            .field("kind", .string, .required)
            .field("amount_fen", .int, .required)
            .field("reason", .string)
            .field("recorded_by", .string, .required)
            .field("at", .datetime, .required)
            .unique(on: "member_id", "month")
            .create()
        try await database.createIndex("dues_payments_path", on: DuesPayment.schema, columns: ["branch_path", "month"])
        try await database.schema(DuesPolicyRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("policy", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [DuesPolicyRecord.schema, DuesPayment.schema, DuesProfile.schema] { try await database.schema(schema).delete() }
    }
}

/// The opening balance of each member's dues (`DuesProfile.settledThrough`).
struct AddDuesSettledThrough: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DuesProfile.schema).field("settled_through", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DuesProfile.schema).deleteField("settled_through").update()
    }
}
