import Fluent
import LeagueCore
import Vapor

/// 组织关系转接: the list both sides and the member see, starting (one member, a whole class, or
/// the member's own request), agreeing, placing, and requests to take a member in.
struct TransferController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(TransferRoute.index, use: index)
        routes.post(TransferRoute.start, use: start)
        routes.post(TransferRoute.startClass, use: startClass)
        routes.post(TransferRoute.request, use: request)
        routes.get(TransferRoute.show(.key), use: show)
        routes.post(TransferRoute.act(.key, .key), use: act)
        routes.post(TransferRoute.batch(.key, .key), use: actOnBatch)
        routes.post(TransferRoute.answerRequest(.key, .key), use: answerRequest)
    }

    private func listPage(_ req: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let actor = try req.requireActor()
        let list = try await TransferQueries.list(for: actor, page: Pagination.requestedPage(req), scope: req.scope, on: req.db)
        return try await req.page("transfers/index", title: "组织关系转接",
                                  TransferListPage(list, actor: actor, scope: req.scope, today: req.today, now: req.now, form: form), status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await listPage(req, form: FormState(), status: .ok)
    }

    /// A write from the list page: back to it with a message, or the page again with the refusal.
    private func write<T: Sendable>(_ req: Request, _ state: FormState, back: String = TransferRoute.index.url,
                                    flash: @escaping @Sendable (T) -> String,
                                    _ body: @escaping @Sendable (any Database, ChangeContext) async throws -> T) async throws -> Response {
        try await req.submit(state, back: { _ in back }, flash: flash, page: { state in
            try await listPage(req, form: state, status: .unprocessableEntity)
        }, body)
    }

    @Sendable func start(req: Request) async throws -> Response {
        guard try req.requireActor().kind == .administrator else { throw Abort(.notFound) }
        let (input, state) = try req.validated(StartTransferForm.self)
        return try await write(req, state, flash: { (started: TransferWrites.Started) in
            switch started {
            case .transfer(let name): "已发起\(name)的转接。"
            case .request: "已向团员所在单位发出转入申请，对方同意后即办理转接。"
            }
        }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await TransferWrites.start(input, change, on: db)
        }
    }

    @Sendable func startClass(req: Request) async throws -> Response {
        let (input, state) = try req.validated(TransferTargetForm.self)
        return try await write(req, state, flash: { (transfers: [Transfer]) in "已发起整班转接，共 \(transfers.count) 名团员。" }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await TransferWrites.startClass(branchID: input.branchID, to: input.target, change, on: db)
        }
    }

    @Sendable func request(req: Request) async throws -> Response {
        guard let memberID = try req.requireActor().memberID else { throw Abort(.notFound) }
        let (input, state) = try req.validated(TransferTargetForm.self)
        return try await write(req, state, flash: { (_: [Transfer]) in "转接申请已提交，等待所在团支部同意。" }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await TransferWrites.request(memberID: memberID, to: input.target, graduate: input.graduate, change, on: db)
        }
    }

    @Sendable func show(req: Request) async throws -> Response {
        let detail = try await TransferQueries.detail(try req.id(), scope: req.scope, on: req.db)
        return try await req.page("transfers/show", title: "组织关系转接", TransferPage(detail, scope: req.scope))
    }

    private func perform(_ req: Request, _ transfers: [Transfer], back: String) async throws -> Response {
        guard let action = TransferWrites.Action(rawValue: req.parameters.get("action") ?? "") else { throw Abort(.notFound) }
        let (input, state) = try req.validated(TransferDecisionForm.self)
        return try await write(req, state, back: back, flash: { (count: Int) in "已办理 \(count) 名团员的转接。" }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await TransferWrites.perform(action, on: transfers, input, change, on: db)
        }
    }

    @Sendable func act(req: Request) async throws -> Response {
        let transfer = try await req.scope.transfer(try req.id(), on: req.db)
        return try await perform(req, [transfer], back: TransferRoute.show(.value(transfer.id ?? 0)).url)
    }

    @Sendable func actOnBatch(req: Request) async throws -> Response {
        let transfers = try await TransferQueries.openBatch(req.parameters.get("batch") ?? "", scope: req.scope, on: req.db)
        guard !transfers.isEmpty else { throw Abort(.notFound) }
        return try await perform(req, transfers, back: TransferRoute.index.url)
    }

    /// The holding side agrees to or refuses a request to take a member in; the receiver withdraws it.
    @Sendable func answerRequest(req: Request) async throws -> Response {
        let id = try req.id()
        guard let action = TransferRequests.Action(rawValue: req.parameters.get("action") ?? "") else { throw Abort(.notFound) }
        let (input, state) = try req.validated(TransferDecisionForm.self)
        return try await write(req, state, flash: { (request: TransferRequest) in "转入申请：\(request.status.label)。" }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await TransferRequests.perform(action, on: id, reason: input.reason, change, on: db)
        }
    }
}
