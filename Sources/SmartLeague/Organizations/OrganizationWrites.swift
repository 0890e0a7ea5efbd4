import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Who makes a change, in which reach, and when: what every write needs besides its own data.
struct ChangeContext: Sendable {
    let scope: Scope
    let actor: AuditActor
    let now: Date
}

extension Request {
    var changeContext: ChangeContext {
        ChangeContext(scope: scope, actor: auditActor, now: now)
    }
}

/// The writes to the organisation tree. Each runs inside the caller's transaction, checks the
/// rules of RULES.md §1 against the rows as they are now, and audits what it changed.
enum OrganizationWrites {
    static let maximumChildren = 9999

    struct NewUnit: Sendable {
        let name: String
        let shortName: String
        let type: OrganizationType
        /// Only the founding districts bring a code of their own (their area code).
        var code: String? = nil
    }

    /// The parent creates a child with a name, a short name and a type; the child's admin completes the rest.
    static func createChild(of parentID: Int, _ new: NewUnit, _ change: ChangeContext, on db: any Database) async throws -> Organization {
        let parent = try await change.scope.activeOrganization(parentID, on: db)
        guard parent.type.canHold(new.type) else {
            let message = parent.type.isBranch
                ? "\(parent.type.label)是最基层组织，不能设立下级组织"
                : "\(parent.type.label)下不能设立\(new.type.label)"
            throw Refusal(message, field: "type")
        }
        try await requireUniqueName(new.name, under: parentID, except: nil, on: db)
        let sequence = try await takeChildSequence(of: parentID, on: db)
        guard sequence <= maximumChildren else {
            throw Refusal("一个组织最多设立 \(maximumChildren) 个直属下级组织")
        }
        let unit = try await insert(new, code: new.code ?? parent.code + String(format: "%04d", sequence), under: parent, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: "organization.create", entityType: "organization", entityID: String(unit.id!),
                               summary: "在「\(parent.name)」下设立\(new.type.label)「\(new.name)」",
                               changes: FieldChange.created(unit.auditedFields))
        return unit
    }

    /// Inserts a unit and gives it its path, which needs the id the database assigns.
    static func insert(_ new: NewUnit, code: String, under parent: Organization?, on db: any Database) async throws -> Organization {
        let unit = Organization()
        unit.parentID = parent?.id
        unit.path = "/pending/\(UUID().uuidString)/"
        unit.depth = parent.map { $0.depth + 1 } ?? 0
        unit.code = code
        unit.name = new.name
        unit.shortName = new.shortName
        unit.type = new.type
        unit.status = .active
        unit.nextChildSeq = 1
        try await unit.create(on: db)
        unit.path = parent.map { $0.treePath.appending(unit.id!) }?.value ?? TreePath(ids: [unit.id!]).value
        try await unit.save(on: db)
        return unit
    }

    /// Reserves the next child number of a unit in one statement, so that concurrent creations
    /// under the same parent never share a code.
    private static func takeChildSequence(of parentID: Int, on db: any Database) async throws -> Int {
        struct Row: Decodable { let next_child_seq: Int }
        let row = try await db.sql.raw("""
            UPDATE organizations SET next_child_seq = next_child_seq + 1 WHERE id = \(bind: parentID)
            RETURNING next_child_seq
            """).first(decoding: Row.self)
        guard let row else { throw Abort(.notFound) }
        return row.next_child_seq - 1
    }

    static func requireUniqueName(_ name: String, under parentID: Int?, except id: Int?, on db: any Database) async throws {
        var query = Scope.system.organizations(on: db).filter(\.$parentID == parentID).filter(\.$status == .active).filter(\.$name == name)
        if let id { query = query.filter(\.$id != id) }
        if try await query.count() > 0 {
            throw Refusal("同一上级组织下已有名为「\(name)」的组织", field: "name")
        }
    }

    struct Details: Sendable {
        let contactPerson: String?
        let contactPhone: String?
        let address: String?
        let establishedOn: CalendarDate?
        let summary: String?
        /// Nil when the form did not offer the field (only upper admins mark graduating branches).
        let graduationDate: CalendarDate??
    }

    /// The unit's admin (or any admin above) completes and keeps its details.
    static func updateDetails(of id: Int, _ details: Details, _ change: ChangeContext, on db: any Database) async throws {
        let unit = try await change.scope.activeOrganization(id, on: db)
        let before = unit.auditedFields
        unit.contactPerson = details.contactPerson
        unit.contactPhone = details.contactPhone
        unit.address = details.address
        unit.establishedOn = details.establishedOn?.description
        unit.summary = details.summary
        if let graduation = details.graduationDate {
            guard change.scope.isStrictlyAbove(unit), unit.type.isBranch else {
                throw Refusal("只有上级组织可以为团支部标记毕业日期", field: "graduationDate")
            }
            unit.graduationDate = graduation?.description
        }
        let changes = FieldChange.between(before, unit.auditedFields)
        guard !changes.isEmpty else { return }
        try await unit.save(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: "organization.update", entityType: "organization", entityID: String(id),
                               summary: "更新了「\(unit.name)」的基本信息", changes: changes)
    }

    /// Renames a unit at once; only an admin above it may (its own admin asks through a request).
    static func rename(_ unit: Organization, name: String, shortName: String, _ change: ChangeContext, on db: any Database) async throws {
        try await requireUniqueName(name, under: unit.parentID, except: unit.id, on: db)
        let before = unit.auditedFields
        unit.name = name
        unit.shortName = shortName
        let changes = FieldChange.between(before, unit.auditedFields)
        guard !changes.isEmpty else { return }
        try await unit.save(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: "organization.rename", entityType: "organization", entityID: String(unit.id!),
                               summary: "「\(before["名称"] ?? "")」更名为「\(name)」", changes: changes)
    }

    /// What still sits in a unit: active children, and members (records or member accounts).
    static func contents(of id: Int, on db: any Database) async throws -> (children: Int, members: Int) {
        let children = try await Scope.system.organizations(on: db).filter(\.$parentID == id).filter(\.$status == .active).count()
        let records = try await Scope.system.members(on: db).filter(\.$branchID == id).count()
        let accounts = try await Scope.system.accounts(on: db).filter(\.$organizationID == id).filter(\.$kind == .member).count()
        return (children, max(records, accounts))
    }

    /// Dissolves (撤销) an empty unit; its administrators' accounts are disabled with it.
    static func dissolve(_ id: Int, _ change: ChangeContext, on db: any Database) async throws {
        let unit = try await change.scope.activeOrganization(id, on: db)
        guard change.scope.isStrictlyAbove(unit) else {
            throw Refusal("只有上级组织可以撤销本组织")
        }
        let (children, members) = try await contents(of: id, on: db)
        guard children == 0, members == 0 else {
            var parts: [String] = []
            if children > 0 { parts.append("\(children) 个下级组织") }
            if members > 0 { parts.append("\(members) 名团员") }
            throw Refusal("「\(unit.name)」还有\(parts.joined(separator: "和")),不能撤销；请先转移或撤销它们")
        }
        try await requireNoPendingRequest(for: id, on: db)
        try await close(unit, mergedInto: nil, change, on: db)
    }

    private static func requireNoPendingRequest(for id: Int, on db: any Database) async throws {
        let pending = try await ChangeRequestRecord.query(on: db)
            .group(.or) { $0.filter(\.$organizationID == id).filter(\.$toParentID == id) }
            .filter(\.$status == .pending).count()
        guard pending == 0 else { throw Refusal("该组织有待审批的变更申请，请先处理") }
    }

    private static func close(_ unit: Organization, mergedInto target: Organization?, _ change: ChangeContext, on db: any Database) async throws {
        let before = unit.auditedFields
        unit.status = .dissolved
        unit.mergedIntoID = target?.id
        try await unit.save(on: db)
        let admins = try await Scope.system.accounts(on: db).filter(\.$organizationID == unit.id!)
            .filter(\.$kind == .administrator).filter(\.$disabled == false).all()
        for admin in admins {
            admin.disabled = true
            try await admin.save(on: db)
            try await SessionStore.closeOthers(accountID: admin.id!, keeping: nil, on: db)
            try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                                   action: "account.disable", entityType: "account", entityID: String(admin.id!),
                                   summary: "组织撤销，停用管理员账号 \(admin.username)",
                                   changes: [FieldChange(field: "状态", old: "正常", new: "已停用")])
        }
        let summary = target.map { "「\(unit.name)」并入「\($0.name)」" } ?? "撤销了「\(unit.name)」"
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: target == nil ? "organization.dissolve" : "organization.merge",
                               entityType: "organization", entityID: String(unit.id!), summary: summary,
                               changes: FieldChange.between(before, unit.auditedFields))
    }

    /// Merges one branch into another: its members' accounts move across, then it is closed.
    static func merge(_ sourceID: Int, into targetID: Int, _ change: ChangeContext, on db: any Database) async throws -> Int {
        let source = try await change.scope.activeOrganization(sourceID, on: db)
        guard let target = try? await change.scope.activeOrganization(targetID, on: db) else {
            throw Refusal("找不到要并入的团支部，或它不在您的管理范围内", field: "target")
        }
        guard source.type.isBranch, target.type.isBranch else {
            throw Refusal("只有团支部之间可以合并", field: "target")
        }
        guard source.id != target.id else { throw Refusal("不能与自身合并", field: "target") }
        guard change.scope.isStrictlyAbove(source) else { throw Refusal("只有上级组织可以合并团支部") }
        try await requireNoPendingRequest(for: sourceID, on: db)
        let members = try await Scope.system.accounts(on: db).filter(\.$organizationID == sourceID).filter(\.$kind == .member).all()
        for member in members {
            member.organizationID = targetID
            try await member.save(on: db)
            try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(target),
                                   action: "account.move", entityType: "account", entityID: String(member.id!),
                                   summary: "支部合并，\(member.displayName) 转入「\(target.name)」",
                                   changes: [FieldChange(field: "所属组织", old: source.name, new: target.name)])
        }
        let records = try await Scope.system.members(on: db).filter(\.$branchID == sourceID).all()
        var delta = MemberStats.Delta()
        for record in records {
            delta.add(MemberStats.facts(of: record, branchType: source.type), at: source.treePath, -1)
            delta.add(MemberStats.facts(of: record, branchType: target.type), at: target.treePath, 1)
            record.branchID = targetID
            record.branchPath = target.path
            try await record.save(on: db)
            try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(target),
                                   action: "member.move", entityType: "member", entityID: String(record.id!),
                                   summary: "支部合并，团员 \(record.name) 转入「\(target.name)」",
                                   changes: [FieldChange(field: "所在团支部", old: source.name, new: target.name)])
        }
        try await delta.apply(on: db)
        try await close(source, mergedInto: target, change, on: db)
        return max(records.count, members.count)
    }

    /// Why `unit` cannot move below `newParent`, or nil when it can.
    static func moveProblem(_ unit: Organization, to newParent: Organization) -> String? {
        if !newParent.isActive { return "新的上级组织已撤销" }
        if unit.parentID == newParent.id { return "新的上级组织与当前上级组织相同" }
        if unit.treePath.contains(newParent.treePath) { return "不能移到本组织自己或其下级组织之下" }
        if !newParent.type.canHold(unit.type) { return "\(newParent.type.label)下不能设立\(unit.type.label)" }
        return nil
    }

    /// Every table that keeps a unit's path beside its rows for scoped reads. The audit log is
    /// not here on purpose: an entry keeps the place it was written in.
    static let pathColumns: [(table: String, column: String)] = [
        (Member.schema, "branch_path"), (TaskAssignment.schema, "unit_path"), (YouthFarm.schema, "unit_path"),
        (Internship.schema, "unit_path"), (TaskTargetPart.schema, "unit_path"), (EvaluationSheet.schema, "unit_path"),
        (StudyCompletion.schema, "branch_path"), (Meeting.schema, "branch_path"),
        (Cadre.schema, "unit_path"), (GradingSheet.schema, "branch_path"), (AdmissionApplication.schema, "branch_path"),
        (AdmissionQuota.schema, "unit_path"), (DuesPayment.schema, "branch_path"),
        (Transfer.schema, "from_path"), (Transfer.schema, "to_path"), (LeavingRequest.schema, "branch_path"),
        (BranchReview.schema, "branch_path"), (Volunteer.schema, "home_path"), (VolunteerGroup.schema, "unit_path"),
        (VolunteerProject.schema, "unit_path"), (VolunteerPost.schema, "unit_path"), (VolunteerSignUp.schema, "unit_path"),
        (ServiceRecord.schema, "unit_path"), (ServiceDispute.schema, "unit_path"), (VolunteerCertificate.schema, "unit_path"),
        (VolunteerContest.schema, "unit_path"), (ContestEntry.schema, "unit_path"),
    ]

    /// Moves a unit and its whole subtree below a new parent: one statement a table rewrites every path.
    static func applyMove(_ unit: Organization, to newParent: Organization, _ change: ChangeContext, on db: any Database) async throws {
        if let problem = moveProblem(unit, to: newParent) { throw Refusal(problem) }
        try await requireUniqueName(unit.name, under: newParent.id, except: unit.id, on: db)
        let before = unit.auditedFields
        let oldPath = unit.treePath
        let newPath = newParent.treePath.appending(unit.id!)
        let depthChange = newPath.depth - oldPath.depth
        try await db.sql.raw("""
            UPDATE organizations
            SET path = \(bind: newPath.value) || substr(path, CAST(\(bind: oldPath.value.count + 1) AS INTEGER)),
                depth = depth + \(bind: depthChange)
            WHERE path >= \(bind: oldPath.subtreeLowerBound) AND path < \(bind: oldPath.subtreeUpperBound)
            """).run()
        // Records that keep their unit's path beside them move with the subtree.
        for (table, column) in pathColumns {
            try await db.sql.raw("""
                UPDATE \(ident: table)
                SET \(ident: column) = \(bind: newPath.value) || substr(\(ident: column), CAST(\(bind: oldPath.value.count + 1) AS INTEGER))
                WHERE \(ident: column) >= \(bind: oldPath.subtreeLowerBound) AND \(ident: column) < \(bind: oldPath.subtreeUpperBound)
                """).run()
        }
        try await MemberStats.moveSubtree(unitID: unit.id!, from: oldPath.parent!, to: newParent.treePath, on: db)
        try await db.sql.update(Organization.schema).set("parent_id", to: SQLBind(newParent.id!))
            .where("id", .equal, SQLBind(unit.id!)).run()
        let moved = try await Scope.system.organization(unit.id, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(moved),
                               action: "organization.move", entityType: "organization", entityID: String(unit.id!),
                               summary: "「\(unit.name)」移至「\(newParent.name)」之下",
                               changes: FieldChange.between(before, moved.auditedFields))
    }
}
