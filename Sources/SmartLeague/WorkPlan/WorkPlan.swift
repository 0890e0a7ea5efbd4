import Fluent
import LeagueCore
import Vapor

/// A year's work plan (工作要点) of the city committee.
final class WorkPlan: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "work_plans"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "year") var year: Int
    @Field(key: "title") var title: String
    /// 总体要求
    @Field(key: "requirement") var requirement: String
    @Field(key: "created_at") var createdAt: Date
    var declaredProperties: [any AnyProperty] { [$id, $year, $title, $requirement, $createdAt] }

    init() {}
}

/// One section (部分), item (条目) or task (任务) of a plan, in order; tasks are what later parts
/// hand down to units and report on.
final class WorkPlanEntry: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "work_plan_entries"

    enum Kind: String, Codable {
        case section, item, task
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "plan_id") var planID: Int
    @Field(key: "kind") var kind: Kind
    @OptionalField(key: "parent_id") var parentID: Int?
    /// 1-based place among its siblings.
    @Field(key: "position") var position: Int
    @Field(key: "text") var text: String
    var declaredProperties: [any AnyProperty] { [$id, $planID, $kind, $parentID, $position, $text] }

    init() {}
}

struct CreateWorkPlans: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(WorkPlan.schema)
            .field("id", .int, .identifier(auto: true))
            .field("year", .int, .required)
            .field("title", .string, .required)
            .field("requirement", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "year")
            .create()
        try await database.schema(WorkPlanEntry.schema)
            .field("id", .int, .identifier(auto: true))
            .field("plan_id", .int, .required, .references(WorkPlan.schema, "id"))
            .field("kind", .string, .required)
            .field("parent_id", .int, .references(WorkPlanEntry.schema, "id"))
            .field("position", .int, .required)
            .field("text", .string, .required)
            .create()
        try await database.createIndex("work_plan_entries_plan", on: WorkPlanEntry.schema, columns: ["plan_id", "id"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WorkPlanEntry.schema).delete()
        try await database.schema(WorkPlan.schema).delete()
    }
}

enum WorkPlans {
    /// Stores a parsed plan; a year holds one plan.
    static func load(_ document: PlanDocument, _ change: ChangeContext, root: Organization, on db: any Database) async throws -> WorkPlan {
        if try await WorkPlan.query(on: db).filter(\.$year == document.year).count() > 0 {
            throw Refusal("\(document.year) 年度的工作要点已经存在", field: "file")
        }
        let plan = WorkPlan()
        plan.year = document.year
        plan.title = document.title
        plan.requirement = document.requirement
        plan.createdAt = change.now
        try await plan.create(on: db)
        func add(_ kind: WorkPlanEntry.Kind, parent: Int?, position: Int, text: String) async throws -> Int {
            let entry = WorkPlanEntry()
            entry.planID = plan.id!
            entry.kind = kind
            entry.parentID = parent
            entry.position = position
            entry.text = text
            try await entry.create(on: db)
            return entry.id!
        }
        for section in document.sections {
            let sectionID = try await add(.section, parent: nil, position: section.number, text: section.title)
            for item in section.items {
                let itemID = try await add(.item, parent: sectionID, position: item.number, text: item.title)
                for (index, task) in item.tasks.enumerated() {
                    _ = try await add(.task, parent: itemID, position: index + 1, text: task)
                }
            }
        }
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(root),
                               action: "workplan.load", entityType: "work_plan", entityID: String(plan.id!),
                               summary: "载入\(document.year)年度工作要点：\(document.sections.count) 个部分，\(document.taskCount) 项任务")
        return plan
    }

    struct TaskNode: Encodable, Sendable {
        let id: Int
        let text: String
    }

    struct ItemNode: Sendable {
        let number: Int
        let title: String
        var tasks: [TaskNode]
    }

    struct SectionNode: Sendable {
        let number: Int
        let title: String
        var items: [ItemNode]
    }

    /// The plan's sections, items and tasks in order, with the tasks' ids.
    static func outline(_ plan: WorkPlan, on db: any Database) async throws -> [SectionNode] {
        let entries = try await WorkPlanEntry.query(on: db).filter(\.$planID == plan.id!).sort(\.$id).all()
        var sections: [SectionNode] = []
        var sectionIndex: [Int: Int] = [:], itemIndex: [Int: (Int, Int)] = [:]
        for entry in entries {
            switch entry.kind {
            case .section:
                sectionIndex[entry.id!] = sections.count
                sections.append(SectionNode(number: entry.position, title: entry.text, items: []))
            case .item:
                guard let s = entry.parentID.flatMap({ sectionIndex[$0] }) else { continue }
                itemIndex[entry.id!] = (s, sections[s].items.count)
                sections[s].items.append(ItemNode(number: entry.position, title: entry.text, tasks: []))
            case .task:
                guard let (s, i) = entry.parentID.flatMap({ itemIndex[$0] }) else { continue }
                sections[s].items[i].tasks.append(TaskNode(id: entry.id!, text: entry.text))
            }
        }
        return sections
    }

    /// The plan as the document it was loaded from.
    static func document(_ plan: WorkPlan, on db: any Database) async throws -> PlanDocument {
        let sections = try await outline(plan, on: db).map { section in
            PlanDocument.Section(number: section.number, title: section.title, items: section.items.map {
                PlanDocument.Item(number: $0.number, title: $0.title, tasks: $0.tasks.map(\.text))
            })
        }
        return PlanDocument(title: plan.title, year: plan.year, requirement: plan.requirement, sections: sections)
    }

    /// On first start the 2018 Ningbo plan, as the seed document gives it, is loaded.
    static func loadShipped(_ app: Application, root: Organization, _ change: ChangeContext, on db: any Database) async throws {
        let file = app.settings.resourcesDirectory + "Resources/Plans/2018.txt"
        guard let data = FileManager.default.contents(atPath: file) else { return }
        guard case .success(let document) = PlanText.parse(String(decoding: data, as: UTF8.self)) else {
            throw Abort(.internalServerError, reason: "the shipped plan \(file) does not parse")
        }
        _ = try await load(document, change, root: root, on: db)
    }
}
