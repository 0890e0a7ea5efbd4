import Fluent
import LeagueCore
import Vapor

/// The dues table, members' categories, and the treasurer's records, each audited.
enum DuesWrites {
    static func policy(on db: any Database) async throws -> DuesPolicy {
        guard let record = try await DuesPolicyRecord.query(on: db).first() else { return .standard }
        return (try? JSONDecoder().decode(DuesPolicy.self, from: Data(record.policy.utf8))) ?? .standard
    }

    static func setPolicy(_ policy: DuesPolicy, _ change: ChangeContext, on db: any Database) async throws {
        guard change.scope.isCityWide else { throw Refusal("团费标准由团市委确定") }
        if let problem = policy.problem { throw Refusal(problem) }
        let before = try await self.policy(on: db)
        let record = try await DuesPolicyRecord.query(on: db).first() ?? DuesPolicyRecord()
        record.policy = try StoredJSON.text(policy)
        record.updatedAt = change.now
        try await record.save(on: db)
        let root = try await Scope.unrestricted.organizations(on: db).filter(\.$parentID == nil).first()!
        let fields: [(String, KeyPath<DuesPolicy, Int>)] = [("学生等（分/月）", \.flatFen), ("农民（分/月）", \.farmerFen),
            ("低收入档（分/月）", \.lowIncomeFen), ("起征收入（分）", \.thresholdFen), ("比例（‰）", \.perMille), ("封顶（分/月）", \.capFen)]
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(root),
                               action: "dues.policy", entityType: "dues_policy", entityID: String(record.id!), summary: "调整团费标准",
                               changes: fields.compactMap { label, key in
                                   before[keyPath: key] == policy[keyPath: key] ? nil
                                       : FieldChange(field: label, old: String(before[keyPath: key]), new: String(policy[keyPath: key]))
                               })
    }

    static func setProfile(_ input: DuesProfileForm.Valid, _ change: ChangeContext, on db: any Database) async throws {
        let (memberID, category, incomeFen) = (input.memberID, input.category, input.incomeFen)
        let member = try await change.scope.member(memberID, on: db)
        guard incomeFen >= 0 else { throw Refusal("收入不能为负数", field: "income") }
        let profile = try await DuesProfile.query(on: db).filter(\.$memberID == memberID).first() ?? DuesProfile()
        let before = profile.id == nil ? "" : "\(profile.category.label)，\(Money.yuan(profile.incomeFen)) 元"
        profile.memberID = memberID
        profile.category = category
        profile.incomeFen = category == .salaried ? incomeFen : 0
        profile.updatedAt = change.now
        try await profile.save(on: db)
        let branch = try await Scope.unrestricted.organization(member.branchID, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(branch),
                               action: "dues.profile", entityType: "member", entityID: String(memberID),
                               summary: "\(member.name)的团费类别", changes: [FieldChange(
                                   field: "类别与收入", old: before, new: "\(category.label)，\(Money.yuan(profile.incomeFen)) 元")])
    }

    /// The treasurer records a month: paid at the member's due, reduced with a reason, or waived.
    static func record(_ input: DuesPaymentForm.Valid, today: CalendarDate, _ change: ChangeContext, on db: any Database) async throws -> DuesPayment {
        let (memberID, month, kind, amountFen, reason) = (input.memberID, input.month, input.kind, input.amountFen, input.reason)
        let member = try await change.scope.member(memberID, on: db)
        guard CalendarDate("\(month)-01") != nil, month.count == 7 else { throw Refusal("月份格式应为 2026-11", field: "month") }
        guard month <= DuesMonths.month(of: today) else { throw Refusal("不能登记以后月份的团费", field: "month") }
        guard month >= String(member.joinedOn.prefix(7)) else { throw Refusal("\(member.name)于 \(member.joinedOn) 入团，此前不需交团费", field: "month") }
        guard try await Scope.unrestricted.query(DuesPayment.self, on: db).filter(\.$memberID == memberID).filter(\.$month == month).count() == 0 else {
            throw Refusal("\(member.name) \(month) 的团费已登记", field: "month")
        }
        let profile = try await DuesProfile.query(on: db).filter(\.$memberID == memberID).first()
        guard let profile else { throw Refusal("请先登记\(member.name)的团费类别", field: "member") }
        if let settled = profile.settledThrough, month <= settled {
            throw Refusal("\(member.name) \(settled) 及以前的团费已在启用本台账前结清", field: "month")
        }
        let due = try await policy(on: db).monthlyDue(profile.category, incomeFen: profile.incomeFen)
        let amount: Int
        switch kind {
        case .paid: amount = amountFen ?? due
            guard amount == due else { throw Refusal("\(member.name)每月应交 \(Money.yuan(due)) 元；少交请按减缴登记", field: "amount") }
        case .reduced:
            guard reason != nil else { throw Refusal("减缴须写明理由（支部大会同意、基层团委批准）", field: "reason") }
            guard let amountFen, amountFen > 0, amountFen < due else { throw Refusal("减缴金额应大于 0、小于应交的 \(Money.yuan(due)) 元", field: "amount") }
            amount = amountFen
        case .waived:
            guard reason != nil else { throw Refusal("免缴须写明理由（支部大会同意、基层团委批准）", field: "reason") }
            amount = 0
        }
        let payment = DuesPayment()
        payment.memberID = memberID
        payment.branchID = member.branchID
        payment.branchPath = member.branchPath
        payment.month = month
        payment.kind = kind
        payment.amountFen = amount
        payment.reason = reason
        payment.recordedBy = change.actor.name
        payment.at = change.now
        try await payment.create(on: db)
        try await DuesMonthTotals.add(amountFen: amount, month: month, at: member.branchPath, on: db)
        let branch = try await Scope.unrestricted.organization(member.branchID, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(branch),
                               action: "dues.\(kind.rawValue)", entityType: "dues_payment", entityID: String(payment.id!),
                               summary: "\(member.name) \(month) 团费\(kind.label) \(Money.yuan(amount)) 元",
                               changes: FieldChange.created(["月份": month, "方式": kind.label, "金额": Money.yuan(amount) + " 元",
                                                             "理由": reason ?? ""]))
        return payment
    }
}
