import Fluent
import LeagueCore
import Vapor

/// 对标定级: rounds, the distribution of levels under a unit, and each branch's sheet.
struct GradingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(GradingRoute.index, use: index)
        routes.post(GradingRoute.open, use: open)
        routes.get(GradingRoute.round(.key), use: round)
        routes.get(GradingRoute.sheet(.key), use: sheet)
        routes.post(GradingRoute.assess(.key), use: assess)
        routes.post(GradingRoute.review(.key), use: review)
    }

    private func indexPage(_ req: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let rounds = try await GradingQueries.rounds(on: req.db)
        return try await req.page("orglife/grading", title: "对标定级",
                                  GradingRoundsPage(rounds, canOpen: req.scope.isCityWide, today: req.today, form: form), status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await indexPage(req, form: FormState(), status: .ok)
    }

    @Sendable func open(req: Request) async throws -> Response {
        let (input, state) = try req.validated(GradingRoundForm.self)
        let today = req.today
        return try await req.submit(state, back: { (opened: (round: GradingRound, branches: Int)) in GradingRoute.round(.value(opened.round.id ?? 0)).url },
                                    flash: { opened in "已启动，\(opened.branches) 个团支部参加。" }, page: { state in
            try await indexPage(req, form: state, status: .unprocessableEntity)
        }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await GradingWrites.open(input, today: today, change, on: db)
        }
    }

    @Sendable func round(req: Request) async throws -> Response {
        let round = try await GradingQueries.round(try req.id(), under: try await req.chosenUnit(), page: Pagination.requestedPage(req),
                                                   scope: req.scope, on: req.db)
        return try await req.page("orglife/grading_round", title: "对标定级", GradingRoundPage(round))
    }

    private func sheetPage(_ req: Request, id: Int, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let detail = try await GradingQueries.sheet(id, today: req.today, scope: req.scope, on: req.db)
        return try await req.page("orglife/grading_sheet", title: "对标定级", GradingSheetPage(detail, scope: req.scope, form: form),
                                  status: status)
    }

    @Sendable func sheet(req: Request) async throws -> Response {
        try await sheetPage(req, id: try req.id(), form: FormState(), status: .ok)
    }

    /// A write on a sheet: back to it with a message, or the sheet again with the refusal.
    private func write<T: Sendable>(_ req: Request, _ id: Int, _ state: FormState, flash: String,
                                    _ body: @escaping @Sendable (any Database, ChangeContext) async throws -> T) async throws -> Response {
        try await req.submit(state, back: { _ in GradingRoute.sheet(.value(id)).url }, flash: { _ in flash }, page: { state in
            try await sheetPage(req, id: id, form: state, status: .unprocessableEntity)
        }, body)
    }

    @Sendable func assess(req: Request) async throws -> Response {
        let id = try req.id()
        let (input, state) = try req.validated(SelfAssessmentForm.self)
        return try await write(req, id, state, flash: input?.submit == true ? "自评已提交上级审核。" : "自评已保存。") { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            try await GradingWrites.assess(id, input, change, on: db)
        }
    }

    @Sendable func review(req: Request) async throws -> Response {
        let id = try req.id()
        let (input, state) = try req.validated(GradingReviewForm.self)
        let today = req.today
        return try await write(req, id, state, flash: input?.sendBack == true ? "已退回团支部重新自评。" : "已定级。") { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await GradingWrites.review(id, input, today: today, change, on: db)
        }
    }
}
