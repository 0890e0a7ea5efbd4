import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Who makes a change, in which reach, and when: what every write needs besides its own data.
struct ChangeContext: Sendable {
    let scope: Scope
    let actor: AuditActor
    let now: Date
    /// The administrator making the change, for four-eyes rules; nil for the system itself.
    var approver: Approver? = nil
}

/// An administrator as four-eyes rules see them: their unit and the level that appointed them.
struct Approver: Sendable {
    let accountID: Int
    let unit: TreePath
    let appointedBy: TreePath?

    /// Whether they may approve what `unit` proposed (`proposedBy` the proposing account).
    func mayApprove(_ unit: TreePath, proposedBy: Int?) -> Bool {
        FourEyes.mayApprove(unit, approverUnit: self.unit, appointedFrom: appointedBy, isProposer: proposedBy == accountID)
    }
}

extension ChangeContext {
    /// Whether this change may approve what `unit` proposed: the system may, an administrator as
    /// `FourEyes` says.
    func mayApprove(_ unit: TreePath, proposedBy: Int?) -> Bool {
        guard let approver else { return actor.accountID == nil }
        return approver.mayApprove(unit, proposedBy: proposedBy)
    }
}

extension Request {
    var changeContext: ChangeContext {
        ChangeContext(scope: scope, actor: auditActor, now: now, approver: actor?.approver)
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
        // Members go with everything of theirs (accounts, volunteer records, what is under way);
        // the branch's ongoing work passes on; its history stays with it.
        let records = try await Scope.system.members(on: db).filter(\.$branchID == sourceID).all()
        try await MemberWrites.relocate(records, to: target, on: db)
        for column in pathColumns { try await column.passOn(from: source.treePath, to: (target.id!, target.path), on: db) }
        try await Audit.recordMany(on: db, actor: change.actor, at: change.now, records.map { record in
            Audit.Item(unit: AuditUnit(target), action: "member.move", entityType: "member", entityID: String(record.id!),
                       summary: "支部合并，团员 \(record.name) 转入「\(target.name)」",
                       changes: [FieldChange(field: "所在团支部", old: source.name, new: target.name)])
        })
        try await close(source, mergedInto: target, change, on: db)
        return records.count
    }

    /// Why `unit` cannot move below `newParent`, or nil when it can.
    static func moveProblem(_ unit: Organization, to newParent: Organization) -> String? {
        if !newParent.isActive { return "新的上级组织已撤销" }
        if unit.parentID == newParent.id { return "新的上级组织与当前上级组织相同" }
        if unit.treePath.contains(newParent.treePath) { return "不能移到本组织自己或其下级组织之下" }
        if !newParent.type.canHold(unit.type) { return "\(newParent.type.label)下不能设立\(unit.type.label)" }
        return nil
    }

    /// Every table that keeps a unit's path beside its rows for scoped reads, and what its rows
    /// do on moves, merges and transfers. The audit log is not here on purpose: an entry keeps
    /// the place it was written in.
    static let pathColumns: [UnitPathColumn] = {
        let openTransfer = "status IN ('awaitingSender', 'awaitingReceiver', 'awaitingPlacement')"
        let pending = "status = 'pending'"
        let openApplication = "stage NOT IN ('member', 'certified', 'rejected')"
        return [
            UnitPathColumn(Member.schema, "branch_path", unitID: "branch_id", .followsMember(memberColumn: "id", condition: nil)),
            UnitPathColumn(Volunteer.schema, "home_path", unitID: "home_id", .followsMember(memberColumn: "member_id", condition: nil)),
            UnitPathColumn(LeavingRequest.schema, "branch_path", .followsMember(memberColumn: "member_id", condition: pending)),
            UnitPathColumn(Transfer.schema, "from_path", unitID: "from_branch_id", .followsMember(memberColumn: "member_id", condition: openTransfer)),
            UnitPathColumn(Transfer.schema, "to_path", unitID: "to_unit_id", .passesToSuccessor(condition: openTransfer)),
            UnitPathColumn(TransferRequest.schema, "from_path", .followsMember(memberColumn: "member_id", condition: pending)),
            UnitPathColumn(TransferRequest.schema, "to_path", unitID: "to_unit_id", .passesToSuccessor(condition: pending)),
            UnitPathColumn(AdmissionApplication.schema, "branch_path", unitID: "branch_id", .passesToSuccessor(condition: openApplication)),
            UnitPathColumn(Account.schema, "appointed_by_path", .passesToSuccessor(condition: nil)),
            UnitPathColumn(YouthFarm.schema, "unit_path", unitID: "unit_id", .passesToSuccessor(condition: nil)),
            UnitPathColumn(Internship.schema, "unit_path", unitID: "unit_id", .passesToSuccessor(condition: nil)),
            UnitPathColumn(VolunteerGroup.schema, "unit_path", unitID: "unit_id", .passesToSuccessor(condition: nil)),
            UnitPathColumn(VolunteerProject.schema, "unit_path", .passesToSuccessor(condition: nil)),
            UnitPathColumn(VolunteerPost.schema, "unit_path", .passesToSuccessor(condition: nil)),
            UnitPathColumn(VolunteerSignUp.schema, "unit_path", .passesToSuccessor(condition: nil)),
            UnitPathColumn(ServiceRecord.schema, "unit_path", .passesToSuccessor(condition: nil)),
            UnitPathColumn(ServiceDispute.schema, "unit_path", .passesToSuccessor(condition: nil)),
            UnitPathColumn(VolunteerCertificate.schema, "unit_path", .passesToSuccessor(condition: nil)),
            UnitPathColumn(VolunteerContest.schema, "unit_path", .passesToSuccessor(condition: nil)),
            UnitPathColumn(ContestEntry.schema, "unit_path", .passesToSuccessor(condition: nil)),
            UnitPathColumn(TaskAssignment.schema, "unit_path", unitID: "unit_id", .staysAsHistory),
            UnitPathColumn(TaskTargetPart.schema, "unit_path", unitID: "unit_id", .staysAsHistory),
            UnitPathColumn(EvaluationSheet.schema, "unit_path", unitID: "unit_id", .staysAsHistory),
            UnitPathColumn(StudyCompletion.schema, "branch_path", unitID: "branch_id", .staysAsHistory),
            UnitPathColumn(Meeting.schema, "branch_path", unitID: "branch_id", .staysAsHistory),
            UnitPathColumn(Cadre.schema, "unit_path", unitID: "unit_id", .staysAsHistory),
            UnitPathColumn(GradingSheet.schema, "branch_path", unitID: "branch_id", .staysAsHistory),
            UnitPathColumn(AdmissionQuota.schema, "unit_path", unitID: "unit_id", .staysAsHistory),
            UnitPathColumn(DuesPayment.schema, "branch_path", unitID: "branch_id", .staysAsHistory),
            UnitPathColumn(BranchReview.schema, "branch_path", unitID: "branch_id", .staysAsHistory),
        ]
    }()

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
        for column in pathColumns { try await column.rebase(from: oldPath, to: newPath, on: db) }
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
