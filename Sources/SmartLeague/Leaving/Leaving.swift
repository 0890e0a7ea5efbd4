import Fluent
import LeagueCore
import SQLKit
import Vapor

/// A branch's decision that a member has lapsed (自行脱团), waiting for the level above.
final class LeavingRequest: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "leaving_requests"

    enum Status: String, Codable, Sendable {
        case pending, approved, refused

        var label: String {
            switch self {
            case .pending: "待上级审批"
            case .approved: "已批准"
            case .refused: "未批准"
            }
        }
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "member_id") var memberID: Int
    @Field(key: "member_name") var memberName: String
    @Field(key: "branch_path") var branchPath: TreePath
    @Field(key: "decided_on") var decidedOn: String
    @Field(key: "reason") var reason: String
    @Field(key: "status") var status: Status
    @Field(key: "proposed_by") var proposedBy: String
    @OptionalField(key: "decided_by") var decidedBy: String?
    var declaredProperties: [any AnyProperty] { [
        $id, $memberID, $memberName, $branchPath, $decidedOn, $reason, $status, $proposedBy, $decidedBy
    ] }

    init() {}
}

struct CreateLeavingRequests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LeavingRequest.schema)
            .field("id", .int, .identifier(auto: true))
            .field("member_id", .int, .required, .references(Member.schema, "id"))
            .field("member_name", .string, .required)
            .field("branch_path", database.byteOrderedText, .required)
            .field("decided_on", .string, .required)
            .field("reason", .string, .required)
            .field("status", .string, .required)
            .field("proposed_by", .string, .required)
            .field("decided_by", .string)
            .create()
        try await database.createIndex("leaving_requests_path", on: LeavingRequest.schema, columns: ["branch_path", "status"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LeavingRequest.schema).delete()
    }
}

/// Members leaving the league: the record stays, out of every list and count, with the way and
/// the day; the member's own account is disabled.
enum LeavingWrites {
    static func leave(_ members: [Member], kind: LeavingKind, on day: CalendarDate, reason: String?, today: CalendarDate,
                      _ change: ChangeContext, on db: any Database) async throws {
        guard !members.isEmpty else { return }
        guard day <= today else { throw Refusal("离团日期不能晚于今天", field: "day") }
        if let early = members.first(where: { day.description < $0.joinedOn }) {
            throw Refusal("离团日期不能早于\(early.name)的入团日期 \(early.joinedOn)", field: "day")
        }
        let branches = try await Scope.unrestricted.organizations(on: db).filter(\.$id ~~ Set(members.map(\.branchID))).all()
        let types = Dictionary(uniqueKeysWithValues: branches.map { ($0.id!, $0) })
        var delta = MemberStats.Delta()
        for member in members {
            delta.add(MemberStats.facts(of: member, branchType: types[member.branchID]?.type ?? .branch), at: member.branchPath, -1)
        }
        try await delta.apply(on: db)
        // The same day and way for all of them: one statement, whatever the batch.
        let ids = members.map { $0.id! }
        try await db.sql.update(Member.schema).set("left_on", to: SQLBind(day.description))
            .set("left_reason", to: SQLBind(kind.label + (reason.map { "：\($0)" } ?? ""))).where("id", .in, SQLBind.group(ids)).run()
        let accounts = try await Scope.unrestricted.accounts(on: db).filter(\.$memberID ~~ ids).filter(\.$disabled == false).all()
        try await db.sql.update(Account.schema).set("disabled", to: SQLBind(true)).where("member_id", .in, SQLBind.group(ids)).run()
        // Whatever was under way for them ends with their membership.
        let open = try await Scope.unrestricted.transfers(on: db).filter(\.$memberID ~~ ids)
            .filter(\.$status ~~ [.awaitingSender, .awaitingReceiver, .awaitingPlacement]).all()
        for transfer in open {
            transfer.status = .cancelled
            transfer.reason = "团员已\(kind.label)"
            transfer.updatedAt = change.now
            try await transfer.save(on: db)
        }
        // A request to take them in no longer reaches anyone and lapses, as one for nobody does.
        try await db.sql.update(TransferRequest.schema).set("member_id", to: SQLLiteral.null).set("from_path", to: SQLLiteral.null)
            .where("member_id", .in, SQLBind.group(ids)).where("status", .equal, SQLBind(TransferRequest.Status.pending.rawValue)).run()
        for request in try await Scope.unrestricted.query(LeavingRequest.self, on: db).filter(\.$memberID ~~ ids).filter(\.$status == .pending).all()
        where kind != .lapse {
            request.status = .refused
            request.decidedBy = "团员已\(kind.label)"
            try await request.save(on: db)
        }
        try await Audit.recordMany(on: db, actor: change.actor, at: change.now, members.map { member in
            var changes = [FieldChange(field: "团籍", old: "在籍", new: "\(kind.label)（\(day)）")]
            if accounts.contains(where: { $0.memberID == member.id }) { changes.append(FieldChange(field: "本人账号", old: "启用", new: "停用")) }
            if open.contains(where: { $0.memberID == member.id }) { changes.append(FieldChange(field: "转接", old: "办理中", new: "已撤回")) }
            return Audit.Item(unit: AuditUnit(id: member.branchID, path: member.branchPath), action: "member.leave", entityType: "member",
                              entityID: String(member.id!), summary: "\(member.name)\(kind.label)", changes: changes)
        })
    }

    /// The age-28 list in one action: each must be 28 and hold no league post on the day.
    static func overage(_ ids: [Int], on day: CalendarDate, today: CalendarDate, _ change: ChangeContext, on db: any Database) async throws -> Int {
        let members = try await change.scope.members(on: db).filter(\.$id ~~ ids).all()
        guard members.count == Set(ids).count, !members.isEmpty else { throw Refusal("请勾选本单位的团员") }
        for member in members {
            if let problem = LeavingRules.overageProblem(born: CalendarDate(member.birthDate)!, holdsPost: member.holdsLeaguePost, on: day) {
                throw Refusal("\(member.name)：\(problem)，不能办理超龄离团")
            }
        }
        try await leave(members, kind: .overage, on: day, reason: nil, today: today, change, on: db)
        return members.count
    }

    /// 退团 on the member's written request, as the branch meeting decided.
    static func withdraw(memberID: Int, on day: CalendarDate, reason: String, today: CalendarDate, _ change: ChangeContext,
                         on db: any Database) async throws -> Member {
        let member = try await change.scope.member(memberID, on: db)
        try await leave([member], kind: .withdrawal, on: day, reason: reason, today: today, change, on: db)
        return member
    }

    /// The branch's lapse decision, checked against the dues and meetings on record.
    static func proposeLapse(memberID: Int, on day: CalendarDate, today: CalendarDate, _ change: ChangeContext,
                             on db: any Database) async throws -> LeavingRequest {
        let member = try await change.scope.member(memberID, on: db)
        guard change.scope.root == member.branchPath else {
            throw Refusal("自行脱团由团员所在团支部讨论决定，再报上级审批", field: "lapseNumber")
        }
        guard day <= today else { throw Refusal("支部大会日期不能晚于今天", field: "lapseDay") }
        let settled = Set(try await Scope.unrestricted.query(DuesPayment.self, on: db).filter(\.$memberID == memberID).all(\.$month))
        // Months settled on the paper ledger before this one was kept count as paid (`DuesProfile.settledThrough`).
        let settledThrough = try await DuesProfile.query(on: db).filter(\.$memberID == memberID).first()?.settledThrough
        let start = DuesProfile.ledgerStart(joined: CalendarDate(member.joinedOn) ?? today, settledThrough: settledThrough)
        let arrears = DuesMonths.arrears(joined: start, settled: settled, today: today)
        let since = today.adding(months: -LeavingRules.lapseMonths)
        let recent = try await MeetingWrites.attended(member: memberID, on: db).filter(\.$heldOn >= since.description).count()
        if let problem = LeavingRules.lapseProblem(unpaidRun: arrears.run, meetingsInSixMonths: recent) {
            throw Refusal("\(member.name)不符合自行脱团条件：\(problem)")
        }
        guard try await Scope.unrestricted.query(LeavingRequest.self, on: db).filter(\.$memberID == memberID).filter(\.$status == .pending).count() == 0 else {
            throw Refusal("\(member.name)的脱团决定已在等待上级审批")
        }
        let request = LeavingRequest()
        request.memberID = memberID
        request.memberName = member.name
        request.branchPath = member.branchPath
        request.decidedOn = day.description
        request.reason = "连续 6 个月以上未交团费、未参加组织生活"
        request.status = .pending
        request.proposedBy = change.actor.name
        try await request.create(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: member.branchID, path: member.branchPath),
                               action: "member.lapse.propose", entityType: "member", entityID: String(memberID),
                               summary: "支部决定\(member.name)自行脱团，报上级审批")
        return request
    }

    /// The level above approves or refuses the branch's lapse decision.
    static func decideLapse(_ id: Int, approve: Bool, today: CalendarDate, _ change: ChangeContext, on db: any Database) async throws -> LeavingRequest {
        guard let request = try await change.scope.query(LeavingRequest.self, on: db).filter(\.$id == id).first() else {
            throw Abort(.notFound)
        }
        guard request.status == .pending else { throw Refusal("该决定已经\(request.status.label)") }
        let branch = try await Scope.unrestricted.organization(request.branchPath.ids.last, on: db)
        guard change.scope.isStrictlyAbove(branch) else { throw Refusal("自行脱团须由上级团组织审批") }
        request.status = approve ? .approved : .refused
        request.decidedBy = change.actor.name
        try await request.save(on: db)
        if approve {
            guard let member = try await Scope.unrestricted.members(on: db).filter(\.$id == request.memberID).first() else {
                throw Refusal("\(request.memberName)已不在团籍")
            }
            try await leave([member], kind: .lapse, on: CalendarDate(request.decidedOn) ?? today, reason: request.reason, today: today,
                            change, on: db)
        } else {
            try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: nil, path: request.branchPath),
                                   action: "member.lapse.refuse", entityType: "member", entityID: String(request.memberID),
                                   summary: "不批准\(request.memberName)自行脱团")
        }
        return request
    }

    // MARK: Use cases of the page

    /// A member in reach named by number.
    private static func member(_ number: String?, field: String, _ change: ChangeContext, on db: any Database) async throws -> Member {
        guard let number, let member = try await change.scope.members(on: db).filter(\.$memberNumber == number).first() else {
            throw Refusal("找不到团员编号「\(number ?? "")」，或不在您的管理范围内", field: field)
        }
        return member
    }

    /// 退团 of a member named by number.
    static func withdraw(_ input: WithdrawalForm.Valid, today: CalendarDate, _ change: ChangeContext, on db: any Database) async throws -> Member {
        let member = try await member(input.memberNumber, field: "memberNumber", change, on: db)
        return try await withdraw(memberID: member.id ?? -1, on: input.day, reason: input.reason, today: today, change, on: db)
    }

    /// The lapse decision on a member named by number.
    static func proposeLapse(_ input: LapseForm.Valid, today: CalendarDate, _ change: ChangeContext, on db: any Database) async throws -> LeavingRequest {
        let member = try await member(input.memberNumber, field: "lapseNumber", change, on: db)
        return try await proposeLapse(memberID: member.id ?? -1, on: input.day, today: today, change, on: db)
    }
}
