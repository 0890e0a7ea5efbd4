import Fluent
import LeagueCore
import Vapor

/// The yearly evaluation of units: schemes, each unit's sheet, the ranking and its export.
struct EvaluationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(EvaluationRoute.index, use: index)
        routes.post(EvaluationRoute.create, use: create)
        routes.get(EvaluationRoute.show(.key), use: show)
        routes.get(EvaluationRoute.export(.key), use: export)
        routes.post(EvaluationRoute.addIndicator(.key), use: addIndicator)
        routes.post(EvaluationRoute.removeIndicator(.key, .key), use: removeIndicator)
        routes.post(EvaluationRoute.open(.key), use: open)
        routes.post(EvaluationRoute.close(.key), use: close)
        routes.get(EvaluationRoute.sheet(.key), use: sheet)
        routes.post(EvaluationRoute.saveSelf(.key), use: saveSelf)
        routes.post(EvaluationRoute.review(.key), use: review)
    }

    // MARK: Schemes

    private func indexPage(_ req: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let schemes = try await EvaluationQueries.schemes(on: req.db)
        return try await req.page("workplan/evaluations", title: "考核评价",
                                  SchemeListPage(schemes, canCreate: req.scope.isCityWide, thisYear: req.today.year, form: form), status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await indexPage(req, form: FormState(), status: .ok)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let (input, state) = try req.validated(SchemeForm.self)
        return try await req.submit(state, back: { (id: Int) in EvaluationRoute.show(.value(id)).url },
                                    flash: { _ in "已新建考核，请确认指标和权重后发布。" },
                                    page: { state in try await indexPage(req, form: state, status: .unprocessableEntity) }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await EvaluationWrites.createScheme(input, change, on: db).id ?? 0
        }
    }

    private func schemePage(_ req: Request, id: Int, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let detail = try await EvaluationQueries.scheme(id, scope: req.scope, on: req.db)
        return try await req.page("workplan/evaluation", title: "考核评价", SchemePage(detail, isCityWide: req.scope.isCityWide, form: form),
                                  status: status)
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await schemePage(req, id: try req.id(), form: FormState(), status: .ok)
    }

    /// A write on a scheme: back to it with a message, or its page again with the refusal.
    private func onScheme<T: Sendable>(_ req: Request, _ state: FormState = FormState(), flash: @escaping @Sendable (T) -> String,
                                       _ body: @escaping @Sendable (Int, any Database, ChangeContext) async throws -> T) async throws -> Response {
        let id = try req.id()
        return try await req.submit(state, back: { _ in EvaluationRoute.show(.value(id)).url }, flash: flash, page: { state in
            try await schemePage(req, id: id, form: state, status: .unprocessableEntity)
        }) { db, change in try await body(id, db, change) }
    }

    @Sendable func addIndicator(req: Request) async throws -> Response {
        let (input, state) = try req.validated(IndicatorForm.self)
        return try await onScheme(req, state, flash: { (name: String) in "已增加指标「\(name)」。" }) { id, db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            try await EvaluationWrites.addIndicator(id, input, change, on: db)
            return input.name
        }
    }

    @Sendable func removeIndicator(req: Request) async throws -> Response {
        let indicator = try req.id("indicator")
        return try await onScheme(req, flash: { (_: Void) in "已删除指标。" }) { id, db, change in
            try await EvaluationWrites.removeIndicator(id, indicatorID: indicator, change, on: db)
        }
    }

    @Sendable func open(req: Request) async throws -> Response {
        try await onScheme(req, flash: { (_: Int) in "考核已发布，各单位可以填写自评。" }) { id, db, change in
            try await EvaluationWrites.open(id, change, on: db)
        }
    }

    @Sendable func close(req: Request) async throws -> Response {
        try await onScheme(req, flash: { (_: Void) in "考核已结束，排名为最终结果。" }) { id, db, change in
            try await EvaluationWrites.close(id, change, on: db)
        }
    }

    /// The ranking as CSV: place, unit, each indicator's score, total; as far as the caller reaches.
    @Sendable func export(req: Request) async throws -> Response {
        let file = RankingExport(try await EvaluationQueries.export(try req.id(), scope: req.scope, on: req.db))
        return .csv(file.text, fileName: file.fileName, chineseName: file.chineseName)
    }

    // MARK: Sheets

    private func sheetPage(_ req: Request, id: Int, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let detail = try await EvaluationQueries.sheet(id, scope: req.scope, today: req.today, on: req.db)
        return try await req.page("workplan/evaluation_sheet", title: "考核自评", SheetPage(detail, scope: req.scope, form: form), status: status)
    }

    @Sendable func sheet(req: Request) async throws -> Response {
        try await sheetPage(req, id: try req.id(), form: FormState(), status: .ok)
    }

    /// A write on a sheet: back to it with a message, or its page again with the refusal.
    private func onSheet<T: Sendable>(_ req: Request, _ state: FormState, flash: @escaping @Sendable (T) -> String,
                                      _ body: @escaping @Sendable (Int, any Database, ChangeContext) async throws -> T) async throws -> Response {
        let id = try req.id()
        return try await req.submit(state, back: { _ in EvaluationRoute.sheet(.value(id)).url }, flash: flash, page: { state in
            try await sheetPage(req, id: id, form: state, status: .unprocessableEntity)
        }) { db, change in try await body(id, db, change) }
    }

    @Sendable func saveSelf(req: Request) async throws -> Response {
        let (input, state) = try req.validated(SelfReportForm.self)
        return try await onSheet(req, state, flash: { (submitted: Bool) in submitted ? "自评已提交，等待团市委审核。" : "自评已保存。" }) { id, db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            try await EvaluationWrites.saveSelf(id, input, change, on: db)
            return input.submit
        }
    }

    @Sendable func review(req: Request) async throws -> Response {
        let (input, state) = try req.validated(ReviewSheetForm.self)
        return try await onSheet(req, state, flash: { (sentBack: Bool) in sentBack ? "已退回该单位重新自评。" : "审核完成，总分已计算。" }) { id, db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            try await EvaluationWrites.review(id, input, change, on: db)
            return input.sendBack
        }
    }
}
