import Fluent
import LeagueCore
import Vapor

/// A plan task handed to a unit (任务分解), by the city or, further down, by the unit above.
final class TaskAssignment: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "task_assignments"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "task_id") var taskID: Int
    @Field(key: "unit_id") var unitID: Int
    /// The holder's tree path, so that a unit sees its own tasks and those below in one range.
    @Field(key: "unit_path") var unitPath: TreePath
    /// The assignment this one was handed down from; nil when the city assigned it.
    @OptionalField(key: "parent_id") var parentID: Int?
    /// 牵头部门 of the city committee, for the city's own assignments.
    @OptionalField(key: "lead_office") var leadOffice: String?
    @Field(key: "deadline") var deadline: String
    @Field(key: "status") var status: TaskStatus
    @Field(key: "assigned_by") var assignedBy: String
    @Field(key: "created_at") var createdAt: Date
    var declaredProperties: [any AnyProperty] { [
        $id, $taskID, $unitID, $unitPath, $parentID, $leadOffice, $deadline, $status, $assignedBy, $createdAt
    ] }

    init() {}
}

/// A progress report, a comment or a sending-back on an assignment.
final class TaskReport: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "task_reports"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "assignment_id") var assignmentID: Int
    @Field(key: "kind") var kind: TaskReportKind
    @Field(key: "text") var text: String
    /// A figure reported with the text (e.g. farms set up so far).
    @OptionalField(key: "figure") var figure: Int?
    @Field(key: "author") var author: String
    @Field(key: "at") var at: Date
    var declaredProperties: [any AnyProperty] { [$id, $assignmentID, $kind, $text, $figure, $author, $at] }

    /// The owner type of files attached to a report.
    static let attachmentOwner = "task_report"

    init() {}
}

struct CreateTaskAssignments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TaskAssignment.schema)
            .field("id", .int, .identifier(auto: true))
            .field("task_id", .int, .required, .references(WorkPlanEntry.schema, "id"))
            .field("unit_id", .int, .required, .references(Organization.schema, "id"))
            .field("unit_path", database.byteOrderedText, .required)
            .field("parent_id", .int, .references(TaskAssignment.schema, "id"))
            .field("lead_office", .string)
            .field("deadline", .string, .required)
            .field("status", .string, .required)
            .field("assigned_by", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "task_id", "unit_id")
            .create()
        try await database.createIndex("task_assignments_path", on: TaskAssignment.schema, columns: ["unit_path", "deadline"])
        try await database.schema(TaskReport.schema)
            .field("id", .int, .identifier(auto: true))
            .field("assignment_id", .int, .required, .references(TaskAssignment.schema, "id"))
            .field("kind", .string, .required)
            .field("text", .string, .required)
            .field("figure", .int)
            .field("author", .string, .required)
            .field("at", .datetime, .required)
            .create()
        try await database.createIndex("task_reports_assignment", on: TaskReport.schema, columns: ["assignment_id", "at"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TaskReport.schema).delete()
        try await database.schema(TaskAssignment.schema).delete()
    }
}
