import Fluent
import LeagueCore
import Vapor

/// A move or rename of a unit waiting for approval (see `ChangeRequestState` for the steps).
final class ChangeRequestRecord: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "organization_change_requests"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "kind") var kind: ChangeRequestKind
    @Field(key: "organization_id") var organizationID: Int
    @OptionalField(key: "from_parent_id") var fromParentID: Int?
    @OptionalField(key: "to_parent_id") var toParentID: Int?
    @OptionalField(key: "proposed_name") var proposedName: String?
    @OptionalField(key: "proposed_short_name") var proposedShortName: String?
    @Field(key: "status") var status: ChangeRequestStatus
    @Field(key: "approved_steps") var approvedSteps: Int
    @Field(key: "requested_by") var requestedBy: String
    @Field(key: "requested_at") var requestedAt: Date
    @OptionalField(key: "decided_by") var decidedBy: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalField(key: "reason") var reason: String?
    var declaredProperties: [any AnyProperty] { [
        $id, $kind, $organizationID, $fromParentID, $toParentID, $proposedName, $proposedShortName, $status, $approvedSteps,
        $requestedBy, $requestedAt, $decidedBy, $decidedAt, $reason
    ] }

    init() {}

    var state: ChangeRequestState {
        get { ChangeRequestState(kind: kind, status: status, approvedSteps: approvedSteps) }
        set {
            status = newValue.status
            approvedSteps = newValue.approvedSteps
        }
    }

    var auditedFields: [String: String] {
        ["状态": status.label, "已通过环节数": String(approvedSteps), "处理人": decidedBy ?? "", "理由": reason ?? ""]
    }
}

struct CreateChangeRequests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ChangeRequestRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("kind", .string, .required)
            .field("organization_id", .int, .required, .references(Organization.schema, "id"))
            .field("from_parent_id", .int, .references(Organization.schema, "id"))
            .field("to_parent_id", .int, .references(Organization.schema, "id"))
            .field("proposed_name", .string)
            .field("proposed_short_name", .string)
            .field("status", .string, .required)
            .field("approved_steps", .int, .required)
            .field("requested_by", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("decided_by", .string)
            .field("decided_at", .datetime)
            .field("reason", .string)
            .create()
        try await database.createIndex("change_requests_unit", on: ChangeRequestRecord.schema, columns: ["organization_id", "status"])
        try await database.createIndex("change_requests_target", on: ChangeRequestRecord.schema, columns: ["to_parent_id", "status"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ChangeRequestRecord.schema).delete()
    }
}
