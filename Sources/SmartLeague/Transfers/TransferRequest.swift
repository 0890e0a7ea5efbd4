import Fluent
import LeagueCore
import SQLKit
import Vapor

/// A receiver's request to take in a member beyond its reach, named by member number and name
/// (转入申请). It is answered by the unit holding that member, if one does; until then the
/// receiver sees only what it typed.
final class TransferRequest: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "transfer_requests"

    enum Status: String, Codable, Sendable {
        case pending, agreed, refused, withdrawn

        var label: String {
            switch self {
            case .pending: "待转出方确认"
            case .agreed: "转出方已同意"
            case .refused: "转出方未同意"
            case .withdrawn: "已撤回"
            }
        }
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "member_number") var memberNumber: String
    @Field(key: "member_name") var memberName: String
    @Field(key: "to_unit_id") var toUnitID: Int
    @Field(key: "to_path") var toPath: TreePath
    /// The member the number and name found, and their branch, which answers; nil when none matched.
    @OptionalField(key: "member_id") var memberID: Int?
    @OptionalField(key: "from_path") var fromPath: TreePath?
    @Field(key: "graduate") var graduate: Bool
    @Field(key: "status") var status: Status
    @OptionalField(key: "reason") var reason: String?
    /// The transfer the holder's agreement started.
    @OptionalField(key: "transfer_id") var transferID: Int?
    @Field(key: "requested_by") var requestedBy: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "decided_by") var decidedBy: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    var declaredProperties: [any AnyProperty] { [
        $id, $memberNumber, $memberName, $toUnitID, $toPath, $memberID, $fromPath, $graduate, $status, $reason, $transferID,
        $requestedBy, $createdAt, $decidedBy, $decidedAt
    ] }

    init() {}
}

/// Where a request stands: its status and when it was made, for a pending one lapses. A request
/// and a row of the list (`TransferQueries.ListedRequest`) both have them.
protocol TransferRequestStanding {
    var status: TransferRequest.Status { get }
    var createdAt: Date { get }
}

extension TransferRequestStanding {
    /// The status as both sides see it: a pending request past its time has lapsed.
    func label(at now: Date) -> String {
        status == .pending && TransferRequestRules.hasLapsed(requestedAt: createdAt, now: now) ? "已过期（转出方未确认）" : status.label
    }

    func isOpen(at now: Date) -> Bool {
        status == .pending && !TransferRequestRules.hasLapsed(requestedAt: createdAt, now: now)
    }
}

extension TransferRequest: TransferRequestStanding {}

struct CreateTransferRequests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let path = database.byteOrderedText
        try await database.schema(TransferRequest.schema)
            .field("id", .int, .identifier(auto: true))
            .field("member_number", .string, .required)
            .field("member_name", .string, .required)
            .field("to_unit_id", .int, .required, .references(Organization.schema, "id"))
            .field("to_path", path, .required)
            .field("member_id", .int, .references(Member.schema, "id"))
            .field("from_path", path)
            .field("graduate", .bool, .required)
            .field("status", .string, .required)
            .field("reason", .string)
            .field("transfer_id", .int, .references(Transfer.schema, "id"))
            .field("requested_by", .string, .required)
            .field("created_at", .datetime, .required)
            .field("decided_by", .string)
            .field("decided_at", .datetime)
            .create()
        try await database.createIndex("transfer_requests_to", on: TransferRequest.schema, columns: ["to_path", "status"])
        try await database.createIndex("transfer_requests_from", on: TransferRequest.schema, columns: ["from_path", "status"])
        try await database.createIndex("transfer_requests_member", on: TransferRequest.schema, columns: ["member_id", "status"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TransferRequest.schema).delete()
    }
}

/// Filing, answering and withdrawing requests to take a member in.
enum TransferRequests {
    /// Filed by a receiver for a member beyond its reach: whether the number and name match
    /// anyone changes nothing the receiver sees.
    static func file(number: String, name: String, to target: Organization, graduate: Bool, _ change: ChangeContext,
                     on db: any Database) async throws -> TransferRequest {
        let request = TransferRequest()
        request.memberNumber = number
        request.memberName = name
        request.toUnitID = target.id!
        request.toPath = target.path
        request.graduate = graduate
        request.status = .pending
        request.requestedBy = change.actor.name
        request.createdAt = change.now
        // The holder answers only a member who is still a member and is not already going somewhere.
        if let member = try await Scope.unrestricted.members(on: db).filter(\.$memberNumber == number).filter(\.$name == name).first(),
           !target.path.contains(member.branchPath) {
            request.memberID = member.id
            request.fromPath = member.branchPath
        }
        try await request.create(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(target),
                               action: "transfer.request", entityType: "transfer_request", entityID: String(request.id!),
                               summary: "申请将团员 \(name)（\(number)）转入「\(target.name)」",
                               changes: FieldChange.created(["团员编号": number, "姓名": name, "转入单位": target.name]))
        return request
    }

    /// The holding side agrees (the transfer starts, agreed by it, in the same transaction) or refuses.
    static func answer(_ id: Int, agree: Bool, reason: String?, _ change: ChangeContext, on db: any Database) async throws -> TransferRequest {
        let request = try await change.scope.transferRequest(id, on: db)
        guard let fromPath = request.fromPath, change.scope.contains(fromPath) else {
            throw Refusal("转入申请由团员所在单位确认")
        }
        guard request.isOpen(at: change.now) else { throw Refusal("该申请\(request.label(at: change.now))") }
        if agree {
            guard let member = try await change.scope.members(on: db).filter(\.$id == (request.memberID ?? -1)).first() else {
                throw Refusal("该团员已不在本单位")
            }
            let target = try await Scope.unrestricted.organization(request.toUnitID, on: db)
            let started = try await TransferWrites.start(members: [member], to: target, side: .receiver, graduate: request.graduate,
                                                         batch: nil, change, on: db)
            _ = try await TransferWrites.decide(started, agree: true, reason: nil, change, on: db)
            request.transferID = started.first?.id
            request.status = .agreed
        } else {
            guard let reason else { throw Refusal("不同意时请写明理由", field: "reason") }
            request.status = .refused
            request.reason = reason
        }
        request.decidedBy = change.actor.name
        request.decidedAt = change.now
        try await request.save(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: nil, path: fromPath),
                               action: agree ? "transfer.request_agree" : "transfer.request_refuse", entityType: "transfer_request",
                               entityID: String(id), summary: "\(agree ? "同意" : "不同意")\(request.memberName)转入申请",
                               changes: [FieldChange(field: "状态", old: TransferRequest.Status.pending.label, new: request.status.label)])
        return request
    }

    /// The receiver takes its request back.
    static func withdraw(_ id: Int, _ change: ChangeContext, on db: any Database) async throws -> TransferRequest {
        let request = try await change.scope.transferRequest(id, on: db)
        guard change.scope.contains(request.toPath) else { throw Refusal("只有申请方可以撤回") }
        guard request.status == .pending else { throw Refusal("该申请\(request.label(at: change.now))") }
        request.status = .withdrawn
        request.decidedBy = change.actor.name
        request.decidedAt = change.now
        try await request.save(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: request.toUnitID, path: request.toPath),
                               action: "transfer.request_withdraw", entityType: "transfer_request", entityID: String(id),
                               summary: "撤回\(request.memberName)的转入申请",
                               changes: [FieldChange(field: "状态", old: TransferRequest.Status.pending.label, new: request.status.label)])
        return request
    }

    enum Action: String, Sendable {
        case agree, refuse, withdraw
    }

    static func perform(_ action: Action, on id: Int, reason: String?, _ change: ChangeContext, on db: any Database) async throws -> TransferRequest {
        switch action {
        case .agree: try await answer(id, agree: true, reason: nil, change, on: db)
        case .refuse: try await answer(id, agree: false, reason: reason, change, on: db)
        case .withdraw: try await withdraw(id, change, on: db)
        }
    }
}
