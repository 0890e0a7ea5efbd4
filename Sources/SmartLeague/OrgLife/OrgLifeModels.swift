import Fluent
import LeagueCore
import Vapor

/// A meeting or lesson of a branch (三会一课), with its minutes.
final class Meeting: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "meetings"
    /// The owner type of files attached to a meeting.
    static let attachmentOwner = "meeting"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "branch_id") var branchID: Int
    @Field(key: "branch_path") var branchPath: TreePath
    @Field(key: "kind") var kind: MeetingKind
    @Field(key: "held_on") var heldOn: String
    @Field(key: "topic") var topic: String
    @Field(key: "place") var place: String
    @Field(key: "minutes") var minutes: String
    /// For lessons: who taught, and whether it was the head of the grassroots committee.
    @OptionalField(key: "teacher") var teacher: String?
    @Field(key: "teacher_is_head") var teacherIsHead: Bool
    /// For lessons: class-hours credited to each member present.
    @Field(key: "class_hours") var classHours: Int
    @Field(key: "recorded_by") var recordedBy: String
    @Field(key: "created_at") var createdAt: Date
    var declaredProperties: [any AnyProperty] { [
        $id, $branchID, $branchPath, $kind, $heldOn, $topic, $place, $minutes, $teacher, $teacherIsHead, $classHours,
        $recordedBy, $createdAt
    ] }

    init() {}
}

/// Who was present, ticked from the branch's members and its applicants in training (activists
/// attend league lessons, whose class-hours count towards admission).
final class MeetingAttendance: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "meeting_attendance"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "meeting_id") var meetingID: Int
    @OptionalField(key: "member_id") var memberID: Int?
    @OptionalField(key: "applicant_id") var applicantID: Int?
    var declaredProperties: [any AnyProperty] { [$id, $meetingID, $memberID, $applicantID] }

    init() {}
}

/// The city's cadence per kind of meeting (policy data).
final class MeetingCadence: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "meeting_cadence"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "kind") var kind: MeetingKind
    @Field(key: "cadence") var cadence: Cadence
    var declaredProperties: [any AnyProperty] { [$id, $kind, $cadence] }

    init() {}
}

struct CreateOrgLife: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Meeting.schema)
            .field("id", .int, .identifier(auto: true))
            .field("branch_id", .int, .required, .references(Organization.schema, "id"))
            .field("branch_path", database.byteOrderedText, .required)
            .field("kind", .string, .required)
            .field("held_on", .string, .required)
            .field("topic", .string, .required)
            .field("place", .string, .required)
            .field("minutes", .string, .required)
            .field("teacher", .string)
            .field("teacher_is_head", .bool, .required)
            .field("class_hours", .int, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.createIndex("meetings_path", on: Meeting.schema, columns: ["branch_path", "held_on"])
        try await database.schema(MeetingAttendance.schema)
            .field("id", .int, .identifier(auto: true))
            .field("meeting_id", .int, .required, .references(Meeting.schema, "id"))
            .field("member_id", .int, .references(Member.schema, "id"))
            .field("applicant_id", .int)
            .unique(on: "meeting_id", "member_id", "applicant_id")
            .create()
        try await database.createIndex("meeting_attendance_member", on: MeetingAttendance.schema, columns: ["member_id"])
        try await database.createIndex("meeting_attendance_applicant", on: MeetingAttendance.schema, columns: ["applicant_id"])
        try await database.schema(MeetingCadence.schema)
            .field("id", .int, .identifier(auto: true))
            .field("kind", .string, .required)
            .field("cadence", .string, .required)
            .unique(on: "kind")
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [MeetingCadence.schema, MeetingAttendance.schema, Meeting.schema] { try await database.schema(schema).delete() }
    }
}
