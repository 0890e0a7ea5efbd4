import Fluent
import LeagueCore
import SQLKit
import Vapor

/// A league organisation (团组织): one node of the tree from the city committee down to branches.
final class Organization: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "organizations"

    enum Status: String, Codable {
        case active
        /// Dissolved (撤销) or merged into another branch; kept so history keeps its names.
        case dissolved
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @OptionalField(key: "parent_id") var parentID: Int?
    @Field(key: "path") var path: TreePath
    @Field(key: "depth") var depth: Int
    /// Unique code: the parent's code followed by a three-digit sequence (the city is 330200).
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "short_name") var shortName: String
    @Field(key: "type") var type: OrganizationType
    @Field(key: "status") var status: Status
    @Field(key: "next_child_seq") var nextChildSeq: Int
    @OptionalField(key: "contact_person") var contactPerson: String?
    @OptionalField(key: "contact_phone") var contactPhone: String?
    @OptionalField(key: "address") var address: String?
    @OptionalField(key: "established_on") var establishedOn: String?
    /// Graduating branches (毕业班团支部) carry their graduation date, set by an upper admin.
    @OptionalField(key: "graduation_date") var graduationDate: String?
    @OptionalField(key: "description") var summary: String?
    @OptionalField(key: "merged_into_id") var mergedIntoID: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    var declaredProperties: [any AnyProperty] { [
        $id, $parentID, $path, $depth, $code, $name, $shortName, $type, $status, $nextChildSeq, $contactPerson,
        $contactPhone, $address, $establishedOn, $graduationDate, $summary, $mergedIntoID, $createdAt, $updatedAt
    ] }

    init() {}

    var isActive: Bool { status == .active }

    /// The fields an audit entry compares before and after a change.
    var auditedFields: [String: String] {
        [
            "代码": code, "名称": name, "简称": shortName, "类型": type.label, "状态": status == .active ? "正常" : "已撤销",
            "上级组织ID": parentID.map(String.init) ?? "", "路径": path.value,
            "联系人": contactPerson ?? "", "联系电话": contactPhone ?? "", "地址": address ?? "",
            "成立日期": establishedOn ?? "", "毕业日期": graduationDate ?? "", "简介": summary ?? "",
        ]
    }
}

struct CreateOrganizations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Organization.schema)
            .field("id", .int, .identifier(auto: true))
            .field("parent_id", .int, .references(Organization.schema, "id"))
            .field("path", database.byteOrderedText, .required)
            .field("depth", .int, .required)
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("short_name", .string, .required)
            .field("type", .string, .required)
            .field("status", .string, .required)
            .field("next_child_seq", .int, .required)
            .field("contact_person", .string)
            .field("contact_phone", .string)
            .field("address", .string)
            .field("established_on", .string)
            .field("graduation_date", .string)
            .field("description", .string)
            .field("merged_into_id", .int)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.createIndex("organizations_path", on: Organization.schema, columns: ["path"], unique: true)
        try await database.createIndex("organizations_parent", on: Organization.schema, columns: ["parent_id", "status", "name"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Organization.schema).delete()
    }
}

extension Organization {
    /// The city and its districts (`Directory.cityAndDistricts`) as whole units, in that order, for
    /// the writes that file something under one of them.
    static func cityAndDistricts(on db: any Database) async throws -> [Organization] {
        let names = try await Directory.cityAndDistricts(on: db)
        let units = try await Scope.unrestricted.organizations(on: db).filter(\.$id ~~ names.map(\.id)).all()
        let byID = Dictionary(units.compactMap { unit in unit.id.map { ($0, unit) } }, uniquingKeysWith: { first, _ in first })
        return names.compactMap { byID[$0.id] }
    }
}

/// The counts by type below a unit (the home page) read an index alone; the newest change to
/// any unit (which tells kept figures such as 三会一课's compliance that the tree changed) is one
/// step down an index instead of a pass over every unit; a unit named in a form (`code = ? OR
/// name = ?`) is found by two index look-ups instead of a pass.
struct IndexOrganizationsForCounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.createIndex("organizations_path_status_type", on: Organization.schema, columns: ["path", "status", "type"])
        try await database.createIndex("organizations_updated", on: Organization.schema, columns: ["updated_at"])
        try await database.createIndex("organizations_name", on: Organization.schema, columns: ["name"])
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "organizations_name").run()
        try await database.sql.drop(index: "organizations_updated").run()
        try await database.sql.drop(index: "organizations_path_status_type").run()
    }
}
