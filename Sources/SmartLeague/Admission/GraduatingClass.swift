import Fluent
import LeagueCore
import SQLKit
import Vapor

/// The headcount of a graduating class (a branch with a graduation date), for its member share.
final class GraduatingClass: Model, @unchecked Sendable {
    static let schema = "graduating_classes"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "branch_id") var branchID: Int
    @Field(key: "level") var level: GraduatingLevel
    @Field(key: "pupils") var pupils: Int

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

enum GraduatingClasses {
    struct Row: Sendable {
        let branch: Organization
        let members: Int
        let record: GraduatingClass?
    }

    /// The graduating branches in reach, with their members and headcount.
    static func rows(scope: Scope, on db: any Database) async throws -> [Row] {
        let branches = try await scope.organizations(on: db).filter(\.$graduationDate != nil).filter(\.$status == .active)
            .sort(\.$path).range(0..<300).all()
        let ids = branches.map { $0.id! }
        let records = Dictionary(uniqueKeysWithValues: try await GraduatingClass.query(on: db).filter(\.$branchID ~~ ids).all().map { ($0.branchID, $0) })
        // Members of every class in one grouped read.
        struct Count: Decodable { let branch_id: Int; let n: Int }
        let counts = ids.isEmpty ? [] : try await scope.restrict(db.sql.select().column("branch_id")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(Member.schema)
            .where("branch_id", .in, SQLBind.group(ids)).where("left_on", .is, SQLLiteral.null).groupBy("branch_id"),
            paths: [SQLColumn("branch_path")]).all(decoding: Count.self)
        let members = Dictionary(uniqueKeysWithValues: counts.map { ($0.branch_id, $0.n) })
        return branches.map { Row(branch: $0, members: members[$0.id!] ?? 0, record: records[$0.id!]) }
    }

    static func set(branchID: Int, level: GraduatingLevel, pupils: Int, _ change: ChangeContext, on db: any Database) async throws {
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
