import Fluent
import LeagueCore
import Vapor

/// Moves and renames that need approval: asking, deciding step by step, withdrawing, listing.
enum ChangeRequests {
    /// An admin above a unit asks to move it below another unit in their reach.
    static func requestMove(_ unitID: Int, to targetID: Int?, _ change: ChangeContext, on db: any Database) async throws -> ChangeRequestRecord {
        let unit = try await change.scope.activeOrganization(unitID, on: db)
        guard change.scope.isStrictlyAbove(unit) else { throw Refusal("只有上级组织可以发起变更上级组织的申请") }
        guard let targetID, let target = try? await change.scope.activeOrganization(targetID, on: db) else {
            throw Refusal("找不到该组织，或它不在您的管理范围内", field: "target")
        }
        if let problem = OrganizationWrites.moveProblem(unit, to: target) { throw Refusal(problem, field: "target") }
        try await requireNonePending(for: unitID, on: db)
        let record = ChangeRequestRecord()
        record.kind = .move
        record.organizationID = unitID
        record.fromParentID = unit.parentID
        record.toParentID = targetID
        return try await file(record, unit: unit, summary: "申请将「\(unit.name)」移至「\(target.name)」之下", change, on: db)
    }

    /// The same, with the new parent named by code or full name as typed in the form.
    static func requestMove(_ unitID: Int, below key: String, _ change: ChangeContext, on db: any Database) async throws -> ChangeRequestRecord {
        let target = try await change.scope.activeOrganization(codeOrName: key, on: db)
        return try await requestMove(unitID, to: target?.id, change, on: db)
    }

    /// A unit's own admin asks its parent to approve a new name.
    static func requestRename(_ unit: Organization, name: String, shortName: String, _ change: ChangeContext, on db: any Database) async throws -> ChangeRequestRecord {
        try await OrganizationWrites.requireUniqueName(name, under: unit.parentID, except: unit.id, on: db)
        try await requireNonePending(for: unit.id!, on: db)
        let record = ChangeRequestRecord()
        record.kind = .rename
        record.organizationID = unit.id!
        record.fromParentID = unit.parentID
        record.proposedName = name
        record.proposedShortName = shortName
        return try await file(record, unit: unit, summary: "申请将「\(unit.name)」更名为「\(name)」", change, on: db)
    }

    private static func requireNonePending(for unitID: Int, on db: any Database) async throws {
        let pending = try await ChangeRequestRecord.query(on: db).filter(\.$organizationID == unitID).filter(\.$status == .pending).count()
        guard pending == 0 else { throw Refusal("该组织已有一项待审批的变更申请，请等待办结或先撤回") }
    }

    /// Requests waiting that concern the unit: about it, or asking it to receive one.
    static func pending(for unitID: Int, on db: any Database) async throws -> Int {
        try await ChangeRequestRecord.query(on: db).group(.or) { $0.filter(\.$organizationID == unitID).filter(\.$toParentID == unitID) }
            .filter(\.$status == .pending).count()
    }

    private static func file(_ record: ChangeRequestRecord, unit: Organization, summary: String, _ change: ChangeContext, on db: any Database) async throws -> ChangeRequestRecord {
        record.status = .pending
        record.approvedSteps = 0
        record.requestedBy = change.actor.name
        record.requestedAt = change.now
        try await record.create(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: "organization.request_\(record.kind.rawValue)", entityType: "change_request",
                               entityID: String(record.id!), summary: summary,
                               changes: FieldChange.created(record.auditedFields))
        return record
    }

    enum Decision: Sendable {
        case approve
        case reject(reason: String)
    }

    /// Decides the current step of a request. The approver must reach the unit that the step
    /// belongs to; the last approval applies the change in the same transaction.
    static func decide(_ requestID: Int, _ decision: Decision, _ change: ChangeContext, on db: any Database) async throws -> ChangeRequestRecord {
        let row = try await ChangeRequestQueries.find(requestID, scope: change.scope, on: db)
        guard let record = try await ChangeRequestRecord.find(row.id, on: db) else { throw Abort(.notFound) }
        var state = record.state
        guard let step = state.currentStep else { throw Refusal(ChangeRequestState.Refusal.notPending.message) }
        guard let deciderPath = row.path(for: step), change.scope.contains(deciderPath) else {
            throw Refusal("本环节须由「\(row.name(for: step) ?? "")」或其上级审批")
        }
        let unit = try await Scope.unrestricted.organization(record.organizationID, on: db)
        let before = record.auditedFields
        let applies: Bool
        do {
            switch decision {
            case .approve: applies = try state.approve(step)
            case .reject(let reason):
                try state.reject(step, reason: reason)
                record.reason = String(reason.prefix(500))
                applies = false
            }
        } catch {
            throw Refusal(error.message, field: "reason")
        }
        record.state = state
        record.decidedBy = change.actor.name
        record.decidedAt = change.now
        try await record.save(on: db)
        let verb = if case .approve = decision { "通过" } else { "驳回" }
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: "organization.request_decide", entityType: "change_request", entityID: String(requestID),
                               summary: "\(step.label)\(verb):\(record.kind.label)「\(unit.name)」",
                               changes: FieldChange.between(before, record.auditedFields))
        if applies {
            switch record.kind {
            case .move:
                let target = try await Scope.unrestricted.organization(record.toParentID, on: db)
                try await OrganizationWrites.applyMove(unit, to: target, change, on: db)
            case .rename:
                try await UnitEdits.rename(unit, name: record.proposedName ?? unit.name,
                                                    shortName: record.proposedShortName ?? unit.shortName, change, on: db)
            }
        }
        return record
    }

    /// The asking side takes a pending request back.
    static func withdraw(_ requestID: Int, _ change: ChangeContext, on db: any Database) async throws {
        let row = try await ChangeRequestQueries.find(requestID, scope: change.scope, on: db)
        guard change.scope.contains(row.unit_path),
              let record = try await ChangeRequestRecord.find(row.id, on: db) else {
            throw Refusal("只有申请方可以撤回")
        }
        var state = record.state
        do { try state.withdraw() } catch { throw Refusal(error.message) }
        let before = record.auditedFields
        record.state = state
        record.decidedBy = change.actor.name
        record.decidedAt = change.now
        try await record.save(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now,
                               unit: AuditUnit(id: row.organization_id, path: row.unit_path),
                               action: "organization.request_withdraw", entityType: "change_request", entityID: String(requestID),
                               summary: "撤回了\(record.kind.label)申请：「\(row.unit_name)」",
                               changes: FieldChange.between(before, record.auditedFields))
    }
}
