import Fluent
import LeagueCore
import Vapor

/// The headcount of a graduating class (a branch with a graduation date), for its member share.
final class GraduatingClass: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "graduating_classes"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "branch_id") var branchID: Int
    @Field(key: "level") var level: GraduatingLevel
    @Field(key: "pupils") var pupils: Int
    var declaredProperties: [any AnyProperty] { [$id, $branchID, $level, $pupils] }

    init() {}
}

struct CreateGraduatingClasses: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GraduatingClass.schema)
            .field("id", .int, .identifier(auto: true))
            .field("branch_id", .int, .required, .references(Organization.schema, "id"))
            .field("level", .string, .required)
            .field("pupils", .int, .required)
            .unique(on: "branch_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GraduatingClass.schema).delete()
    }
}

/// Recording a graduating class's headcount.
enum GraduatingClasses {
    static func set(_ input: GraduatingClassForm.Valid, _ change: ChangeContext, on db: any Database) async throws {
        let branchID = input.branchID, level = input.level, pupils = input.pupils
        let branch = try await change.scope.activeOrganization(branchID, on: db)
        guard branch.graduationDate != nil else { throw Refusal("「\(branch.name)」不是毕业班（未设毕业日期）") }
        guard (1...2000).contains(pupils) else { throw Refusal("班级人数应为 1 到 2000", field: "pupils") }
        let record = try await GraduatingClass.query(on: db).filter(\.$branchID == branchID).first() ?? GraduatingClass()
        let before = record.id == nil ? "" : "\(record.level.label) \(record.pupils) 人"
        record.branchID = branchID
        record.level = level
        record.pupils = pupils
        try await record.save(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(branch), action: "admission.class",
                               entityType: "graduating_class", entityID: String(record.id!), summary: "登记毕业班人数",
                               changes: [FieldChange(field: branch.name, old: before, new: "\(level.label) \(pupils) 人")])
    }
}
