import Fluent
import LeagueCore
import Vapor

/// 离团: the age-28 list with its batch action, withdrawal, lapse decisions and their approval,
/// and those who have left.
struct LeavingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(LeavingRoute.index, use: index)
        routes.post(LeavingRoute.overage, use: overage)
        routes.post(LeavingRoute.withdraw, use: withdraw)
        routes.post(LeavingRoute.lapse, use: proposeLapse)
        routes.post(LeavingRoute.decide(.key, .key), use: decide)
    }

    private func page(_ req: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let actor = try req.requireActor()
        let list = try await LeavingQueries.list(today: req.today, scope: req.scope, on: req.db)
        return try await req.page("leaving/index", title: "离团", LeavingPage(list, unitName: actor.unitName, today: req.today, form: form),
                                  status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await page(req, form: FormState(), status: .ok)
    }

    /// A write from the page: back to it with a message, or the page again with the refusal.
    private func write<T: Sendable>(_ req: Request, _ state: FormState, flash: @escaping @Sendable (T) -> String,
                                    _ body: @escaping @Sendable (any Database, ChangeContext) async throws -> T) async throws -> Response {
        try await req.submit(state, back: { _ in LeavingRoute.index.url }, flash: flash, page: { state in
            try await page(req, form: state, status: .unprocessableEntity)
        }, body)
    }

    @Sendable func overage(req: Request) async throws -> Response {
        let (input, state) = try req.validated(OverageForm.self)
        let today = req.today
        return try await write(req, state, flash: { (count: Int) in "已为 \(count) 名团员办理超龄离团。" }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await LeavingWrites.overage(input.memberIDs, on: input.day, today: today, change, on: db)
        }
    }

    @Sendable func withdraw(req: Request) async throws -> Response {
        let (input, state) = try req.validated(WithdrawalForm.self)
        let today = req.today
        return try await write(req, state, flash: { (member: Member) in "已为\(member.name)办理退团。" }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await LeavingWrites.withdraw(input, today: today, change, on: db)
        }
    }

    @Sendable func proposeLapse(req: Request) async throws -> Response {
        let (input, state) = try req.validated(LapseForm.self)
        let today = req.today
        return try await write(req, state, flash: { (request: LeavingRequest) in "已将\(request.memberName)的自行脱团决定报上级审批。" }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await LeavingWrites.proposeLapse(input, today: today, change, on: db)
        }
    }

    @Sendable func decide(req: Request) async throws -> Response {
        let id = try req.id()
        let approve = req.parameters.get("decision") == "approve"
        let today = req.today
        return try await write(req, FormState(), flash: { (request: LeavingRequest) in "\(request.memberName)：\(request.status.label)。" }) { db, change in
            try await LeavingWrites.decideLapse(id, approve: approve, today: today, change, on: db)
        }
    }
}
