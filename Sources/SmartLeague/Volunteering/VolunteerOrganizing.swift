import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Groups, projects and posts: each created within the caller's reach and approved by the level
/// that answers for it, never by the one who asked.
enum VolunteerOrganizing {
    struct NewGroup: Sendable {
        let name: String
        let parentID: Int?
        let unitID: Int
        let independent: Bool
        let contact: String
    }

    static func createGroup(_ new: NewGroup, _ change: ChangeContext, on db: any Database) async throws -> VolunteerGroup {
        guard let unit = try? await change.scope.activeOrganization(new.unitID, on: db) else {
            throw Refusal("找不到该团组织，或不在您的管理范围内", field: "unit")
        }
        if let parentID = new.parentID {
            guard let parent = try await Scope.unrestricted.query(VolunteerGroup.self, on: db).filter(\.$id == parentID).first(),
                  parent.status == .approved else { throw Refusal("上级队伍不存在或尚未批准", field: "parent") }
            guard parent.unitPath.contains(unit.path) else {
                throw Refusal("下级队伍的所属团组织须在上级队伍「\(parent.name)」所属团组织之内", field: "unit")
            }
        }
        if try await Scope.unrestricted.query(VolunteerGroup.self, on: db).filter(\.$name == new.name).count() > 0 {
            throw Refusal("已有名为「\(new.name)」的志愿服务组织", field: "name")
        }
        let group = VolunteerGroup()
        group.name = new.name
        group.parentID = new.parentID
        group.unitID = unit.id!
        group.unitPath = unit.path
        group.independent = new.independent
        group.contact = new.contact
        group.status = .pending
        group.createdBy = change.actor.accountID
        group.createdAt = change.now
        try await group.create(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: "volunteer_group.create", entityType: "volunteer_group", entityID: String(group.id!),
                               summary: "申请成立志愿服务组织「\(group.name)」",
                               changes: FieldChange.created(["名称": group.name, "所属团组织": unit.name,
                                                             "类型": new.independent ? "独立" : "挂靠", "联系方式": new.contact]))
        return group
    }

    /// A group is approved by its parent: administrators reaching the parent group's unit (for a
    /// top-level group, its league unit), who stand above the group's unit or were appointed from
    /// above it (`FourEyes`), and never the one who asked for it.
    static func canDecide(_ group: some GroupStanding, parentUnit: TreePath?, _ change: ChangeContext) -> Bool {
        guard group.status == .pending else { return false }
        return change.scope.contains(parentUnit ?? group.unitPath) && change.mayApprove(group.unitPath, proposedBy: group.createdBy)
    }

    static func decideGroup(_ id: Int, approve: Bool, note: String?, _ change: ChangeContext, on db: any Database) async throws -> VolunteerGroup {
        guard let group = try await change.scope.query(VolunteerGroup.self, on: db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        var parent: VolunteerGroup?
        if let parentID = group.parentID { parent = try await Scope.unrestricted.query(VolunteerGroup.self, on: db).filter(\.$id == parentID).first() }
        guard canDecide(group, parentUnit: parent?.unitPath, change) else {
            throw Refusal(group.status != .pending ? "该组织已审核" : "志愿服务组织由上级团组织（或上级任命的管理员）审批，申请人和本级管理员不能自行批准")
        }
        if !approve, note == nil { throw Refusal("不批准须写明理由") }
        group.status = approve ? .approved : .rejected
        group.decisionNote = note
        try await group.save(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: group.unitID, path: group.unitPath),
                               action: "volunteer_group.decide", entityType: "volunteer_group", entityID: String(id),
                               summary: "「\(group.name)」\(group.status.label)",
                               changes: [FieldChange(field: "状态", old: VolunteerGroup.Status.pending.label, new: group.status.label)])
        return group
    }

    struct NewProject: Sendable {
        let groupID: Int
        let title: String
        let category: String
        let summary: String
        let districtID: Int
        let year: Int
    }

    static func createProject(_ new: NewProject, _ change: ChangeContext, on db: any Database) async throws -> VolunteerProject {
        guard let group = try await change.scope.query(VolunteerGroup.self, on: db).filter(\.$id == new.groupID).first() else {
            throw Refusal("找不到该志愿服务组织，或不在您的管理范围内", field: "group")
        }
        guard group.status == .approved else { throw Refusal("志愿服务组织「\(group.name)」尚未批准，不能发布项目", field: "group") }
        guard VolunteerCategories.all.contains(new.category) else { throw Refusal("请选择服务类别", field: "category") }
        guard try await VolunteerRegistration.districts(on: db).contains(where: { $0.id == new.districtID }) else {
            throw Refusal("请选择服务区县（市）", field: "district")
        }
        let project = VolunteerProject()
        project.groupID = group.id!
        project.unitPath = group.unitPath
        project.title = new.title
        project.category = new.category
        project.summary = new.summary
        project.districtID = new.districtID
        project.year = new.year
        project.status = .pending
        project.createdBy = change.actor.accountID
        project.createdAt = change.now
        try await project.create(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: group.unitID, path: group.unitPath),
                               action: "volunteer_project.create", entityType: "volunteer_project", entityID: String(project.id!),
                               summary: "「\(group.name)」申报项目「\(project.title)」",
                               changes: FieldChange.created(["项目": project.title, "类别": project.category, "年度": String(project.year)]))
        return project
    }

    enum ProjectDecision: String, Sendable {
        case publish, reject, close
    }

    /// Publishing is a review by someone other than the author; closing ends sign-ups and keeps
    /// the project in the library.
    static func decideProject(_ id: Int, _ decision: ProjectDecision, note: String?, _ change: ChangeContext,
                              on db: any Database) async throws -> VolunteerProject {
        guard let project = try await change.scope.query(VolunteerProject.self, on: db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        let before = project.status
        switch decision {
        case .publish, .reject:
            guard project.status == .pending else { throw Refusal("该项目已审核") }
            guard change.mayApprove(project.unitPath, proposedBy: project.createdBy) else {
                throw Refusal("项目须由上级团组织（或上级任命的管理员）审核后发布，申报人和本级管理员不能自行发布")
            }
            if decision == .reject, note == nil { throw Refusal("不通过须写明理由") }
            project.status = decision == .publish ? .published : .rejected
        case .close:
            guard project.status == .published else { throw Refusal("只有已发布的项目可以结项") }
            project.status = .closed
        }
        project.reviewNote = note ?? project.reviewNote
        try await project.save(on: db)
        try await db.sql.update(VolunteerPost.schema).set("published", to: SQLBind(project.status == .published))
            .where("project_id", .equal, SQLBind(id)).run()
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: nil, path: project.unitPath),
                               action: "volunteer_project.\(decision.rawValue)", entityType: "volunteer_project", entityID: String(id),
                               summary: "项目「\(project.title)」\(project.status.label)\(note.map { "：\($0)" } ?? "")",
                               changes: [FieldChange(field: "状态", old: before.label, new: project.status.label)])
        return project
    }

    struct NewPosts: Sendable {
        let projectID: Int
        let title: String
        let place: String
        let requirements: String
        let capacity: Int
        let needsApproval: Bool
        /// One post per day, each from `startMinute` to `endMinute` (minutes after midnight in China).
        let days: [CalendarDate]
        let startMinute: Int
        let endMinute: Int
    }

    static func addPosts(_ new: NewPosts, _ change: ChangeContext, on db: any Database) async throws -> [VolunteerPost] {
        guard let project = try await change.scope.query(VolunteerProject.self, on: db).filter(\.$id == new.projectID).first() else {
            throw Abort(.notFound)
        }
        guard [.pending, .published].contains(project.status) else { throw Refusal("项目\(project.status.label)，不能再添加岗位") }
        guard (1...10_000).contains(new.capacity) else { throw Refusal("招募人数应为 1 到 10000", field: "capacity") }
        guard new.endMinute > new.startMinute else { throw Refusal("结束时间应晚于开始时间", field: "end") }
        guard !new.days.isEmpty, new.days.count <= 60 else { throw Refusal("请填写 1 到 60 个服务日期", field: "days") }
        let today = ChinaTime.day(change.now)
        if let past = new.days.first(where: { $0 < today }) { throw Refusal("服务日期 \(past) 已过", field: "days") }
        var posts: [VolunteerPost] = []
        for day in new.days {
            let post = VolunteerPost()
            post.projectID = project.id!
            post.unitPath = project.unitPath
            post.title = new.title
            post.category = project.category
            post.place = new.place
            post.districtID = project.districtID
            post.requirements = new.requirements
            post.day = day.description
            post.startsAt = ChinaTime.startOfDay(day).addingTimeInterval(TimeInterval(new.startMinute * 60))
            post.endsAt = ChinaTime.startOfDay(day).addingTimeInterval(TimeInterval(new.endMinute * 60))
            post.capacity = new.capacity
            post.taken = 0
            post.needsApproval = new.needsApproval
            post.published = project.status == .published
            post.codeSecret = SessionStore.randomToken()
            try await post.create(on: db)
            posts.append(post)
        }
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: nil, path: project.unitPath),
                               action: "volunteer_post.create", entityType: "volunteer_project", entityID: String(project.id!),
                               summary: "项目「\(project.title)」新增岗位「\(new.title)」\(posts.count) 个时段",
                               changes: FieldChange.created(["岗位": new.title, "地点": new.place, "人数": String(new.capacity),
                                                             "日期": new.days.map(\.description).joined(separator: "、"),
                                                             "报名方式": new.needsApproval ? "审核录用" : "自动录用"]))
        return posts
    }
}

// MARK: Use cases of the pages

extension VolunteerOrganizing {
    /// A group asked for from the page, its league unit named by code or full name within reach.
    static func createGroup(_ input: VolunteerGroupForm.Valid, _ change: ChangeContext, on db: any Database) async throws -> VolunteerGroup {
        guard let unit = try await change.scope.activeOrganization(codeOrName: input.unit, on: db), let unitID = unit.id else {
            throw Refusal("找不到该团组织，或不在您的管理范围内", field: "unit")
        }
        return try await createGroup(NewGroup(name: input.name, parentID: input.parentID, unitID: unitID, independent: input.independent,
                                              contact: input.contact), change, on: db)
    }

    /// Posts added to a project from its page.
    static func addPosts(to projectID: Int, _ input: VolunteerPostsForm.Valid, _ change: ChangeContext, on db: any Database) async throws -> [VolunteerPost] {
        try await addPosts(NewPosts(projectID: projectID, title: input.title, place: input.place, requirements: input.requirements,
                                    capacity: input.capacity, needsApproval: input.needsApproval, days: input.days,
                                    startMinute: input.startMinute, endMinute: input.endMinute), change, on: db)
    }
}
