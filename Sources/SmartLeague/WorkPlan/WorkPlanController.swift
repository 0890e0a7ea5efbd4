import Fluent
import LeagueCore
import Vapor

/// The years' work plans: read one, take its text as the start of next year's, load a new one.
struct WorkPlanController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(WorkPlanRoute.index, use: index)
        routes.upload(WorkPlanRoute.upload, maxSize: "2mb", use: upload)
        routes.get(WorkPlanRoute.show(.key), use: show)
        routes.get(WorkPlanRoute.text(.key), use: text)
    }

    /// Plans are the city committee's: its administrators load them.
    private func canLoad(_ req: Request) -> Bool {
        req.actor.map { $0.kind == .administrator && $0.unitPath.depth == 0 } ?? false
    }

    private func indexPage(_ req: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let plans = try await WorkPlanQueries.plans(on: req.db)
        return try await req.page("workplan/index", title: "工作要点", PlanListPage(plans, canLoad: canLoad(req), form: form), status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await indexPage(req, form: FormState(), status: .ok)
    }

    @Sendable func upload(req: Request) async throws -> Response {
        guard canLoad(req) else { throw Abort(.forbidden, reason: "只有团市委管理员可以载入工作要点") }
        let (fields, files) = try req.formWithFiles()
        var state = FormState()
        guard let document = try FormFields.decode(PlanUploadForm.self, from: fields).validate(file: files["file"], &state) else {
            return try await indexPage(req, form: state, status: .unprocessableEntity)
        }
        let root = try await req.scope.organization(req.requireActor().unitID, on: req.db)
        return try await req.submit(state, back: { (plan: WorkPlan) in WorkPlanRoute.show(.value(plan.year)).url },
                                    flash: { plan in "已载入\(plan.year)年度工作要点，共 \(document.taskCount) 项任务。" },
                                    page: { state in try await indexPage(req, form: state, status: .unprocessableEntity) }) { db, change in
            try await WorkPlans.load(document, change, root: root, on: db)
        }
    }

    @Sendable func show(req: Request) async throws -> Response {
        let plan = try await WorkPlanQueries.plan(year: try req.id("year"), on: req.db)
        let outline = try await WorkPlans.outline(plan, on: req.db)
        return try await req.page("workplan/show", title: plan.title, PlanPage(plan, outline: outline))
    }

    /// The plan as text: next year's plan starts as this file, edited.
    @Sendable func text(req: Request) async throws -> Response {
        let plan = try await WorkPlanQueries.plan(year: try req.id("year"), on: req.db)
        let response = Response(status: .ok, body: .init(string: PlanText.render(try await WorkPlans.document(plan, on: req.db))))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"workplan-\(plan.year).txt\"")
        return response
    }
}
