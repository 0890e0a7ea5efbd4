import Fluent
import LeagueCore
import Vapor

/// Cadres of a unit, the 专挂兼 mix and front-line share below it, and overdue elections.
struct CadreController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(CadreRoute.index, use: index)
        routes.post(CadreRoute.add, use: add)
        routes.post(CadreRoute.leave(.key), use: leave)
    }

    private func page(_ req: Request, unitID: Int?, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let serving = try await CadreQueries.serving(under: unitID ?? req.requireActor().unitID, scope: req.scope, today: req.today, on: req.db)
        return try await req.page("orglife/cadres", title: "团干部", CadresPage(serving, today: req.today, form: form), status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await page(req, unitID: try? req.query.get(Int.self, at: "unit"), form: FormState(), status: .ok)
    }

    /// Back to the unit's cadres.
    private static func back(_ cadre: Cadre) -> String {
        CadreRoute.index.url(query: [("unit", String(cadre.unitID))])
    }

    @Sendable func add(req: Request) async throws -> Response {
        let (form, typed) = try req.decode(CadreForm.self)
        var state = typed
        let draft = form.validate(&state, today: req.today)
        let today = req.today
        return try await req.submit(state, back: Self.back, flash: { cadre in "已登记\(cadre.post.label)\(cadre.name)。" }, page: { state in
            try await page(req, unitID: form.unitID, form: state, status: .unprocessableEntity)
        }) { db, change in
            guard let draft else { throw Refusal("请检查填写的内容") }
            return try await CadreWrites.add(draft, today: today, change, on: db)
        }
    }

    @Sendable func leave(req: Request) async throws -> Response {
        let id = try req.id()
        let today = req.today
        return try await req.submit(FormState(), back: Self.back, flash: { cadre in "\(cadre.name)已离任。" }, page: { state in
            throw Abort(.unprocessableEntity, reason: state.errors["_form"] ?? "无法办理离任")
        }) { db, change in
            try await CadreWrites.leave(id, on: today, change, on: db)
        }
    }
}
