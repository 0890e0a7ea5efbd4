import Fluent
import LeagueCore
import Vapor

/// The list of moves and renames awaiting approval, and the decisions on them.
struct ChangeRequestController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(ChangeRequestRoute.index, use: index)
        routes.post(ChangeRequestRoute.approve(.key), use: approve)
        routes.post(ChangeRequestRoute.reject(.key), use: reject)
        routes.post(ChangeRequestRoute.withdraw(.key), use: withdraw)
    }

    @Sendable func index(req: Request) async throws -> Response {
        let scope = req.scope
        let pending = try await ChangeRequestQueries.list(scope: scope, pendingOnly: true, limit: 200, on: req.db)
        let latest = try await ChangeRequestQueries.list(scope: scope, pendingOnly: false, limit: 50, on: req.db)
        return try await req.page("organizations/requests", title: "组织变更审批",
                                  ChangeRequestsPage(pending: pending, latest: latest, scope: scope))
    }

    /// Every decision goes back to the list, with what happened or why not as its message.
    private func decide<T: Sendable>(_ req: Request, _ state: FormState, flash: @escaping @Sendable (T) -> String,
                                     _ write: @escaping @Sendable (any Database, ChangeContext) async throws -> T) async throws -> Response {
        let change = req.changeContext
        return try await req.submit(state, write: { db in try await write(db, change) }, then: { result in
            try await req.redirect(to: ChangeRequestRoute.index.url, flash: flash(result))
        }, otherwise: { state in
            try await req.redirect(to: ChangeRequestRoute.index.url, flash: state.errors.values.sorted().first)
        })
    }

    private static func outcome(_ record: ChangeRequestRecord) -> String {
        switch record.status {
        case .approved: "审批通过，\(record.kind.label)已生效。"
        case .rejected: "已驳回该申请。"
        default: "本环节已通过，转下一环节审批。"
        }
    }

    @Sendable func approve(req: Request) async throws -> Response {
        let id = try req.id()
        return try await decide(req, FormState(), flash: { Self.outcome($0) }) { db, change in
            try await ChangeRequests.decide(id, .approve, change, on: db)
        }
    }

    @Sendable func reject(req: Request) async throws -> Response {
        let id = try req.id()
        let (reason, state) = try req.validated(RejectRequestForm.self)
        return try await decide(req, state, flash: { Self.outcome($0) }) { db, change in
            guard let reason else { throw Refusal("请检查填写的内容") }
            return try await ChangeRequests.decide(id, .reject(reason: reason), change, on: db)
        }
    }

    @Sendable func withdraw(req: Request) async throws -> Response {
        let id = try req.id()
        return try await decide(req, FormState(), flash: { (_: Void) in "申请已撤回。" }) { db, change in
            try await ChangeRequests.withdraw(id, change, on: db)
        }
    }
}
