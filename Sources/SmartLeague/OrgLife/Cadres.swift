import Fluent
import LeagueCore
import Vapor

/// A league cadre (团干部) holding a post in a unit at any level.
final class Cadre: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "cadres"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "unit_id") var unitID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    @Field(key: "name") var name: String
    @Field(key: "post") var post: CadrePost
    @Field(key: "mode") var mode: CadreMode
    /// The start of the committee's term the cadre was elected or appointed for.
    @Field(key: "term_start") var termStart: String
    /// Set when the cadre leaves the post.
    @OptionalField(key: "left_on") var leftOn: String?
    /// 一线青年: works on the front line (workers, farmers, teachers, nurses, …), not an official.
    @Field(key: "front_line") var frontLine: Bool
    @Field(key: "created_at") var createdAt: Date
    var declaredProperties: [any AnyProperty] { [
        $id, $unitID, $unitPath, $name, $post, $mode, $termStart, $leftOn, $frontLine, $createdAt
    ] }

    init() {}
}

struct CreateCadres: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Cadre.schema)
            .field("id", .int, .identifier(auto: true))
            .field("unit_id", .int, .required, .references(Organization.schema, "id"))
            .field("unit_path", database.byteOrderedText, .required)
            .field("name", .string, .required)
            .field("post", .string, .required)
            .field("mode", .string, .required)
            .field("term_start", .string, .required)
            .field("left_on", .string)
            .field("front_line", .bool, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.createIndex("cadres_path", on: Cadre.schema, columns: ["unit_path"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Cadre.schema).delete()
    }
}

enum CadreWrites {
    struct Draft: Sendable {
        let unitID: Int?
        let name: String
        let post: CadrePost
        let mode: CadreMode
        let termStart: CalendarDate
        let frontLine: Bool
    }

    static func add(_ draft: Draft, today: CalendarDate, _ change: ChangeContext, on db: any Database) async throws -> Cadre {
        let unit = try await change.scope.activeOrganization(draft.unitID, on: db)
        let unitID = unit.id ?? -1
        // Cadre writes of one unit follow each other (an appointment and a leave see each other's terms).
        try await OrganizationWrites.lock(unitID: unitID, on: db)
        guard draft.termStart <= today else { throw Refusal("任期开始日期不能晚于今天", field: "termStart") }
        if draft.post == .secretary, try await change.scope.query(Cadre.self, on: db).filter(\.$unitID == unitID).filter(\.$post == .secretary)
            .filter(\.$leftOn == nil).count() > 0 {
            throw Refusal("「\(unit.name)」已有在任书记，请先办理原书记离任", field: "post")
        }
        let cadre = Cadre()
        cadre.unitID = unitID
        cadre.unitPath = unit.path
        cadre.name = draft.name
        cadre.post = draft.post
        cadre.mode = draft.mode
        cadre.termStart = draft.termStart.description
        cadre.frontLine = draft.frontLine
        cadre.createdAt = change.now
        try await cadre.create(on: db)
        try await CadreFigures.appointed(cadre, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: "cadre.add", entityType: "cadre", entityID: String(cadre.id!),
                               summary: "任命\(draft.post.label)\(draft.name)（\(draft.mode.label)）",
                               changes: FieldChange.created(["姓名": draft.name, "职务": draft.post.label, "专挂兼": draft.mode.label,
                                                             "任期开始": draft.termStart.description, "一线青年": draft.frontLine ? "是" : "否"]))
        return cadre
    }

    static func leave(_ id: Int, on day: CalendarDate, _ change: ChangeContext, on db: any Database) async throws -> Cadre {
        guard let found = try await change.scope.query(Cadre.self, on: db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        // Read again once the unit is locked: a leave sent twice at once is recorded once.
        try await OrganizationWrites.lock(unitID: found.unitID, on: db)
        guard let cadre = try await change.scope.query(Cadre.self, on: db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        guard cadre.leftOn == nil else { throw Refusal("\(cadre.name)已经离任") }
        guard day.description >= cadre.termStart else { throw Refusal("离任日期不能早于任期开始") }
        cadre.leftOn = day.description
        try await cadre.save(on: db)
        try await CadreFigures.left(cadre, on: db)
        let unit = try await Scope.unrestricted.organization(cadre.unitID, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: "cadre.leave", entityType: "cadre", entityID: String(id),
                               summary: "\(cadre.post.label)\(cadre.name)离任", changes: [FieldChange(field: "离任日期", old: "", new: day.description)])
        return cadre
    }
}
