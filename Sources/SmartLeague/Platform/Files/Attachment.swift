import Fluent
import LeagueCore
import Vapor

/// A file attached to a record (a progress report, a signed form, minutes). The bytes live in
/// their own table so that listing attachments never reads them; both tables are written in the
/// record's transaction, so a failed write leaves no orphan file behind.
final class Attachment: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "attachments"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    /// What the file belongs to, e.g. "task_report"; the owner's controller decides who may read it.
    @Field(key: "owner_type") var ownerType: String
    @Field(key: "owner_id") var ownerID: Int
    @Field(key: "file_name") var fileName: String
    @Field(key: "kind") var kind: AttachmentKind
    @Field(key: "size") var size: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "uploaded_by") var uploadedBy: String
    @Field(key: "at") var at: Date
    var declaredProperties: [any AnyProperty] { [$id, $ownerType, $ownerID, $fileName, $kind, $size, $sha256, $uploadedBy, $at] }

    init() {}
}

final class AttachmentContent: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "attachment_contents"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "attachment_id") var attachmentID: Int
    @Field(key: "data") var data: Data
    var declaredProperties: [any AnyProperty] { [$id, $attachmentID, $data] }

    init() {}
}

struct CreateAttachments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Attachment.schema)
            .field("id", .int, .identifier(auto: true))
            .field("owner_type", .string, .required)
            .field("owner_id", .int, .required)
            .field("file_name", .string, .required)
            .field("kind", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("uploaded_by", .string, .required)
            .field("at", .datetime, .required)
            .create()
        try await database.createIndex("attachments_owner", on: Attachment.schema, columns: ["owner_type", "owner_id"])
        try await database.schema(AttachmentContent.schema)
            .field("id", .int, .identifier(auto: true))
            .field("attachment_id", .int, .required, .references(Attachment.schema, "id"))
            .field("data", .data, .required)
            .unique(on: "attachment_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AttachmentContent.schema).delete()
        try await database.schema(Attachment.schema).delete()
    }
}
