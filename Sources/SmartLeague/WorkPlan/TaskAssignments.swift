import Fluent
import LeagueCore
import Vapor

/// Handing tasks down and reporting on them; each write audited in the unit it concerns.
enum TaskAssignments {
    /// Units named in a form: codes or full names separated by commas, 、, spaces or lines.
    static func units(_ raw: String, scope: Scope, on db: any Database) async throws -> [Organization] {
        let keys = raw.split(whereSeparator: { ",，、;； \n\r\t".contains($0) }).map(String.init)
        guard !keys.isEmpty else { throw Refusal("请填写承担单位的代码或全称", field: "units") }
        guard keys.count <= 200 else { throw Refusal("一次最多分解给 200 个单位", field: "units") }
        var units: [Organization] = []
        for key in keys {
            guard let unit = try await scope.activeOrganization(codeOrName: key, on: db) else {
                throw Refusal("找不到单位「\(key)」，或它不在您的管理范围内", field: "units")
            }
            if !units.contains(where: { $0.id == unit.id }) { units.append(unit) }
        }
        return units
    }

    private static func create(task: WorkPlanEntry, unit: Organization, parent: TaskAssignment?, leadOffice: String?,
                               deadline: CalendarDate, _ change: ChangeContext, on db: any Database) async throws {
        if try await Scope.unrestricted.query(TaskAssignment.self, on: db).filter(\.$taskID == task.id!).filter(\.$unitID == unit.id!).count() > 0 {
            throw Refusal("「\(unit.name)」已承担这项任务", field: "units")
        }
        let assignment = TaskAssignment()
        assignment.taskID = task.id!
        assignment.unitID = unit.id!
        assignment.unitPath = unit.path
        assignment.parentID = parent?.id
        assignment.leadOffice = leadOffice
        assignment.deadline = deadline.description
        assignment.status = .notStarted
        assignment.assignedBy = change.actor.name
        assignment.createdAt = change.now
        try await assignment.create(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: "workplan.assign", entityType: "task_assignment", entityID: String(assignment.id!),
                               summary: "把任务分解给「\(unit.name)」，\(deadline) 前完成",
                               changes: FieldChange.created(["任务ID": String(task.id!), "承担单位": unit.name,
                                                             "牵头部门": leadOffice ?? "", "完成期限": deadline.description]))
    }

    static func task(_ id: Int, on db: any Database) async throws -> WorkPlanEntry {
        guard let task = try await WorkPlanEntry.query(on: db).filter(\.$id == id).filter(\.$kind == .task).first() else {
            throw Abort(.notFound)
        }
        return task
    }

    /// The city committee hands a task of its plan to units, with a lead office and a deadline.
    static func assign(taskID: Int, _ input: AssignTaskForm.Valid, today: CalendarDate,
                       _ change: ChangeContext, on db: any Database) async throws -> Int {
        guard change.scope.isCityWide else { throw Refusal("只有团市委可以分解工作要点的任务") }
        guard input.deadline >= today else { throw Refusal("完成期限不能早于今天", field: "deadline") }
        let task = try await task(taskID, on: db)
        let units = try await units(input.units, scope: change.scope, on: db)
        for unit in units {
            try await create(task: task, unit: unit, parent: nil, leadOffice: input.leadOffice, deadline: input.deadline, change, on: db)
        }
        return units.count
    }

    /// A unit hands its part further down, to units below it, by a deadline no later than its own.
    static func handDown(_ id: Int, _ input: HandDownForm.Valid, today: CalendarDate,
                         _ change: ChangeContext, on db: any Database) async throws -> Int {
        let (raw, deadline) = (input.units, input.deadline)
        let parent = try await change.scope.find(TaskAssignment.self, id, on: db)
        guard let deadlineOfParent = CalendarDate(parent.deadline) else { throw Abort(.internalServerError) }
        guard deadline <= deadlineOfParent else { throw Refusal("完成期限不能晚于上级给定的 \(parent.deadline)", field: "deadline") }
        guard deadline >= today else { throw Refusal("完成期限不能早于今天", field: "deadline") }
        let holder = parent.unitPath
        let units = try await units(raw, scope: change.scope, on: db)
        for unit in units where !(holder.contains(unit.path) && holder != unit.path) {
            throw Refusal("「\(unit.name)」不是本单位的下级，不能分解给它", field: "units")
        }
        let task = try await task(parent.taskID, on: db)
        for unit in units {
            try await create(task: task, unit: unit, parent: parent, leadOffice: nil, deadline: deadline, change, on: db)
        }
        return units.count
    }

    /// Who may review an assignment: whoever handed it down (the city for its own assignments).
    static func isAssigner(_ assignment: TaskAssignment, scope: Scope, on db: any Database) async throws -> Bool {
        guard let parentID = assignment.parentID else { return scope.isCityWide }
        guard let parent = try? await Scope.unrestricted.find(TaskAssignment.self, parentID, on: db) else { return false }
        return scope.contains(parent.unitPath)
    }

    /// A report by the holder, or a comment or sending-back by the assigner.
    static func say(_ kind: TaskReportKind, on id: Int, _ input: TaskReportForm.Valid, file: Upload?,
                    _ change: ChangeContext, on db: any Database) async throws {
        let text = input.text
        let assignment = try await change.scope.find(TaskAssignment.self, id, on: db)
        if kind == .report {
            guard let root = change.scope.root, root.contains(assignment.unitPath) else { throw Abort(.notFound) }
        } else {
            guard try await isAssigner(assignment, scope: change.scope, on: db) else {
                throw Refusal("只有分解这项任务的上级可以点评或退回")
            }
        }
        let before = assignment.status
        do {
            assignment.status = try kind.apply(to: before, finished: input.finished)
        } catch {
            throw Refusal(error.message)
        }
        try await assignment.save(on: db)
        let report = TaskReport()
        report.assignmentID = id
        report.kind = kind
        report.text = text
        report.figure = input.figure
        report.author = change.actor.name
        report.at = change.now
        try await report.create(on: db)
        var changes = before == assignment.status ? [] : [FieldChange(field: "状态", old: before.label, new: assignment.status.label)]
        if let file {
            let stored = try await Attachments.store(file, ownerType: TaskReport.attachmentOwner, ownerID: report.id!, change, on: db)
            changes.append(FieldChange(field: "附件", old: "", new: "\(stored.fileName)（\(stored.size) 字节，SHA-256 \(stored.sha256.prefix(12))）"))
        }
        let unit = try await Scope.unrestricted.organization(assignment.unitID, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: "workplan.\(kind.rawValue)", entityType: "task_assignment", entityID: String(id),
                               summary: "\(kind.label)：\(String(text.prefix(60)))", changes: changes)
    }
}
