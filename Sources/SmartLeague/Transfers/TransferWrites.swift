import Fluent
import LeagueCore
import Vapor

/// Starting, agreeing to, placing and ending transfers; each write audited on both sides.
enum TransferWrites {
    /// Which side of a transfer the caller stands on, if any.
    static func side(of scope: Scope, for transfer: Transfer) -> TransferSide? {
        if case .ownAccount(_, let member) = scope.reach { return member == transfer.memberID ? .member : nil }
        if scope.contains(TreePath(transfer.fromPath)!) { return .sender }
        if scope.contains(TreePath(transfer.toPath)!) { return .receiver }
        return nil
    }

    /// Starts transfers of members to a unit; `side` says who asks. A whole class shares a batch.
    static func start(members: [Member], to target: Organization, side: TransferSide, graduate: Bool, batch: String?,
                      _ change: ChangeContext, on db: any Database) async throws -> [Transfer] {
        guard target.isActive else { throw Refusal("接收单位已撤销", field: "target") }
        guard target.type.isBranch || target.type.canHold(.branch) else { throw Refusal("只能转入团支部或其上级团组织", field: "target") }
        var started: [Transfer] = []
        for member in members {
            if TreePath(target.path)!.contains(TreePath(member.branchPath)!) {
                throw Refusal("\(member.name)已在「\(target.name)」", field: "target")
            }
            if try await Scope.system.transfers(on: db).filter(\.$memberID == member.id!)
                .filter(\.$status ~~ [.awaitingSender, .awaitingReceiver, .awaitingPlacement]).count() > 0 {
                throw Refusal("\(member.name)已有正在办理的转接")
            }
            let transfer = Transfer()
            transfer.memberID = member.id!
            transfer.memberName = member.name
            transfer.fromBranchID = member.branchID
            transfer.fromPath = member.branchPath
            transfer.toUnitID = target.id!
            transfer.toPath = target.path
            transfer.startedBy = side
            transfer.status = side.firstStatus
            transfer.batch = batch
            transfer.graduate = graduate
            transfer.createdAt = change.now
            transfer.updatedAt = change.now
            started.append(transfer)
        }
        // One by one: the events need each transfer's id, which a batch insert does not return.
        for transfer in started { try await transfer.create(on: db) }
        try await started.map { event($0, "\(side.label)发起转至「\(target.name)」", change) }.create(on: db)
        let from = try await Scope.system.organization(members[0].branchID, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(from),
                               action: "transfer.start", entityType: "transfer", entityID: started.count == 1 ? String(started[0].id!) : (batch ?? ""),
                               summary: "\(side.label)发起 \(started.count) 名团员转至「\(target.name)」",
                               changes: started.prefix(200).map { FieldChange(field: $0.memberName, old: from.name, new: target.name) })
        return started
    }

    private static func event(_ transfer: Transfer, _ what: String, _ change: ChangeContext) -> TransferEvent {
        let event = TransferEvent()
        event.transferID = transfer.id!
        event.what = what
        event.by = change.actor.name
        event.at = change.now
        return event
    }

    /// The awaited side agrees (or refuses) for one transfer or every open one of a batch.
    static func decide(_ transfers: [Transfer], agree: Bool, reason: String?, _ change: ChangeContext, on db: any Database) async throws -> Int {
        guard let first = transfers.first else { return 0 }
        var done: [Transfer] = []
        for transfer in transfers {
            let side = side(of: change.scope, for: transfer)
            let awaited: TransferSide? = switch transfer.status {
            case .awaitingSender: .sender
            case .awaitingReceiver, .awaitingPlacement: .receiver
            default: nil
            }
            guard let awaited else { throw Refusal("该转接已经\(transfer.status.label)") }
            guard side == awaited else { throw Refusal("该转接\(transfer.status.label)，须由\(awaited.label)办理") }
            guard transfer.status != .awaitingPlacement else { throw Refusal("请为\(transfer.memberName)安排具体团支部") }
            if agree {
                let target = try await Scope.system.organization(transfer.toUnitID, on: db)
                transfer.status = TransferRules.afterApproval(transfer.status, targetIsBranch: target.type.isBranch, startedBy: transfer.startedBy)!
                if transfer.status == .done { done.append(transfer) }
            } else {
                guard let reason else { throw Refusal("不同意时请写明理由") }
                transfer.status = .refused
                transfer.reason = reason
            }
            transfer.updatedAt = change.now
            try await transfer.save(on: db)
            try await event(transfer, agree ? "\(side!.label)同意" : "\(side!.label)不同意：\(reason ?? "")", change).create(on: db)
        }
        try await complete(done, on: db)
        let unit = try await Scope.system.organization(first.fromBranchID, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: agree ? "transfer.agree" : "transfer.refuse", entityType: "transfer",
                               entityID: transfers.count == 1 ? String(first.id!) : (first.batch ?? ""),
                               summary: "\(agree ? "同意" : "不同意") \(transfers.count) 名团员的转接",
                               changes: transfers.prefix(200).map { FieldChange(field: $0.memberName, old: "", new: $0.status.label) })
        return transfers.count
    }

    /// The receiving committee places transfers in one of its branches.
    static func place(_ transfers: [Transfer], in branchID: Int, _ change: ChangeContext, on db: any Database) async throws -> Int {
        guard let first = transfers.first else { return 0 }
        let branch = try await change.scope.activeOrganization(branchID, on: db)
        guard branch.type.isBranch else { throw Refusal("请选择具体的团支部", field: "branch") }
        for transfer in transfers {
            guard transfer.status == .awaitingPlacement, side(of: change.scope, for: transfer) == .receiver else {
                throw Refusal("\(transfer.memberName)的转接不在待安排状态")
            }
            guard TreePath(transfer.toPath)!.contains(branch.treePath) else { throw Refusal("「\(branch.name)」不在接收单位之下", field: "branch") }
            transfer.placedBranchID = branch.id
            transfer.status = .done
            transfer.updatedAt = change.now
            try await transfer.save(on: db)
            try await event(transfer, "安排到「\(branch.name)」", change).create(on: db)
        }
        try await complete(transfers, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(branch),
                               action: "transfer.place", entityType: "transfer", entityID: transfers.count == 1 ? String(first.id!) : (first.batch ?? ""),
                               summary: "\(transfers.count) 名团员转入「\(branch.name)」",
                               changes: transfers.prefix(200).map { FieldChange(field: $0.memberName, old: "", new: branch.name) })
        return transfers.count
    }

    /// Done transfers move their members, all of one destination in one go.
    private static func complete(_ transfers: [Transfer], on db: any Database) async throws {
        for (destination, group) in Dictionary(grouping: transfers, by: { $0.placedBranchID ?? $0.toUnitID }) {
            let branch = try await Scope.system.organization(destination, on: db)
            let members = try await Scope.system.members(on: db).filter(\.$id ~~ group.map(\.memberID)).all()
            try await MemberWrites.relocate(members, to: branch, on: db)
        }
    }

    static func cancel(_ transfer: Transfer, _ change: ChangeContext, on db: any Database) async throws {
        guard transfer.status.isOpen else { throw Refusal("该转接已经\(transfer.status.label)") }
        guard side(of: change.scope, for: transfer) == transfer.startedBy else { throw Refusal("只有发起方可以撤回") }
        transfer.status = .cancelled
        transfer.updatedAt = change.now
        try await transfer.save(on: db)
        try await event(transfer, "\(transfer.startedBy.label)撤回", change).create(on: db)
        let unit = try await Scope.system.organization(transfer.fromBranchID, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit), action: "transfer.cancel",
                               entityType: "transfer", entityID: String(transfer.id!), summary: "撤回\(transfer.memberName)的转接")
    }
}
