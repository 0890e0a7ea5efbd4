import Fluent
import LeagueCore
import Vapor

/// 青创农场: a youth start-up farm, recognised at city or district level, and the young farmers it helps.
final class YouthFarm: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "youth_farms"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "name") var name: String
    @Field(key: "operator") var operatorName: String
    @Field(key: "unit_id") var unitID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    /// 市级 or 区级
    @Field(key: "level") var level: String
    @Field(key: "year") var year: Int
    @Field(key: "farmers_helped") var farmersHelped: Int
    @Field(key: "created_at") var createdAt: Date
    var declaredProperties: [any AnyProperty] { [
        $id, $name, $operatorName, $unitID, $unitPath, $level, $year, $farmersHelped, $createdAt
    ] }

    init() {}
}

/// 见习: an internship placement at a base.
final class Internship: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "internships"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "base") var base: String
    @Field(key: "post") var post: String
    @Field(key: "intern") var intern: String
    @Field(key: "unit_id") var unitID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    @Field(key: "starts_on") var startsOn: String
    @Field(key: "ends_on") var endsOn: String
    @Field(key: "year") var year: Int
    @Field(key: "created_at") var createdAt: Date
    var declaredProperties: [any AnyProperty] { [
        $id, $base, $post, $intern, $unitID, $unitPath, $startsOn, $endsOn, $year, $createdAt
    ] }

    init() {}
}

struct CreateRegistries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(YouthFarm.schema)
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required)
            .field("operator", .string, .required)
            .field("unit_id", .int, .required, .references(Organization.schema, "id"))
            .field("unit_path", database.byteOrderedText, .required)
            .field("level", .string, .required)
            .field("year", .int, .required)
            .field("farmers_helped", .int, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.createIndex("youth_farms_path", on: YouthFarm.schema, columns: ["unit_path", "year"])
        try await database.schema(Internship.schema)
            .field("id", .int, .identifier(auto: true))
            .field("base", .string, .required)
            .field("post", .string, .required)
            .field("intern", .string, .required)
            .field("unit_id", .int, .required, .references(Organization.schema, "id"))
            .field("unit_path", database.byteOrderedText, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("year", .int, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.createIndex("internships_path", on: Internship.schema, columns: ["unit_path", "year"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Internship.schema).delete()
        try await database.schema(YouthFarm.schema).delete()
    }
}

/// A numeric target of a task and its split among units.
final class TaskTarget: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "task_targets"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "task_id") var taskID: Int
    @Field(key: "name") var name: String
    @Field(key: "measure") var measure: String
    @Field(key: "total") var total: Int
    @Field(key: "source") var source: TargetSource
    @Field(key: "year") var year: Int
    /// Set when the target is last year's figure plus this percentage (见习 up 20%).
    @OptionalField(key: "growth_percent") var growthPercent: Int?
    var declaredProperties: [any AnyProperty] { [$id, $taskID, $name, $measure, $total, $source, $year, $growthPercent] }

    init() {}
}

final class TaskTargetPart: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "task_target_parts"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "target_id") var targetID: Int
    @Field(key: "unit_id") var unitID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    @Field(key: "amount") var amount: Int
    /// Last year's figure the amount grew from, for growth targets.
    @OptionalField(key: "base") var base: Int?
    var declaredProperties: [any AnyProperty] { [$id, $targetID, $unitID, $unitPath, $amount, $base] }

    init() {}
}

struct CreateTaskTargets: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TaskTarget.schema)
            .field("id", .int, .identifier(auto: true))
            .field("task_id", .int, .required, .references(WorkPlanEntry.schema, "id"))
            .field("name", .string, .required)
            .field("measure", .string, .required)
            .field("total", .int, .required)
            .field("source", .string, .required)
            .field("year", .int, .required)
            .create()
        try await database.schema(TaskTargetPart.schema)
            .field("id", .int, .identifier(auto: true))
            .field("target_id", .int, .required, .references(TaskTarget.schema, "id"))
            .field("unit_id", .int, .required, .references(Organization.schema, "id"))
            .field("unit_path", database.byteOrderedText, .required)
            .field("amount", .int, .required)
            .unique(on: "target_id", "unit_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TaskTargetPart.schema).delete()
        try await database.schema(TaskTarget.schema).delete()
    }
}

/// Growth targets: last year's figure and the percentage on top of it.
struct AddTargetGrowth: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TaskTarget.schema).field("growth_percent", .int).update()
        try await database.schema(TaskTargetPart.schema).field("base", .int).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TaskTargetPart.schema).deleteField("base").update()
        try await database.schema(TaskTarget.schema).deleteField("growth_percent").update()
    }
}
