import Fluent
import LeagueCore
import Vapor

/// 团费: totals of a unit by month and by child, a branch's members with their dues and arrears,
/// the treasurer's records, and the city's table.
struct DuesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(DuesRoute.totals, use: totals)
        routes.get(DuesRoute.branch(.key), use: branch)
        routes.post(DuesRoute.setProfile(.key), use: setProfile)
        routes.post(DuesRoute.record(.key), use: record)
        routes.post(DuesRoute.setPolicy, use: setPolicy)
    }

    private func totalsPage(_ req: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let unit = try await req.chosenUnit()
        let month = (try? req.query.get(String.self, at: "month")).flatMap { CalendarDate("\($0)-01") != nil ? $0 : nil }
            ?? DuesMonths.month(of: req.today)
        let totals = try await DuesQueries.totals(unit, month: month, scope: req.scope, on: req.db)
        return try await req.page("dues/totals", title: "团费", DuesTotalsPage(totals, canSetPolicy: req.scope.isCityWide, form: form),
                                  status: status)
    }

    @Sendable func totals(req: Request) async throws -> Response {
        try await totalsPage(req, form: FormState(), status: .ok)
    }

    private func branchPage(_ req: Request, id: Int, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let detail = try await DuesQueries.branch(id, scope: req.scope, on: req.db)
        return try await req.page("dues/branch", title: "团费", DuesBranchPage(detail, today: req.today, form: form), status: status)
    }

    @Sendable func branch(req: Request) async throws -> Response {
        try await branchPage(req, id: try req.id(), form: FormState(), status: .ok)
    }

    /// A write from a branch's page: back to it with a message, or the page again with the refusal.
    private func onBranch<T: Sendable>(_ req: Request, _ state: FormState, flash: @escaping @Sendable (T) -> String,
                                       _ body: @escaping @Sendable (any Database, ChangeContext) async throws -> T) async throws -> Response {
        let id = try req.id()
        return try await req.submit(state, back: { _ in DuesRoute.branch(.value(id)).url }, flash: flash, page: { state in
            try await branchPage(req, id: id, form: state, status: .unprocessableEntity)
        }, body)
    }

    @Sendable func setProfile(req: Request) async throws -> Response {
        let (input, state) = try req.validated(DuesProfileForm.self)
        return try await onBranch(req, state, flash: { (_: Void) in "已登记团费类别。" }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            try await DuesWrites.setProfile(input, change, on: db)
        }
    }

    @Sendable func record(req: Request) async throws -> Response {
        let (input, state) = try req.validated(DuesPaymentForm.self)
        let today = req.today
        return try await onBranch(req, state, flash: { (payment: DuesPayment) in "已登记 \(payment.month) 团费\(payment.kind.label)。" }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await DuesWrites.record(input, today: today, change, on: db)
        }
    }

    @Sendable func setPolicy(req: Request) async throws -> Response {
        let (policy, state) = try req.validated(DuesPolicyForm.self)
        return try await req.submit(state, back: { _ in DuesRoute.totals.url }, flash: { (_: Void) in "团费标准已调整。" },
                                    page: { state in try await totalsPage(req, form: state, status: .unprocessableEntity) }) { db, change in
            guard let policy else { throw Refusal("请检查填写的内容") }
            try await DuesWrites.setPolicy(policy, change, on: db)
        }
    }
}
