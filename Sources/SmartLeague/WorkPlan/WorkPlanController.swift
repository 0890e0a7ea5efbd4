import Fluent
import LeagueCore
import Vapor

/// The years' work plans: read one, take its text as the start of next year's, load a new one.
struct WorkPlanController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let plans = routes.grouped("plans")
        plans.get(use: index)
        plans.upload(maxSize: "2mb", use: upload)
        plans.get(":year", use: show)
        plans.get(":year", "text", use: text)
    }

    struct YearView: Encodable {
        let year: Int
        let title: String
    }

    struct IndexPage: Encodable {
        let plans: [YearView]
        let canLoad: Bool
        let problems: [String]
        let form: FormState
    }

    /// Plans are the city committee's: its administrators load them.
    private func canLoad(_ req: Request) -> Bool {
        req.actor.map { $0.kind == .administrator && $0.unitPath.depth == 0 } ?? false
    }

    private func indexPage(_ req: Request, problems: [String], form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let plans = try await WorkPlan.query(on: req.db).sort(\.$year, .descending).all()
        return try await req.page("workplan/index", title: "工作要点", IndexPage(
            plans: plans.map { YearView(year: $0.year, title: $0.title) }, canLoad: canLoad(req),
            problems: problems, form: form), status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await indexPage(req, problems: [], form: FormState(), status: .ok)
    }

    @Sendable func upload(req: Request) async throws -> Response {
        guard canLoad(req) else { throw Abort(.forbidden, reason: "只有团市委管理员可以载入工作要点") }
        let (fields, files) = try req.formWithFiles()
        var source = fields["text"] ?? ""
        if let file = files["file"], file.data.readableBytes > 0 {
            do { source = try CSV.decode(Data(buffer: file.data)) } catch {
                return try await indexPage(req, problems: ["文件不是文本格式（请保存为 UTF-8 或 GBK 编码的 .txt 文件）"],
                                           form: FormState(), status: .unprocessableEntity)
            }
        }
        guard !source.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return try await indexPage(req, problems: ["请上传计划文件，或把计划文本粘贴到文本框中"], form: FormState(), status: .unprocessableEntity)
        }
        switch PlanText.parse(source) {
        case .failure(let problems):
            return try await indexPage(req, problems: problems.list.map(\.description) + ["计划有误，未载入任何内容。"],
                                       form: FormState(values: ["text": String(source.prefix(200_000))]), status: .unprocessableEntity)
        case .success(let document):
            let change = req.changeContext
            let root = try await req.scope.organization(req.requireActor().unitID, on: req.db)
            return try await req.submit(FormState(), write: { db in
                try await WorkPlans.load(document, change, root: root, on: db)
            }, then: { plan in
                try await req.redirect(to: "/plans/\(plan.year)", flash: "已载入\(plan.year)年度工作要点，共 \(document.taskCount) 项任务。")
            }, otherwise: { state in
                try await indexPage(req, problems: [state.errors.values.first ?? "载入失败"], form: FormState(), status: .unprocessableEntity)
            })
        }
    }

    private func plan(_ req: Request) async throws -> WorkPlan {
        guard let year = req.parameters.get("year", as: Int.self),
              let plan = try await WorkPlan.query(on: req.db).filter(\.$year == year).first() else { throw Abort(.notFound) }
        return plan
    }

    struct SectionView: Encodable {
        let heading: String
        let items: [ItemView]
    }

    struct ItemView: Encodable {
        let heading: String
        let tasks: [WorkPlans.TaskNode]
    }

    struct ShowPage: Encodable {
        let year: Int
        let title: String
        let requirement: String
        let sections: [SectionView]
        let taskCount: Int
    }

    @Sendable func show(req: Request) async throws -> Response {
        let plan = try await plan(req)
        let outline = try await WorkPlans.outline(plan, on: req.db)
        let sections = outline.map { section in
            SectionView(heading: "\(PlanText.chineseNumber(section.number))、\(section.title)",
                        items: section.items.map { ItemView(heading: "\($0.number). \($0.title)", tasks: $0.tasks) })
        }
        let taskCount = outline.reduce(0) { $0 + $1.items.reduce(0) { $0 + $1.tasks.count } }
        return try await req.page("workplan/show", title: plan.title, ShowPage(
            year: plan.year, title: plan.title, requirement: plan.requirement, sections: sections, taskCount: taskCount))
    }

    /// The plan as text: next year's plan starts as this file, edited.
    @Sendable func text(req: Request) async throws -> Response {
        let plan = try await plan(req)
        let response = Response(status: .ok, body: .init(string: PlanText.render(try await WorkPlans.document(plan, on: req.db))))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"workplan-\(plan.year).txt\"")
        return response
    }
}
