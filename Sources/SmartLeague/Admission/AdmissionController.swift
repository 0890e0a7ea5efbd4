import Fluent
import LeagueCore
import Vapor

/// 团员发展: the pipeline board of a unit, applications and their steps, and the year's plan.
struct AdmissionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(AdmissionRoute.board, use: board)
        routes.get(AdmissionRoute.new, use: new)
        routes.post(AdmissionRoute.apply, use: apply)
        routes.get(AdmissionRoute.quotas, use: quotas)
        routes.post(AdmissionRoute.setTotal, use: setTotal)
        routes.post(AdmissionRoute.split, use: split)
        routes.post(AdmissionRoute.setClass, use: setClass)
        routes.get(AdmissionRoute.show(.key), use: show)
        routes.post(AdmissionRoute.step(.key, .key), use: step)
        routes.upload(AdmissionRoute.fileForm(.key), maxSize: "21mb", use: fileForm)
        routes.get(AdmissionRoute.downloadForm(.key, .key), use: downloadForm)
    }

    // MARK: Board

    @Sendable func board(req: Request) async throws -> Response {
        let stage = (try? req.query.get(String.self, at: "stage")).flatMap(AdmissionStage.init(rawValue:))
        let board = try await AdmissionQueries.board(under: try await req.chosenUnit(), stage: stage, page: Pagination.requestedPage(req),
                                                     scope: req.scope, on: req.db)
        return try await req.page("admission/board", title: "团员发展", AdmissionBoardPage(board))
    }

    // MARK: Application

    private func newPage(_ req: Request, branchID: Int?, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let branch = try await AdmissionQueries.branch(branchID, scope: req.scope, on: req.db)
        return try await req.page("admission/new", title: "入团申请", ApplicationFormPage(branch: branch, today: req.today, form: form),
                                  status: status)
    }

    @Sendable func new(req: Request) async throws -> Response {
        try await newPage(req, branchID: try? req.query.get(Int.self, at: "branch"), form: FormState(), status: .ok)
    }

    @Sendable func apply(req: Request) async throws -> Response {
        let (form, typed) = try req.decode(ApplicationForm.self)
        var state = typed
        let input = form.validate(&state, today: req.today)
        let today = req.today
        let vault = req.application.vault
        return try await req.submit(state, back: { (application: AdmissionApplication) in AdmissionRoute.show(.value(application.id ?? 0)).url },
                                    flash: { application in "已登记\(application.name)的入团申请。" }, page: { state in
            try await newPage(req, branchID: form.branchID, form: state, status: .unprocessableEntity)
        }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await AdmissionWrites.apply(branchID: input.branchID ?? -1, fields: input.person, appliedOn: input.appliedOn,
                                                   today: today, vault: vault, change, on: db)
        }
    }

    private func showPage(_ req: Request, id: Int, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let detail = try await AdmissionQueries.application(id, scope: req.scope, on: req.db)
        return try await req.page("admission/show", title: "团员发展", AdmissionPage(detail, scope: req.scope, today: req.today, form: form),
                                  status: status)
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await showPage(req, id: try req.id(), form: FormState(), status: .ok)
    }

    @Sendable func step(req: Request) async throws -> Response {
        let id = try req.id()
        guard let step = req.parameters.get("step").flatMap(AdmissionStep.init(rawValue:)) else { throw Abort(.notFound) }
        let (input, state) = try req.validated(AdmissionStepForm.self)
        let today = req.today
        let vault = req.application.vault
        return try await req.submit(state, back: { _ in AdmissionRoute.show(.value(id)).url },
                                    flash: { (application: AdmissionApplication) in "\(step.label)已登记，当前为“\(application.stage.label)”。" }, page: { state in
            try await showPage(req, id: id, form: state, status: .unprocessableEntity)
        }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await AdmissionWrites.step(id, step, input, today: today, vault: vault, change, on: db)
        }
    }

    @Sendable func fileForm(req: Request) async throws -> Response {
        let id = try req.id()
        let (fields, files) = try req.formWithFiles()
        var state = FormState(values: fields)
        var upload: Upload?
        do { upload = try Upload.check(files["file"], field: "file", allowed: [.pdf]) } catch let refusal as Refusal {
            state = refusal.filed(in: state)
        }
        let today = req.today
        return try await req.submit(state, back: { _ in AdmissionRoute.show(.value(id)).url }, flash: { _ in "入团志愿书已上传，等待上级认证。" },
                                    page: { state in
            try await showPage(req, id: id, form: state, status: .unprocessableEntity)
        }) { [upload] db, change in
            guard let upload else { throw Refusal("请选择签好字的入团志愿书（PDF）", field: "file") }
            try await AdmissionWrites.fileForm(id, upload, today: today, change, on: db)
        }
    }

    @Sendable func downloadForm(req: Request) async throws -> Response {
        let application = try await req.scope.find(AdmissionApplication.self, try req.id(), on: req.db)
        return try await Attachments.download(try req.id("file"), ownerType: AdmissionApplication.formOwner, ownerID: application.id ?? 0,
                                              on: req.db)
    }

    // MARK: Plan

    private func planPage(_ req: Request, year: Int?, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let plan = try await AdmissionQueries.plan(year: year ?? req.today.year, unitID: try req.requireActor().unitID, scope: req.scope,
                                                   on: req.db)
        return try await req.page("admission/quotas", title: "发展计划", AdmissionPlanPage(plan, isCity: req.scope.isCityWide, form: form),
                                  status: status)
    }

    @Sendable func quotas(req: Request) async throws -> Response {
        try await planPage(req, year: try? req.query.get(Int.self, at: "year"), form: FormState(), status: .ok)
    }

    /// The plan of the year a write was for.
    private static func plan(of year: Int) -> String {
        AdmissionRoute.quotas.url(query: [("year", String(year))])
    }

    @Sendable func setTotal(req: Request) async throws -> Response {
        let (form, typed) = try req.decode(QuotaTotalForm.self)
        var state = typed
        let input = form.validate(&state, today: req.today)
        return try await req.submit(state, back: Self.plan, flash: { year in "已确定 \(year) 年全市发展计划。" }, page: { state in
            try await planPage(req, year: form.typedYear, form: state, status: .unprocessableEntity)
        }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            try await AdmissionQuotas.setTotal(input, change, on: db)
            return input.year
        }
    }

    @Sendable func setClass(req: Request) async throws -> Response {
        let (input, state) = try req.validated(GraduatingClassForm.self)
        return try await req.submit(state, back: { _ in AdmissionRoute.quotas.url }, flash: { _ in "已登记毕业班人数。" }, page: { state in
            try await planPage(req, year: nil, form: state, status: .unprocessableEntity)
        }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            try await GraduatingClasses.set(input, change, on: db)
        }
    }

    @Sendable func split(req: Request) async throws -> Response {
        let unitID = try req.requireActor().unitID
        let (form, typed) = try req.decode(QuotaSplitForm.self)
        var state = typed
        let input = form.validate(&state, today: req.today)
        return try await req.submit(state, back: { (split: (year: Int, count: Int)) in Self.plan(of: split.year) }, flash: { split in "已分配到 \(split.count) 个下级单位。" },
                                    page: { state in
            try await planPage(req, year: form.typedYear, form: state, status: .unprocessableEntity)
        }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return (year: input.year, count: try await AdmissionQuotas.split(input, unitID: unitID, change, on: db))
        }
    }
}
