import Fluent
import LeagueCore
import Vapor

/// A registered volunteer (志愿者): real name, sealed ID number, the unified volunteer number,
/// and, when the ID belongs to a league member, the link to that member: one person, one identity.
final class Volunteer: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "volunteers"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "volunteer_number") var volunteerNumber: String
    @Field(key: "name") var name: String
    @Field(key: "gender") var gender: Gender
    @Field(key: "birth_date") var birthDate: String
    @Field(key: "id_sealed") var idSealed: String
    @Field(key: "id_hash") var idHash: String
    @Field(key: "id_masked") var idMasked: String
    @OptionalField(key: "phone") var phone: String?
    @OptionalField(key: "member_id") var memberID: Int?
    @OptionalField(key: "account_id") var accountID: Int?
    /// The unit the volunteer is registered with: a member's branch, else the district chosen.
    @Field(key: "home_id") var homeID: Int
    @Field(key: "home_path") var homePath: TreePath
    /// Hours served so far (credit and honour), kept with every record for stars and lists.
    @Field(key: "total_minutes") var totalMinutes: Int
    @Field(key: "registered_at") var registeredAt: Date
    var declaredProperties: [any AnyProperty] { [
        $id, $volunteerNumber, $name, $gender, $birthDate, $idSealed, $idHash, $idMasked, $phone, $memberID, $accountID,
        $homeID, $homePath, $totalMinutes, $registeredAt
    ] }

    init() {}
}

/// What decides who may approve a group (`VolunteerOrganizing.canDecide`): where it stands, its
/// unit and who asked for it. A group and a row of a list (`VolunteeringQueries.ListedGroup`) both have them.
protocol GroupStanding {
    var status: VolunteerGroup.Status { get }
    var unitPath: TreePath { get }
    var createdBy: Int? { get }
}

extension VolunteerGroup: GroupStanding {}

/// A volunteer group or team (志愿服务组织/队伍), attached to a league unit or registered with it
/// as an independent group; a group below another is approved by that parent.
final class VolunteerGroup: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "volunteer_groups"

    enum Status: String, Codable, Sendable {
        case pending, approved, rejected

        var label: String {
            switch self {
            case .pending: "待审核"
            case .approved: "已批准"
            case .rejected: "未批准"
            }
        }
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "name") var name: String
    @OptionalField(key: "parent_id") var parentID: Int?
    @Field(key: "unit_id") var unitID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    /// 独立 (an independent group registered with the unit) rather than 挂靠 (the unit's own).
    @Field(key: "independent") var independent: Bool
    @Field(key: "contact") var contact: String
    @Field(key: "status") var status: Status
    @OptionalField(key: "decision_note") var decisionNote: String?
    @OptionalField(key: "created_by") var createdBy: Int?
    @Field(key: "created_at") var createdAt: Date
    var declaredProperties: [any AnyProperty] { [
        $id, $name, $parentID, $unitID, $unitPath, $independent, $contact, $status, $decisionNote, $createdBy, $createdAt
    ] }

    init() {}
}

/// A service project (志愿服务项目) of a group; published after review, kept as a library when closed.
final class VolunteerProject: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "volunteer_projects"

    enum Status: String, Codable, Sendable, CaseIterable {
        case pending, published, rejected, closed

        var label: String {
            switch self {
            case .pending: "待审核"
            case .published: "已发布"
            case .rejected: "未通过"
            case .closed: "已结项"
            }
        }
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "group_id") var groupID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    @Field(key: "title") var title: String
    @Field(key: "category") var category: String
    @Field(key: "summary") var summary: String
    @Field(key: "district_id") var districtID: Int
    @Field(key: "year") var year: Int
    @Field(key: "status") var status: Status
    @OptionalField(key: "review_note") var reviewNote: String?
    @OptionalField(key: "created_by") var createdBy: Int?
    @Field(key: "created_at") var createdAt: Date
    var declaredProperties: [any AnyProperty] { [
        $id, $groupID, $unitPath, $title, $category, $summary, $districtID, $year, $status, $reviewNote, $createdBy,
        $createdAt
    ] }

    init() {}
}

/// A post (岗位): one time slot of a project with its place, capacity and requirements. Published
/// posts are visible to every level and to the public (岗位互通).
final class VolunteerPost: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "volunteer_posts"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "project_id") var projectID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    @Field(key: "title") var title: String
    @Field(key: "category") var category: String
    @Field(key: "place") var place: String
    @Field(key: "district_id") var districtID: Int
    @Field(key: "requirements") var requirements: String
    /// The slot's day in China, for search by date.
    @Field(key: "day") var day: String
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "ends_at") var endsAt: Date
    @Field(key: "capacity") var capacity: Int
    /// Places held by accepted sign-ups; only the atomic take/release statements change it.
    @Field(key: "taken") var taken: Int
    @Field(key: "needs_approval") var needsApproval: Bool
    /// Follows the project: only published projects' posts are found by the public search.
    @Field(key: "published") var published: Bool
    /// Seeds the rotating check-in code; never shown.
    @Field(key: "code_secret") var codeSecret: String
    var declaredProperties: [any AnyProperty] { [
        $id, $projectID, $unitPath, $title, $category, $place, $districtID, $requirements, $day, $startsAt, $endsAt,
        $capacity, $taken, $needsApproval, $published, $codeSecret
    ] }

    init() {}

    var minutes: Int { Int(endsAt.timeIntervalSince(startsAt) / 60) }
}

/// A volunteer's sign-up for a post (报名), with check-in and check-out.
final class VolunteerSignUp: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "volunteer_signups"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "post_id") var postID: Int
    @Field(key: "volunteer_id") var volunteerID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    @Field(key: "status") var status: SignUpStatus
    /// Order in the waiting list: first come, first served.
    @Field(key: "requested_at") var requestedAt: Date
    @OptionalField(key: "checked_in_at") var checkedInAt: Date?
    @OptionalField(key: "checked_out_at") var checkedOutAt: Date?
    var declaredProperties: [any AnyProperty] { [
        $id, $postID, $volunteerID, $unitPath, $status, $requestedAt, $checkedInAt, $checkedOutAt
    ] }

    init() {}
}

/// Hours of one volunteer on one post (服务记录): credit hours from check-in/out (信用时长), never
/// edited, or honour hours entered by an administrator with a reason (荣誉时长). The recording
/// unit's path is kept: whoever records certifies.
final class ServiceRecord: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "service_records"

    enum Kind: String, Codable, Sendable {
        case credit, honor

        var label: String { self == .credit ? "信用时长" : "荣誉时长" }
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "volunteer_id") var volunteerID: Int
    @Field(key: "post_id") var postID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    @Field(key: "kind") var kind: Kind
    @Field(key: "minutes") var minutes: Int
    @Field(key: "served_on") var servedOn: String
    @Field(key: "content") var content: String
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "recorded_by") var recordedBy: String
    @Field(key: "recorded_at") var recordedAt: Date
    var declaredProperties: [any AnyProperty] { [
        $id, $volunteerID, $postID, $unitPath, $kind, $minutes, $servedOn, $content, $reason, $recordedBy, $recordedAt
    ] }

    init() {}
}

/// A volunteer's objection to a record (异议), answered by the recording unit.
final class ServiceDispute: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "service_disputes"

    enum Status: String, Codable, Sendable {
        case open, corrected, dismissed

        var label: String {
            switch self {
            case .open: "待处理"
            case .corrected: "已更正"
            case .dismissed: "维持原记录"
            }
        }
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "record_id") var recordID: Int
    @Field(key: "volunteer_id") var volunteerID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    @Field(key: "reason") var reason: String
    @Field(key: "status") var status: Status
    @OptionalField(key: "reply") var reply: String?
    @OptionalField(key: "decided_by") var decidedBy: String?
    @Field(key: "created_at") var createdAt: Date
    var declaredProperties: [any AnyProperty] { [
        $id, $recordID, $volunteerID, $unitPath, $reason, $status, $reply, $decidedBy, $createdAt
    ] }

    init() {}
}

/// A service certificate (志愿服务证明), issued free by the unit that recorded the hours.
final class VolunteerCertificate: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "volunteer_certificates"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "number") var number: String
    @Field(key: "volunteer_id") var volunteerID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    @Field(key: "issuer_name") var issuerName: String
    @Field(key: "person_in_charge") var personInCharge: String
    @Field(key: "handler") var handler: String
    @Field(key: "contact") var contact: String
    @Field(key: "minutes") var minutes: Int
    @Field(key: "content") var content: String
    @Field(key: "issued_on") var issuedOn: String
    var declaredProperties: [any AnyProperty] { [
        $id, $number, $volunteerID, $unitPath, $issuerName, $personInCharge, $handler, $contact, $minutes, $content,
        $issuedOn
    ] }

    init() {}
}

/// The star thresholds in force, as JSON (`StarPolicy`); absent means the national defaults.
final class StarPolicyRecord: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "volunteer_star_policy"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "policy") var policy: String
    @Field(key: "updated_at") var updatedAt: Date
    var declaredProperties: [any AnyProperty] { [$id, $policy, $updatedAt] }

    init() {}
}

struct CreateVolunteering: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let path = database.byteOrderedText
        try await database.schema(Volunteer.schema)
            .field("id", .int, .identifier(auto: true))
            .field("volunteer_number", .string, .required)
            .field("name", .string, .required)
            .field("gender", .string, .required)
            .field("birth_date", .string, .required)
            .field("id_sealed", .string, .required)
            .field("id_hash", .string, .required)
            .field("id_masked", .string, .required)
            .field("phone", .string)
            .field("member_id", .int, .references(Member.schema, "id"))
            .field("account_id", .int, .references(Account.schema, "id"))
            .field("home_id", .int, .required, .references(Organization.schema, "id"))
            .field("home_path", path, .required)
            .field("total_minutes", .int, .required)
            .field("registered_at", .datetime, .required)
            .unique(on: "id_hash").unique(on: "volunteer_number")
            .create()
        try await database.createIndex("volunteers_member", on: Volunteer.schema, columns: ["member_id"], unique: true)
        try await database.createIndex("volunteers_account", on: Volunteer.schema, columns: ["account_id"], unique: true)
        try await database.createIndex("volunteers_home", on: Volunteer.schema, columns: ["home_path", "name"])
        try await database.schema(VolunteerGroup.schema)
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required)
            .field("parent_id", .int, .references(VolunteerGroup.schema, "id"))
            .field("unit_id", .int, .required, .references(Organization.schema, "id"))
            .field("unit_path", path, .required)
            .field("independent", .bool, .required)
            .field("contact", .string, .required)
            .field("status", .string, .required)
            .field("decision_note", .string)
            .field("created_by", .int)
            .field("created_at", .datetime, .required)
            .unique(on: "name")
            .create()
        try await database.createIndex("volunteer_groups_path", on: VolunteerGroup.schema, columns: ["unit_path"])
        try await database.schema(VolunteerProject.schema)
            .field("id", .int, .identifier(auto: true))
            .field("group_id", .int, .required, .references(VolunteerGroup.schema, "id"))
            .field("unit_path", path, .required)
            .field("title", .string, .required)
            .field("category", .string, .required)
            .field("summary", .string, .required)
            .field("district_id", .int, .required, .references(Organization.schema, "id"))
            .field("year", .int, .required)
            .field("status", .string, .required)
            .field("review_note", .string)
            .field("created_by", .int)
            .field("created_at", .datetime, .required)
            .create()
        try await database.createIndex("volunteer_projects_path", on: VolunteerProject.schema, columns: ["unit_path", "status"])
        try await database.createIndex("volunteer_projects_library", on: VolunteerProject.schema, columns: ["status", "year"])
        try await database.schema(VolunteerPost.schema)
            .field("id", .int, .identifier(auto: true))
            .field("project_id", .int, .required, .references(VolunteerProject.schema, "id"))
            .field("unit_path", path, .required)
            .field("title", .string, .required)
            .field("category", .string, .required)
            .field("place", .string, .required)
            .field("district_id", .int, .required, .references(Organization.schema, "id"))
            .field("requirements", .string, .required)
            .field("day", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("capacity", .int, .required)
            .field("taken", .int, .required)
            .field("needs_approval", .bool, .required)
            .field("published", .bool, .required)
            .field("code_secret", .string, .required)
            .create()
        // The public search filters on publication and day, then district or category.
        try await database.createIndex("volunteer_posts_day", on: VolunteerPost.schema, columns: ["published", "day", "starts_at"])
        try await database.createIndex("volunteer_posts_district", on: VolunteerPost.schema, columns: ["published", "district_id", "day"])
        try await database.createIndex("volunteer_posts_category", on: VolunteerPost.schema, columns: ["published", "category", "day"])
        try await database.createIndex("volunteer_posts_project", on: VolunteerPost.schema, columns: ["project_id"])
        try await database.createIndex("volunteer_posts_path", on: VolunteerPost.schema, columns: ["unit_path", "day"])
        try await database.schema(VolunteerSignUp.schema)
            .field("id", .int, .identifier(auto: true))
            .field("post_id", .int, .required, .references(VolunteerPost.schema, "id"))
            .field("volunteer_id", .int, .required, .references(Volunteer.schema, "id"))
            .field("unit_path", path, .required)
            .field("status", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("checked_in_at", .datetime)
            .field("checked_out_at", .datetime)
            .unique(on: "post_id", "volunteer_id")
            .create()
        try await database.createIndex("volunteer_signups_volunteer", on: VolunteerSignUp.schema, columns: ["volunteer_id", "status"])
        try await database.createIndex("volunteer_signups_queue", on: VolunteerSignUp.schema, columns: ["post_id", "status", "requested_at"])
        try await database.schema(ServiceRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("volunteer_id", .int, .required, .references(Volunteer.schema, "id"))
            .field("post_id", .int, .required, .references(VolunteerPost.schema, "id"))
            .field("unit_path", path, .required)
            .field("kind", .string, .required)
            .field("minutes", .int, .required)
            .field("served_on", .string, .required)
            .field("content", .string, .required)
            .field("reason", .string)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.createIndex("service_records_volunteer", on: ServiceRecord.schema, columns: ["volunteer_id", "served_on"])
        try await database.createIndex("service_records_post", on: ServiceRecord.schema, columns: ["post_id", "volunteer_id"])
        try await database.createIndex("service_records_path", on: ServiceRecord.schema, columns: ["unit_path", "served_on"])
        try await database.schema(ServiceDispute.schema)
            .field("id", .int, .identifier(auto: true))
            .field("record_id", .int, .required, .references(ServiceRecord.schema, "id"))
            .field("volunteer_id", .int, .required, .references(Volunteer.schema, "id"))
            .field("unit_path", path, .required)
            .field("reason", .string, .required)
            .field("status", .string, .required)
            .field("reply", .string)
            .field("decided_by", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await database.createIndex("service_disputes_path", on: ServiceDispute.schema, columns: ["unit_path", "status"])
        try await database.schema(VolunteerCertificate.schema)
            .field("id", .int, .identifier(auto: true))
            .field("number", .string, .required)
            .field("volunteer_id", .int, .required, .references(Volunteer.schema, "id"))
            .field("unit_path", path, .required)
            .field("issuer_name", .string, .required)
            .field("person_in_charge", .string, .required)
            .field("handler", .string, .required)
            .field("contact", .string, .required)
            .field("minutes", .int, .required)
            .field("content", .string, .required)
            .field("issued_on", .string, .required)
            .unique(on: "number")
            .create()
        try await database.createIndex("volunteer_certificates_volunteer", on: VolunteerCertificate.schema, columns: ["volunteer_id"])
        try await database.schema(StarPolicyRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("policy", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [StarPolicyRecord.schema, VolunteerCertificate.schema, ServiceDispute.schema, ServiceRecord.schema,
                       VolunteerSignUp.schema, VolunteerPost.schema, VolunteerProject.schema, VolunteerGroup.schema, Volunteer.schema] {
            try await database.schema(schema).delete()
        }
    }
}
