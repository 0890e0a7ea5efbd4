import Fluent
import LeagueCore
import Vapor

/// One person's way into the league (团员发展), from application to certification.
final class AdmissionApplication: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "admission_applications"
    /// The owner type of the signed application form (入团志愿书) on file.
    static let formOwner = "admission_form"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "branch_id") var branchID: Int
    @Field(key: "branch_path") var branchPath: TreePath
    @Field(key: "name") var name: String
    /// The applicant's registration fields (resident ID among them), sealed as one JSON text.
    @Field(key: "fields_sealed") var fieldsSealed: String
    @Field(key: "id_hash") var idHash: String
    @Field(key: "id_masked") var idMasked: String
    @Field(key: "stage") var stage: AdmissionStage
    @Field(key: "applied_on") var appliedOn: String
    @OptionalField(key: "talked_on") var talkedOn: String?
    @OptionalField(key: "activist_on") var activistOn: String?
    /// 团员推荐 or 少先队推优.
    @OptionalField(key: "activist_source") var activistSource: String?
    @OptionalField(key: "mentors") var mentors: String?
    @OptionalField(key: "candidate_on") var candidateOn: String?
    /// Member numbers of the two sponsors, comma-separated.
    @OptionalField(key: "sponsors") var sponsors: String?
    @OptionalField(key: "prechecked_on") var precheckedOn: String?
    @OptionalField(key: "voted_on") var votedOn: String?
    /// expected,present,yes,no,abstain
    @OptionalField(key: "vote") var vote: String?
    @OptionalField(key: "approved_on") var approvedOn: String?
    @OptionalField(key: "sworn_on") var swornOn: String?
    @OptionalField(key: "member_id") var memberID: Int?
    @OptionalField(key: "certified_on") var certifiedOn: String?
    @OptionalField(key: "rejected_reason") var rejectedReason: String?
    @Field(key: "updated_at") var updatedAt: Date
    var declaredProperties: [any AnyProperty] { [
        $id, $branchID, $branchPath, $name, $fieldsSealed, $idHash, $idMasked, $stage, $appliedOn, $talkedOn, $activistOn,
        $activistSource, $mentors, $candidateOn, $sponsors, $precheckedOn, $votedOn, $vote, $approvedOn, $swornOn, $memberID,
        $certifiedOn, $rejectedReason, $updatedAt
    ] }

    init() {}

    /// 团员发展编号: 12 digits, the year of application and a sequence.
    var developmentNumber: String { "\(appliedOn.prefix(4))\(String(format: "%08d", id ?? 0))" }
}

/// Each dated step of an application, with who took it.
final class AdmissionEvent: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "admission_events"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "application_id") var applicationID: Int
    @Field(key: "step") var step: String
    @Field(key: "on_day") var onDay: String
    @Field(key: "note") var note: String
    @Field(key: "by") var by: String
    @Field(key: "at") var at: Date
    var declaredProperties: [any AnyProperty] { [$id, $applicationID, $step, $onDay, $note, $by, $at] }

    init() {}
}

/// A unit's share of the year's admission plan (增量控制), and how much of it approvals used.
final class AdmissionQuota: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "admission_quotas"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "year") var year: Int
    @Field(key: "unit_id") var unitID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    @Field(key: "amount") var amount: Int
    @Field(key: "used") var used: Int
    var declaredProperties: [any AnyProperty] { [$id, $year, $unitID, $unitPath, $amount, $used] }

    init() {}
}

struct CreateAdmission: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AdmissionApplication.schema)
            .field("id", .int, .identifier(auto: true))
            .field("branch_id", .int, .required, .references(Organization.schema, "id"))
            .field("branch_path", database.byteOrderedText, .required)
            .field("name", .string, .required)
            .field("fields_sealed", .string, .required)
            .field("id_hash", .string, .required)
            .field("id_masked", .string, .required)
            .field("stage", .string, .required)
            .field("applied_on", .string, .required)
            .field("talked_on", .string).field("activist_on", .string).field("activist_source", .string)
            .field("mentors", .string).field("candidate_on", .string).field("sponsors", .string)
            .field("prechecked_on", .string).field("voted_on", .string).field("vote", .string)
            .field("approved_on", .string).field("sworn_on", .string)
            .field("member_id", .int, .references(Member.schema, "id"))
            .field("certified_on", .string).field("rejected_reason", .string)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.createIndex("admission_path_stage", on: AdmissionApplication.schema, columns: ["branch_path", "stage"])
        try await database.createIndex("admission_id_hash", on: AdmissionApplication.schema, columns: ["id_hash"])
        try await database.schema(AdmissionEvent.schema)
            .field("id", .int, .identifier(auto: true))
            .field("application_id", .int, .required, .references(AdmissionApplication.schema, "id"))
            .field("step", .string, .required)
            .field("on_day", .string, .required)
            .field("note", .string, .required)
            .field("by", .string, .required)
            .field("at", .datetime, .required)
            .create()
        try await database.createIndex("admission_events_application", on: AdmissionEvent.schema, columns: ["application_id"])
        try await database.schema(AdmissionQuota.schema)
            .field("id", .int, .identifier(auto: true))
            .field("year", .int, .required)
            .field("unit_id", .int, .required, .references(Organization.schema, "id"))
            .field("unit_path", database.byteOrderedText, .required)
            .field("amount", .int, .required)
            .field("used", .int, .required)
            .unique(on: "year", "unit_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [AdmissionQuota.schema, AdmissionEvent.schema, AdmissionApplication.schema] { try await database.schema(schema).delete() }
    }
}
