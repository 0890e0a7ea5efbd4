import Fluent
import LeagueCore
import Vapor

/// 组织关系转接: the list both sides and the member see, starting (one member, a whole class,
/// or the member's own request), agreeing, placing, and the history.
struct TransferController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let transfers = routes.grouped("transfers")
        transfers.get(use: index)
        transfers.post(use: start)
        transfers.post("class", use: startClass)
        transfers.post("request", use: request)
        transfers.get(":id", use: show)
        transfers.post(":id", ":action", use: act)
        transfers.post("batches", ":batch", ":action", use: actOnBatch)
        transfers.post("requests", ":id", ":action", use: answerRequest)
    }

    struct Row: Encodable {
        let id: Int
        let member: String
        let from: String
        let to: String
        let status: String
        let direction: String
        let graduate: Bool
        let batch: String
    }

    struct BatchRow: Encodable {
        let batch: String
        let count: Int
        let to: String
        let status: String
        let canAgree: Bool
    }

    struct IndexPage: Encodable {
        let isMember: Bool
        let rows: [Row]
        let hasRows: Bool
        let batches: [BatchRow]
        let hasBatches: Bool
        let deadline: String
        let daysLeft: String
        let isBranch: Bool
        let unitID: Int
        /// Requests this side filed to take members in: only what it typed, until the holder agrees.
        let outgoingRequests: [RequestRow]
        /// Requests for members this side holds, to answer.
        let incomingRequests: [RequestRow]
        let hasOutgoingRequests: Bool
        let hasIncomingRequests: Bool
        let form: FormState
    }

    struct RequestRow: Encodable {
        let id: Int
        let member: String
        let number: String
        let to: String
        let status: String
        let isOpen: Bool
        let transferID: Int?
        let requestedBy: String
        let at: String
    }

    private func indexPage(_ req: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let actor = try req.requireActor()
        let transfers = try await req.scope.transfers(on: req.db).sort(\.$updatedAt, .descending).range(0..<300).all()
        let names = try await Directory.unitNames(transfers.flatMap { [$0.fromBranchID, $0.toUnitID] }, on: req.db)
        let today = req.today
        let deadline = TransferRules.graduateDeadline(year: today.year)
        let open = transfers.filter { $0.status.isOpen && $0.batch != nil }
        let batches = Dictionary(grouping: open, by: { $0.batch! }).map { batch, group in
            BatchRow(batch: batch, count: group.count, to: names[group[0].toUnitID] ?? "", status: group[0].status.label,
                     canAgree: group.allSatisfy { transfer in
                         TransferWrites.awaited(transfer).map { TransferWrites.acts(req.scope, as: $0, for: transfer) } == true
                             && transfer.status != .awaitingPlacement
                     })
        }.sorted { $0.batch < $1.batch }
        let unit = try await req.scope.organizations(on: req.db).filter(\.$id == actor.unitID).first()
        let requests = actor.kind == .administrator
            ? try await req.scope.transferRequests(on: req.db).sort(\.$id, .descending).range(0..<200).all() : []
        let targets = try await Directory.unitNames(requests.map(\.toUnitID), on: req.db)
        let now = req.now
        func row(_ request: TransferRequest) -> RequestRow {
            RequestRow(id: request.id!, member: request.memberName, number: request.memberNumber, to: targets[request.toUnitID] ?? "",
                       status: request.label(at: now), isOpen: request.isOpen(at: now), transferID: request.transferID,
                       requestedBy: request.requestedBy, at: ChinaTime.dateTimeString(request.createdAt))
        }
        // A request is the holder's to answer when the member is in reach; otherwise it is the receiver's own.
        let incoming = requests.filter { request in request.fromPath.map(req.scope.contains) ?? false }
        let outgoing = requests.filter { request in !incoming.contains { $0 === request } }
        return try await req.page("transfers/index", title: "组织关系转接", IndexPage(
            isMember: actor.kind == .member,
            rows: transfers.map { transfer in
                Row(id: transfer.id!, member: transfer.memberName, from: names[transfer.fromBranchID] ?? "", to: names[transfer.toUnitID] ?? "",
                    status: transfer.status.label, direction: TransferWrites.side(of: req.scope, for: transfer) == .receiver ? "转入" : "转出",
                    graduate: transfer.graduate, batch: transfer.batch ?? "")
            },
            hasRows: !transfers.isEmpty, batches: batches, hasBatches: !batches.isEmpty, deadline: deadline.description,
            daysLeft: TransferRules.daysLeft(until: deadline, from: today).map { "还有 \($0) 天" } ?? "已过截止日期",
            isBranch: unit?.type.isBranch ?? false, unitID: actor.unitID,
            outgoingRequests: outgoing.map(row), incomingRequests: incoming.map(row),
            hasOutgoingRequests: !outgoing.isEmpty, hasIncomingRequests: !incoming.isEmpty, form: form), status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await indexPage(req, form: FormState(), status: .ok)
    }

    /// The receiving unit may be anywhere in the city: a transfer names where it goes.
    private static func target(_ raw: String?, on db: any Database) async throws -> Organization {
        let key = (raw ?? "").trimmingCharacters(in: .whitespaces)
        guard let unit = try await Directory.activeUnit(codeOrName: key, on: db) else {
            throw Refusal("找不到接收单位「\(key)」", field: "target")
        }
        return unit
    }

    private func write<T: Sendable>(_ req: Request, _ state: FormState, flash: @escaping @Sendable (T) -> String,
                                    back: String = "/transfers",
                                    _ body: @escaping @Sendable (any Database, ChangeContext) async throws -> T) async throws -> Response {
        try await req.submit(state, back: { _ in back }, flash: flash, page: { state in
            try await indexPage(req, form: state, status: .unprocessableEntity)
        }, body)
    }

    /// An administrator starts one transfer of a member in reach (as sender), named by member
    /// number and name. A member beyond reach is asked for from the unit holding them (转入申请):
    /// the answer is the same whether the number and name match anyone.
    @Sendable func start(req: Request) async throws -> Response {
        guard try req.requireActor().kind == .administrator else { throw Abort(.notFound) }
        let form = try req.form()
        var state = FormState(values: form)
        let number = state.check("memberNumber") { try FormField.requiredText(form["memberNumber"], label: "团员编号", max: 20) }
        let name = state.check("memberName") { try FormField.requiredText(form["memberName"], label: "姓名", max: 30) }
        let targetKey = form["target"]
        let graduate = form["graduate"] == "1"
        return try await write(req, state, flash: { (started: Started) in
            switch started {
            case .transfer(let name): "已发起\(name)的转接。"
            case .request: "已向团员所在单位发出转入申请，对方同意后即办理转接。"
            }
        }) { db, change in
            let target = try await Self.target(targetKey, on: db)
            if let member = try await change.scope.members(on: db).filter(\.$memberNumber == number!).filter(\.$name == name!).first() {
                let started = try await TransferWrites.start(members: [member], to: target, side: .sender, graduate: graduate, batch: nil,
                                                             change, on: db)
                return .transfer(started.first?.memberName ?? member.name)
            }
            guard change.scope.contains(target) else {
                throw Refusal("团员编号与姓名不符，或接收单位不在您的管理范围内", field: "memberNumber")
            }
            _ = try await TransferRequests.file(number: number!, name: name!, to: target, graduate: graduate, change, on: db)
            return .request
        }
    }

    enum Started: Sendable {
        case transfer(String)
        case request
    }

    /// A branch sends its whole graduating class in one action.
    @Sendable func startClass(req: Request) async throws -> Response {
        let form = try req.form()
        let state = FormState(values: form)
        let branchID = Int(form["branch"] ?? "") ?? -1
        let targetKey = form["target"]
        let batch = "\(req.today.year)-\(branchID)-\(Int(req.now.timeIntervalSince1970))"
        return try await write(req, state, flash: { (transfers: [Transfer]) in "已发起整班转接，共 \(transfers.count) 名团员。" }) { db, change in
            let branch = try await change.scope.activeOrganization(branchID, on: db)
            guard branch.type.isBranch else { throw Refusal("整班转接须从团支部发起") }
            let members = try await change.scope.members(on: db).filter(\.$branchID == branchID).all()
            guard !members.isEmpty else { throw Refusal("「\(branch.name)」没有团员") }
            return try await TransferWrites.start(members: members, to: try await Self.target(targetKey, on: db), side: .sender, graduate: true, batch: batch,
                                                  change, on: db)
        }
    }

    /// A member asks to move.
    @Sendable func request(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard let memberID = actor.memberID else { throw Abort(.notFound) }
        let form = try req.form()
        let state = FormState(values: form)
        let targetKey = form["target"]
        let graduate = form["graduate"] == "1"
        return try await write(req, state, flash: { (_: [Transfer]) in "转接申请已提交，等待所在团支部同意。" }) { db, change in
            let member = try await change.scope.member(memberID, on: db)
            return try await TransferWrites.start(members: [member], to: try await Self.target(targetKey, on: db), side: .member, graduate: graduate,
                                                  batch: nil, change, on: db)
        }
    }

    struct EventRow: Encodable {
        let what: String
        let by: String
        let at: String
    }

    struct BranchChoice: Encodable {
        let id: Int
        let name: String
    }

    struct ShowPage: Encodable {
        let id: Int
        let member: String
        let from: String
        let to: String
        let status: String
        let startedBy: String
        let events: [EventRow]
        let canDecide: Bool
        let canPlace: Bool
        let canCancel: Bool
        let branches: [BranchChoice]
    }

    @Sendable func show(req: Request) async throws -> Response {
        let transfer = try await req.scope.transfer(try req.id(), on: req.db)
        let names = try await Directory.unitNames([transfer.fromBranchID, transfer.toUnitID] + [transfer.placedBranchID].compactMap { $0 },
                                                             on: req.db)
        let events = try await TransferEvent.query(on: req.db).filter(\.$transferID == transfer.id!).sort(\.$id).all()
        let awaited = TransferWrites.awaited(transfer)
        var branches: [BranchChoice] = []
        if transfer.status == .awaitingPlacement && TransferWrites.acts(req.scope, as: .receiver, for: transfer) {
            branches = try await Scope(reach: .subtree(transfer.toPath)).within(req.scope.organizations(on: req.db), \Organization.$path)
                .filter(\.$status == .active).filter(\.$type ~~ OrganizationType.allCases.filter(\.isBranch)).sort(\.$path).range(0..<500).all()
                .map { BranchChoice(id: $0.id!, name: $0.name) }
        }
        return try await req.page("transfers/show", title: "组织关系转接", ShowPage(
            id: transfer.id!, member: transfer.memberName, from: names[transfer.fromBranchID] ?? "",
            to: (names[transfer.toUnitID] ?? "") + (transfer.placedBranchID.flatMap { names[$0] }.map { " → \($0)" } ?? ""),
            status: transfer.status.label, startedBy: transfer.startedBy.label,
            events: events.map { EventRow(what: $0.what, by: $0.by, at: ChinaTime.dateTimeString($0.at)) },
            canDecide: awaited.map { TransferWrites.acts(req.scope, as: $0, for: transfer) } == true && transfer.status != .awaitingPlacement,
            canPlace: !branches.isEmpty,
            canCancel: transfer.status.isOpen && TransferWrites.acts(req.scope, as: transfer.startedBy, for: transfer), branches: branches))
    }

    private func perform(_ req: Request, _ transfers: [Transfer], action: String, back: String) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        let reason = state.check("reason") { try FormField.text(form["reason"], label: "理由", required: false, max: 200) } ?? nil
        let branch = Int(form["branch"] ?? "") ?? -1
        return try await write(req, state, flash: { (count: Int) in "已办理 \(count) 名团员的转接。" }, back: back) { db, change in
            switch action {
            case "agree": return try await TransferWrites.decide(transfers, agree: true, reason: nil, change, on: db)
            case "refuse": return try await TransferWrites.decide(transfers, agree: false, reason: reason, change, on: db)
            case "place": return try await TransferWrites.place(transfers, in: branch, change, on: db)
            case "cancel":
                for transfer in transfers { try await TransferWrites.cancel(transfer, change, on: db) }
                return transfers.count
            default: throw Abort(.notFound)
            }
        }
    }

    @Sendable func act(req: Request) async throws -> Response {
        let transfer = try await req.scope.transfer(try req.id(), on: req.db)
        return try await perform(req, [transfer], action: req.parameters.get("action") ?? "", back: "/transfers/\(transfer.id!)")
    }

    /// The holding side agrees to or refuses a request to take a member in; the receiver withdraws it.
    @Sendable func answerRequest(req: Request) async throws -> Response {
        let id = try req.id()
        let action = req.parameters.get("action") ?? ""
        guard ["agree", "refuse", "withdraw"].contains(action) else { throw Abort(.notFound) }
        let form = try req.form()
        var state = FormState(values: form)
        let reason = state.check("reason") { try FormField.text(form["reason"], label: "理由", required: false, max: 200) } ?? nil
        return try await write(req, state, flash: { (request: TransferRequest) in "转入申请：\(request.status.label)。" }) { db, change in
            switch action {
            case "agree": try await TransferRequests.answer(id, agree: true, reason: nil, change, on: db)
            case "refuse": try await TransferRequests.answer(id, agree: false, reason: reason, change, on: db)
            default: try await TransferRequests.withdraw(id, change, on: db)
            }
        }
    }

    @Sendable func actOnBatch(req: Request) async throws -> Response {
        let batch = req.parameters.get("batch") ?? ""
        let transfers = try await req.scope.transfers(on: req.db).filter(\.$batch == batch)
            .filter(\.$status ~~ [.awaitingSender, .awaitingReceiver, .awaitingPlacement]).all()
        guard !transfers.isEmpty else { throw Abort(.notFound) }
        return try await perform(req, transfers, action: req.parameters.get("action") ?? "", back: "/transfers")
    }
}
