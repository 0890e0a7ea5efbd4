import Fluent
import SQLKit
import LeagueCore
import Vapor

/// What the plan, task, assignment, registry and dashboard pages read.
enum WorkPlanQueries {
    static func plans(on db: any Database) async throws -> [WorkPlan] {
        try await WorkPlan.query(on: db).sort(\.$year, .descending).all()
    }

    /// The plan of a year, or 404.
    static func plan(year: Int, on db: any Database) async throws -> WorkPlan {
        guard let plan = try await WorkPlan.query(on: db).filter(\.$year == year).first() else { throw Abort(.notFound) }
        return plan
    }

    /// An assignment as a list shows it: the columns of its row, not the model's ten fields.
    struct ListedAssignment: Sendable {
        let id: Int
        let taskID: Int
        let unitID: Int
        let leadOffice: String?
        let deadline: String
        let status: TaskStatus
    }

    /// Assignments with what their rows name: the units holding them and the tasks' text.
    struct Assignments: Sendable {
        let assignments: [ListedAssignment]
        let unitNames: [Int: String]
        let taskTexts: [Int: String]
    }

    /// Reads a query's assignments as listed rows (`fieldRows`) and names them: a city's list of
    /// fifty spent a sixth of its CPU making assignment models.
    static func named(_ query: QueryBuilder<TaskAssignment>, on db: any Database) async throws -> Assignments {
        let listed = try await query.fields(\.$id, \.$taskID, \.$unitID, \.$leadOffice, \.$deadline, \.$status)
            .fieldRows().map(ListedAssignment.init)
        return try await named(listed, on: db)
    }

    static func named(_ assignments: [ListedAssignment], on db: any Database) async throws -> Assignments {
        let names = try await Directory.unitNames(assignments.map(\.unitID), on: db)
        let tasks = try await WorkPlanEntry.query(on: db).filter(\.$id ~~ Set(assignments.map(\.taskID))).fields(\.$id, \.$text).fieldRows()
        var texts: [Int: String] = [:]
        for task in tasks { texts[try task("id")] = try task("text") }
        return Assignments(assignments: assignments, unitNames: names, taskTexts: texts)
    }

    /// A target with the actual of each of its parts the caller reaches.
    struct TargetFigures: Sendable {
        struct Part: Sendable {
            let unitName: String
            let base: Int?
            let amount: Int
            let actual: Int
        }

        let target: TaskTarget
        let parts: [Part]
    }

    static func targets(task id: Int, scope: Scope, on db: any Database) async throws -> [TargetFigures] {
        var figures: [TargetFigures] = []
        for target in try await TaskTarget.query(on: db).filter(\.$taskID == id).sort(\.$id).all() {
            let parts = try await scope.query(TaskTargetPart.self, on: db).filter(\.$targetID == target.id ?? -1).all()
            let names = try await scope.unitNames(parts.map(\.unitID), on: db)
            var figured: [TargetFigures.Part] = []
            for part in parts {
                let actual = try await TargetWrites.actual(target, unitPath: part.unitPath, unitID: part.unitID, on: db)
                figured.append(.init(unitName: names[part.unitID] ?? "", base: part.base, amount: part.amount, actual: actual))
            }
            figures.append(TargetFigures(target: target, parts: figured))
        }
        return figures
    }

    /// A task of the plan: its assignments in reach and its targets.
    struct Task: Sendable {
        let task: WorkPlanEntry
        let assignments: Assignments
        let targets: [TargetFigures]
    }

    static func task(_ id: Int, scope: Scope, on db: any Database) async throws -> Task {
        let task = try await TaskAssignments.task(id, on: db)
        let assignments = try await named(scope.query(TaskAssignment.self, on: db).filter(\.$taskID == id), on: db)
        return Task(task: task, assignments: assignments, targets: try await targets(task: id, scope: scope, on: db))
    }

    /// How many assignments the caller's unit and those below hold.
    static func assignmentCount(scope: Scope, on db: any Database) async throws -> Int {
        try await scope.query(TaskAssignment.self, on: db).count()
    }

    /// A page of those assignments, the overdue first and then by deadline (as `AssignmentRow.rows`
    /// orders them).
    static func assignments(scope: Scope, today: CalendarDate, offset: Int, limit: Int, on db: any Database) async throws -> Assignments {
        let overdueFirst = SQLQueryString("CASE WHEN status <> \(bind: TaskStatus.done.rawValue) AND deadline < \(bind: today.description) THEN 0 ELSE 1 END")
        return try await named(scope.query(TaskAssignment.self, on: db).sort(.sql(embed: overdueFirst)).sort(\.$deadline).sort(\.$id)
            .range(offset..<(offset + limit)), on: db)
    }

    /// One assignment with its reports and their files, the assignments handed down from it, and
    /// whether the caller handed it down (and so reviews it).
    struct Assignment: Sendable {
        let assignment: TaskAssignment
        let named: Assignments
        let task: WorkPlanEntry
        let reports: [TaskReport]
        let files: [Int: [Attachment]]
        let children: Assignments
        let isAssigner: Bool
    }

    static func assignment(_ id: Int, scope: Scope, on db: any Database) async throws -> Assignment {
        let assignment = try await scope.find(TaskAssignment.self, id, on: db)
        let task = try await TaskAssignments.task(assignment.taskID, on: db)
        let reports = try await TaskReport.query(on: db).filter(\.$assignmentID == id).sort(\.$at).sort(\.$id).all()
        let files = try await Attachments.list(ownerType: TaskReport.attachmentOwner, ownerIDs: reports.compactMap(\.id), on: db)
        return Assignment(assignment: assignment, named: try await named([ListedAssignment(assignment)], on: db), task: task, reports: reports,
                          files: files, children: try await named(scope.query(TaskAssignment.self, on: db).filter(\.$parentID == id), on: db),
                          isAssigner: try await TaskAssignments.isAssigner(assignment, scope: scope, on: db))
    }

    /// Whether a report is one of an assignment in reach: its files are then the caller's to open.
    static func isReport(_ reportID: Int, ofAssignment id: Int, scope: Scope, on db: any Database) async throws -> Bool {
        let assignment = try await scope.find(TaskAssignment.self, id, on: db)
        return try await TaskReport.query(on: db).filter(\.$id == reportID).filter(\.$assignmentID == assignment.id ?? -1).count() == 1
    }

    /// A year's plan for the caller's unit: its outline, the assignments in reach of its tasks,
    /// the overdue ones named, the targets, and the units directly below the caller's own.
    struct Dashboard: Sendable {
        let plan: WorkPlan
        let outline: [WorkPlans.SectionNode]
        let assignments: [TaskAssignment]
        let overdue: Assignments
        let targets: [TargetFigures]
        let children: [Organization]
    }

    static func dashboard(year: Int, unitID: Int, scope: Scope, today: CalendarDate, on db: any Database) async throws -> Dashboard {
        let plan = try await self.plan(year: year, on: db)
        let outline = try await WorkPlans.outline(plan, on: db)
        let taskIDs = outline.flatMap { $0.items.flatMap { $0.tasks.map(\.id) } }
        let assignments = try await scope.query(TaskAssignment.self, on: db).filter(\.$taskID ~~ taskIDs).all()
        let overdue = assignments.filter { $0.status.isOverdue(deadline: CalendarDate($0.deadline) ?? today, today: today) }
        var targets: [TargetFigures] = []
        for id in taskIDs { targets += try await self.targets(task: id, scope: scope, on: db) }
        // The units directly below the caller's own, each with everything beneath it.
        let rows = try await OrganizationQueries.children(of: unitID, scope: scope, nameContains: nil, limit: 200, offset: 0, on: db).rows
        let children = try await scope.organizations(on: db).filter(\.$id ~~ rows.map(\.id)).all().sorted { $0.code < $1.code }
        return Dashboard(plan: plan, outline: outline, assignments: assignments, overdue: try await named(overdue.map(ListedAssignment.init), on: db), targets: targets,
                         children: children)
    }

    /// The registries as far as the caller reaches, newest first, with their units' names.
    /// A page of a registry (青创农场, 见习), newest first: a city's registries grow every year, and
    /// a single list stopped at its 500th entry and decoded and rendered all of them on each visit.
    struct Registry<Row: Sendable>: Sendable {
        let rows: [Row]
        let unitNames: [Int: String]
        let pagination: Pagination
    }

    static let registryPageSize = 50

    static func farms(page: Int, scope: Scope, on db: any Database) async throws -> Registry<YouthFarm> {
        try await registry(scope.query(YouthFarm.self, on: db), page: page, scope: scope, unit: \.unitID, on: db) {
            $0.sort(\.$year, .descending).sort(\.$id, .descending)
        }
    }

    static func internships(page: Int, scope: Scope, on db: any Database) async throws -> Registry<Internship> {
        try await registry(scope.query(Internship.self, on: db), page: page, scope: scope, unit: \.unitID, on: db) {
            $0.sort(\.$startsOn, .descending).sort(\.$id, .descending)
        }
    }

    private static func registry<M: Model & Sendable>(_ query: QueryBuilder<M>, page: Int, scope: Scope, unit: KeyPath<M, Int>, on db: any Database,
                                                      order: (QueryBuilder<M>) -> QueryBuilder<M>) async throws -> Registry<M> {
        let pagination = Pagination(page: page, pageSize: registryPageSize, total: try await query.count())
        let rows = try await order(query).range(pagination.offset..<(pagination.offset + pagination.pageSize)).all()
        return Registry(rows: rows, unitNames: try await scope.unitNames(rows.map { $0[keyPath: unit] }, on: db), pagination: pagination)
    }
}

extension WorkPlanQueries.ListedAssignment {
    init(_ row: FieldRow<TaskAssignment>) throws {
        id = try row("id")
        taskID = try row("task_id")
        unitID = try row("unit_id")
        leadOffice = try row("lead_office")
        deadline = try row("deadline")
        status = try row("status")
    }

    /// The row of an assignment already read whole (one assignment's page, the dashboard's overdue).
    init(_ assignment: TaskAssignment) {
        id = assignment.id ?? 0
        taskID = assignment.taskID
        unitID = assignment.unitID
        leadOffice = assignment.leadOffice
        deadline = assignment.deadline
        status = assignment.status
    }
}
