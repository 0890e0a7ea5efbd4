import Fluent
import LeagueCore
import Vapor

/// Starting, agreeing to, placing and ending transfers; each write audited on both sides.
enum TransferWrites {
    /// Which side of a transfer the caller stands on, for showing its direction: an administrator
    /// above both ends sees it as going out.
    static func side(of scope: Scope, for transfer: some TransferParties) -> TransferSide? {
        [TransferSide.member, .sender, .receiver].first { acts(scope, as: $0, for: transfer) }
    }

    /// Whether the caller may act as `side` of the transfer.
    static func acts(_ scope: Scope, as side: TransferSide, for transfer: some TransferParties) -> Bool {
        switch side {
        case .member: if case .ownAccount(_, let member) = scope.reach { member == transfer.memberID } else { false }
        case .sender: scope.contains(transfer.fromPath)
        case .receiver: scope.contains(transfer.toPath)
        }
    }

    /// The side the transfer waits for, if it waits.
    static func awaited(_ transfer: some TransferParties) -> TransferSide? {
        switch transfer.status {
        case .awaitingSender: .sender
        case .awaitingReceiver, .awaitingPlacement: .receiver
        default: nil
        }
    }

    /// One audit entry per member, in the unit the member is in: a class transfer leaves a record
    /// for each of its members.
    private static func audit(_ transfers: [Transfer], action: String, summary: (Transfer) -> String, _ change: ChangeContext,
                              on db: any Database) async throws {
        try await Audit.recordMany(on: db, actor: change.actor, at: change.now, transfers.map { transfer in
            Audit.Item(unit: AuditUnit(id: transfer.fromBranchID, path: transfer.fromPath), action: action, entityType: "transfer",
                       entityID: String(transfer.id!), summary: summary(transfer),
                       changes: [FieldChange(field: "状态", old: "", new: transfer.status.label)])
        })
    }

    /// Starts transfers of members to a unit; `side` says who asks. A whole class shares a batch.
    static func start(members: [Member], to target: Organization, side: TransferSide, graduate: Bool, batch: String?,
                      _ change: ChangeContext, on db: any Database) async throws -> [Transfer] {
        guard target.isActive else { throw Refusal("接收单位已撤销", field: "target") }
        guard target.type.isBranch || target.type.canHold(.branch) else { throw Refusal("只能转入团支部或其上级团组织", field: "target") }
        var started: [Transfer] = []
        let busy = Set(try await Scope.unrestricted.transfers(on: db).filter(\.$memberID ~~ members.map { $0.id! })
            .filter(\.$status ~~ [.awaitingSender, .awaitingReceiver, .awaitingPlacement]).all(\.$memberID))
        for member in members {
            if target.path.contains(member.branchPath) {
                throw Refusal("\(member.name)已在「\(target.name)」", field: "target")
            }
            if busy.contains(member.id!) { throw Refusal("\(member.name)已有正在办理的转接") }
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
        try await audit(started, action: "transfer.start", summary: { "\(side.label)发起\($0.memberName)转至「\(target.name)」" }, change, on: db)
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
        guard !transfers.isEmpty else { return 0 }
        var done: [Transfer] = []
        for transfer in transfers {
            guard let awaited = awaited(transfer) else { throw Refusal("该转接已经\(transfer.status.label)") }
            guard acts(change.scope, as: awaited, for: transfer) else { throw Refusal("该转接\(transfer.status.label)，须由\(awaited.label)办理") }
            guard transfer.status != .awaitingPlacement else { throw Refusal("请为\(transfer.memberName)安排具体团支部") }
            if agree {
                let target = try await Scope.unrestricted.organization(transfer.toUnitID, on: db)
                transfer.status = TransferRules.afterApproval(transfer.status, targetIsBranch: target.type.isBranch, startedBy: transfer.startedBy)!
                if transfer.status == .done { done.append(transfer) }
            } else {
                guard let reason else { throw Refusal("不同意时请写明理由") }
                transfer.status = .refused
                transfer.reason = reason
            }
            transfer.updatedAt = change.now
            try await transfer.save(on: db)
            try await event(transfer, agree ? "\(awaited.label)同意" : "\(awaited.label)不同意：\(reason ?? "")", change).create(on: db)
        }
        try await complete(done, on: db)
        try await audit(transfers, action: agree ? "transfer.agree" : "transfer.refuse",
                        summary: { "\(agree ? "同意" : "不同意")\($0.memberName)的转接" }, change, on: db)
        return transfers.count
    }

    /// The receiving committee places transfers in one of its branches.
    static func place(_ transfers: [Transfer], in branchID: Int, _ change: ChangeContext, on db: any Database) async throws -> Int {
        guard !transfers.isEmpty else { return 0 }
        let branch = try await change.scope.activeOrganization(branchID, on: db)
        guard branch.type.isBranch else { throw Refusal("请选择具体的团支部") }
        for transfer in transfers {
            guard transfer.status == .awaitingPlacement, acts(change.scope, as: .receiver, for: transfer) else {
                throw Refusal("\(transfer.memberName)的转接不在待安排状态")
            }
            guard transfer.toPath.contains(branch.path) else { throw Refusal("「\(branch.name)」不在接收单位之下") }
            transfer.placedBranchID = branch.id
            transfer.status = .done
            transfer.updatedAt = change.now
            try await transfer.save(on: db)
            try await event(transfer, "安排到「\(branch.name)」", change).create(on: db)
        }
        try await complete(transfers, on: db)
        try await audit(transfers, action: "transfer.place", summary: { "\($0.memberName)转入「\(branch.name)」" }, change, on: db)
        return transfers.count
    }

    /// Done transfers move their members, all of one destination in one go.
    private static func complete(_ transfers: [Transfer], on db: any Database) async throws {
        for (destination, group) in Dictionary(grouping: transfers, by: { $0.placedBranchID ?? $0.toUnitID }) {
            let branch = try await Scope.unrestricted.organization(destination, on: db)
            let members = try await Scope.unrestricted.members(on: db).filter(\.$id ~~ group.map(\.memberID)).all()
            try await MemberWrites.relocate(members, to: branch, on: db)
        }
    }

    static func cancel(_ transfer: Transfer, _ change: ChangeContext, on db: any Database) async throws {
        guard transfer.status.isOpen else { throw Refusal("该转接已经\(transfer.status.label)") }
        guard acts(change.scope, as: transfer.startedBy, for: transfer) else { throw Refusal("只有发起方可以撤回") }
        transfer.status = .cancelled
        transfer.updatedAt = change.now
        try await transfer.save(on: db)
        try await event(transfer, "\(transfer.startedBy.label)撤回", change).create(on: db)
        try await audit([transfer], action: "transfer.cancel", summary: { "撤回\($0.memberName)的转接" }, change, on: db)
    }

    // MARK: Use cases of the pages

    /// What an administrator's start led to.
    enum Started: Sendable {
        case transfer(String)
        case request
    }

    /// The receiving unit may be anywhere in the city: a transfer names where it goes.
    static func target(_ key: String, on db: any Database) async throws -> Organization {
        guard let unit = try await Directory.activeUnit(codeOrName: key, on: db) else {
            throw Refusal("找不到接收单位「\(key)」", field: "target")
        }
        return unit
    }

    /// An administrator starts one transfer of a member in reach (as sender), named by member
    /// number and name. A member beyond reach is asked for from the unit holding them (转入申请):
    /// the answer is the same whether the number and name match anyone.
    static func start(_ input: StartTransferForm.Valid, _ change: ChangeContext, on db: any Database) async throws -> Started {
        let target = try await target(input.target, on: db)
        if let member = try await change.scope.members(on: db).filter(\.$memberNumber == input.memberNumber)
            .filter(\.$name == input.memberName).first() {
            let started = try await start(members: [member], to: target, side: .sender, graduate: input.graduate, batch: nil, change, on: db)
            return .transfer(started.first?.memberName ?? member.name)
        }
        guard change.scope.contains(target) else {
            throw Refusal("团员编号与姓名不符，或接收单位不在您的管理范围内", field: "memberNumber")
        }
        _ = try await TransferRequests.file(number: input.memberNumber, name: input.memberName, to: target, graduate: input.graduate,
                                            change, on: db)
        return .request
    }

    /// A branch sends its whole graduating class in one action, as one batch.
    static func startClass(branchID: Int?, to targetKey: String, _ change: ChangeContext, on db: any Database) async throws -> [Transfer] {
        let branch = try await change.scope.activeOrganization(branchID, on: db)
        guard branch.type.isBranch else { throw Refusal("整班转接须从团支部发起") }
        let members = try await change.scope.members(on: db).filter(\.$branchID == branch.id ?? -1).all()
        guard !members.isEmpty else { throw Refusal("「\(branch.name)」没有团员") }
        let batch = "\(ChinaTime.dateString(change.now).prefix(4))-\(branch.id ?? 0)-\(Int(change.now.timeIntervalSince1970))"
        return try await start(members: members, to: try await target(targetKey, on: db), side: .sender, graduate: true, batch: batch,
                               change, on: db)
    }

    /// A member asks to move.
    static func request(memberID: Int, to targetKey: String, graduate: Bool, _ change: ChangeContext, on db: any Database) async throws -> [Transfer] {
        let member = try await change.scope.member(memberID, on: db)
        return try await start(members: [member], to: try await target(targetKey, on: db), side: .member, graduate: graduate, batch: nil,
                               change, on: db)
    }

    enum Action: String, Sendable {
        case agree, refuse, place, cancel
    }

    /// One action on one transfer or every open one of a class; returns how many it moved on.
    static func perform(_ action: Action, on transfers: [Transfer], _ decision: TransferDecisionForm.Valid, _ change: ChangeContext,
                        on db: any Database) async throws -> Int {
        switch action {
        case .agree: return try await decide(transfers, agree: true, reason: nil, change, on: db)
        case .refuse: return try await decide(transfers, agree: false, reason: decision.reason, change, on: db)
        case .place: return try await place(transfers, in: decision.branchID ?? -1, change, on: db)
        case .cancel:
            for transfer in transfers { try await cancel(transfer, change, on: db) }
            return transfers.count
        }
    }
}
