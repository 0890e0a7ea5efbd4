import Fluent
import LeagueCore
import SQLKit
import Vapor

/// 团员发展: the pipeline board of a unit, applications and their steps, and the year's plan.
struct AdmissionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admission = routes.grouped("admission")
        admission.get(use: board)
        admission.get("new", use: new)
        admission.post(use: apply)
        admission.get("quotas", use: quotas)
        admission.post("quotas", "total", use: setTotal)
        admission.post("quotas", "split", use: split)
        admission.post("quotas", "class", use: setClass)
        admission.get(":id", use: show)
        admission.post(":id", "steps", ":step", use: step)
        admission.upload(":id", "form", maxSize: "21mb", use: fileForm)
        admission.get(":id", "form", ":file", use: downloadForm)
    }

    // MARK: Board

    struct StageCount: Encodable {
        let stage: String
        let label: String
        let count: Int
    }

    struct Row: Encodable {
        let id: Int
        let name: String
        let branch: String
        let stage: String
        let appliedOn: String
    }

    struct BoardPage: Encodable {
        let unitID: Int
        let unitName: String
        let stages: [StageCount]
        let selected: String
        let rows: [Row]
        let hasRows: Bool
        let isBranch: Bool
        let pagination: Pagination
    }

    /// Applications per stage in the unit and below, in one grouped read.
    static func counts(under unit: Organization, scope: Scope, on db: any Database) async throws -> [AdmissionStage: Int] {
        struct Count: Decodable { let stage: String; let n: Int }
        let select = db.sql.select().column("stage").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(AdmissionApplication.schema)
            .where("branch_path", .greaterThanOrEqual, SQLBind(unit.path.subtreeLowerBound))
            .where("branch_path", .lessThan, SQLBind(unit.path.subtreeUpperBound))
            .groupBy("stage")
        let rows = try await scope.restrict(select, paths: [SQLColumn("branch_path")]).all(decoding: Count.self)
        return Dictionary(uniqueKeysWithValues: rows.compactMap { row in AdmissionStage(rawValue: row.stage).map { ($0, row.n) } })
    }

    @Sendable func board(req: Request) async throws -> Response {
        let unit = try await req.chosenUnit()
        let counts = try await Self.counts(under: unit, scope: req.scope, on: req.db)
        let selected = (try? req.query.get(String.self, at: "stage")).flatMap(AdmissionStage.init(rawValue:))
        var query = Scope(reach: .subtree(unit.path)).within(req.scope.query(AdmissionApplication.self, on: req.db), \AdmissionApplication.$branchPath)
        if let selected { query = query.filter(\.$stage == selected) }
        let pagination = Pagination(page: Pagination.requestedPage(req), pageSize: 50, total: try await query.count(),
                                    keep: ["unit": String(unit.id!), "stage": selected?.rawValue ?? ""])
        let applications = try await query.sort(\.$updatedAt, .descending).sort(\.$id, .descending)
            .range(pagination.offset..<pagination.offset + pagination.pageSize).all()
        let names = try await Directory.unitNames(applications.map(\.branchID), on: req.db)
        return try await req.page("admission/board", title: "团员发展", BoardPage(
            unitID: unit.id!, unitName: unit.name,
            stages: (AdmissionStage.pipeline + [.rejected]).map { StageCount(stage: $0.rawValue, label: $0.label, count: counts[$0] ?? 0) },
            selected: selected?.rawValue ?? "",
            rows: applications.map { Row(id: $0.id!, name: $0.name, branch: names[$0.branchID] ?? "", stage: $0.stage.label,
                                         appliedOn: $0.appliedOn) },
            hasRows: !applications.isEmpty, isBranch: unit.type.isBranch, pagination: pagination))
    }

    // MARK: Application

    struct NewPage: Encodable {
        let branchID: Int
        let branchName: String
        let choices: MembersController.Choices
        let form: FormState
    }

    private func newPage(_ req: Request, branchID: Int?, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let branch = try await req.scope.organization(branchID, on: req.db)
        guard branch.type.isBranch else { throw Abort(.notFound) }
        var state = form
        if state.values["appliedOn"] == nil { state.values["appliedOn"] = req.today.description }
        if state.values["ethnicity"] == nil { state.values["ethnicity"] = "汉族" }
        return try await req.page("admission/new", title: "入团申请", NewPage(branchID: branch.id!, branchName: branch.name,
                                                                             choices: .init(), form: state), status: status)
    }

    @Sendable func new(req: Request) async throws -> Response {
        try await newPage(req, branchID: try? req.query.get(Int.self, at: "branch"), form: FormState(), status: .ok)
    }

    @Sendable func apply(req: Request) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        let branchID = Int(form["branch"] ?? "")
        let appliedOn = state.check("appliedOn") { try FormField.date(form["appliedOn"], label: "申请日期", required: true) } ?? nil
        let change = req.changeContext
        let today = req.today
        let vault = req.application.vault
        return try await req.submit(state, write: { db in
            try await AdmissionWrites.apply(branchID: branchID ?? -1, fields: form, appliedOn: appliedOn!, today: today, vault: vault, change, on: db)
        }, then: { application in
            try await req.redirect(to: "/admission/\(application.id!)", flash: "已登记\(application.name)的入团申请。")
        }, otherwise: { state in
            try await newPage(req, branchID: branchID, form: state, status: .unprocessableEntity)
        })
    }

    struct EventRow: Encodable {
        let step: String
        let day: String
        let note: String
        let by: String
    }

    struct FileView: Encodable {
        let id: Int
        let name: String
    }

    struct ShowPage: Encodable {
        let id: Int
        let name: String
        let idMasked: String
        let branchName: String
        let stage: String
        let stageKey: String
        let events: [EventRow]
        let classHours: Int
        let nextStep: String?
        let nextLabel: String?
        let canStep: Bool
        let canReject: Bool
        let canFileForm: Bool
        let formDue: String?
        let files: [FileView]
        let hasFiles: Bool
        let rejectedReason: String?
        let today: String
        let form: FormState
    }

    private func showPage(_ req: Request, id: Int, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let application = try await req.scope.find(AdmissionApplication.self, id, on: req.db)
        let branch = try await req.scope.organization(application.branchID, on: req.db)
        let events = try await AdmissionEvent.query(on: req.db).filter(\.$applicationID == id).sort(\.$id).all()
        let next = AdmissionStep.forward.first { $0.from == application.stage }
        let upper = req.scope.isStrictlyAbove(branch)
        let files = try await Attachments.list(ownerType: AdmissionApplication.formOwner, ownerIDs: [id], on: req.db)[id] ?? []
        return try await req.page("admission/show", title: "团员发展", ShowPage(
            id: id, name: application.name, idMasked: application.idMasked, branchName: branch.name,
            stage: application.stage.label, stageKey: application.stage.rawValue,
            events: events.map { EventRow(step: $0.step, day: $0.onDay, note: $0.note, by: $0.by) },
            classHours: try await MeetingWrites.classHours(applicant: id, on: req.db),
            nextStep: next?.rawValue, nextLabel: next?.label,
            canStep: next.map { !$0.isUpperLevel || upper } ?? false,
            canReject: application.stage.isOpen,
            canFileForm: application.stage == .member && files.isEmpty,
            formDue: application.swornOn.flatMap(CalendarDate.init).map { AdmissionRules.formDue(sworn: $0).description },
            files: files.map { FileView(id: $0.id!, name: $0.fileName) }, hasFiles: !files.isEmpty,
            rejectedReason: application.rejectedReason, today: req.today.description, form: form), status: status)
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await showPage(req, id: try req.id(), form: FormState(), status: .ok)
    }

    @Sendable func step(req: Request) async throws -> Response {
        let id = try req.id()
        guard let step = req.parameters.get("step").flatMap(AdmissionStep.init(rawValue:)) else { throw Abort(.notFound) }
        let form = try req.form()
        var state = FormState(values: form)
        let day = state.check("day") { try FormField.date(form["day"], label: "日期", required: true) } ?? nil
        let note = state.check("note") { try FormField.text(form["note"], label: "说明", required: false, max: 500) } ?? nil
        func names(_ field: String) -> [String] {
            (form[field] ?? "").split(whereSeparator: { ",，、 \n".contains($0) }).map(String.init)
        }
        var vote: BranchVote?
        if step == .vote {
            let numbers = ["expected", "present", "yes", "no", "abstain"].map { Int(form[$0] ?? "").flatMap { (0...100_000).contains($0) ? $0 : nil } }
            if numbers.contains(where: { $0 == nil }) { state.errors["vote"] = "请把应到、实到和表决票数填写完整（0 到 100000 的整数）" } else {
                vote = BranchVote(expected: numbers[0]!, present: numbers[1]!, yes: numbers[2]!, no: numbers[3]!, abstain: numbers[4]!)
            }
        }
        let details = AdmissionWrites.Details(day: day ?? CalendarDate(year: 2000, month: 1, day: 1)!, note: note, source: form["source"],
                                              mentors: names("mentors"), sponsors: names("sponsors"), vote: vote)
        let change = req.changeContext
        let today = req.today
        let vault = req.application.vault
        return try await req.submit(state, write: { [details] db in
            try await AdmissionWrites.step(id, step, details, today: today, vault: vault, change, on: db)
        }, then: { application in
            try await req.redirect(to: "/admission/\(id)", flash: "\(step.label)已登记，当前为“\(application.stage.label)”。")
        }, otherwise: { state in
            try await showPage(req, id: id, form: state, status: .unprocessableEntity)
        })
    }

    @Sendable func fileForm(req: Request) async throws -> Response {
        let id = try req.id()
        let (form, files) = try req.formWithFiles()
        var state = FormState(values: form)
        var upload: Upload?
        do { upload = try Upload.check(files["file"], field: "file", allowed: [.pdf]) } catch let refusal as Refusal {
            state.errors["file"] = refusal.message
        }
        if upload == nil && state.errors["file"] == nil { state.errors["file"] = "请选择签好字的入团志愿书（PDF）" }
        let change = req.changeContext
        let today = req.today
        return try await req.submit(state, write: { [upload] db in
            try await AdmissionWrites.fileForm(id, upload!, today: today, change, on: db)
        }, then: { _ in
            try await req.redirect(to: "/admission/\(id)", flash: "入团志愿书已上传，等待上级认证。")
        }, otherwise: { state in
            try await showPage(req, id: id, form: state, status: .unprocessableEntity)
        })
    }

    @Sendable func downloadForm(req: Request) async throws -> Response {
        let application = try await req.scope.find(AdmissionApplication.self, try req.id(), on: req.db)
        guard let file = req.parameters.get("file", as: Int.self) else { throw Abort(.notFound) }
        return try await Attachments.download(file, ownerType: AdmissionApplication.formOwner, ownerID: application.id!, on: req.db)
    }

    // MARK: Plan

    struct QuotaRow: Encodable {
        let name: String
        let amount: String
        let used: Int
    }

    struct ClassRow: Encodable {
        let id: Int
        let name: String
        let members: Int
        let pupils: String
        let level: String
        let share: String
        let over: Bool
    }

    struct QuotaPage: Encodable {
        let classes: [ClassRow]
        let hasClasses: Bool
        let levels: [Choice]
        let year: Int
        let unitID: Int
        let unitName: String
        let own: String
        let used: Int
        let children: [QuotaRow]
        let isCity: Bool
        let form: FormState
    }

    private func quotaPage(_ req: Request, year: Int?, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let actor = try req.requireActor()
        let year = year ?? req.today.year
        let unit = try await req.scope.organization(actor.unitID, on: req.db)
        let children = try await req.scope.organizations(on: req.db).filter(\.$parentID == unit.id!).filter(\.$status == .active)
            .sort(\.$code).all()
        let quotas = try await AdmissionQuotas.quotas(year: year, units: [unit.id!] + children.map { $0.id! }, on: req.db)
        let classes = try await GraduatingClasses.rows(scope: req.scope, on: req.db)
        return try await req.page("admission/quotas", title: "发展计划", QuotaPage(
            classes: classes.map { row in
                let share = row.record.map { $0.level.share(members: row.members, pupils: $0.pupils) }
                return ClassRow(id: row.branch.id!, name: row.branch.name, members: row.members, pupils: row.record.map { String($0.pupils) } ?? "",
                                level: row.record?.level.label ?? "未登记",
                                share: share.map { "\($0.percent)%（上限 \(row.record!.level.capPercent)%）" } ?? "—", over: share?.over ?? false)
            },
            hasClasses: !classes.isEmpty, levels: GraduatingLevel.allCases.map { .init(value: $0.rawValue, label: $0.label) },
            year: year, unitID: unit.id!, unitName: unit.name, own: quotas[unit.id!].map { String($0.amount) } ?? "未下达",
            used: quotas[unit.id!]?.used ?? 0,
            children: children.map { QuotaRow(name: $0.name, amount: quotas[$0.id!].map { String($0.amount) } ?? "—", used: quotas[$0.id!]?.used ?? 0) },
            isCity: req.scope.isCityWide, form: form), status: status)
    }

    @Sendable func quotas(req: Request) async throws -> Response {
        try await quotaPage(req, year: try? req.query.get(Int.self, at: "year"), form: FormState(), status: .ok)
    }

    @Sendable func setTotal(req: Request) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        let year = state.check("year") { try FormField.year(form["year"]) }
        let amount = Int(form["amount"] ?? "").flatMap { (0...100_000_000).contains($0) ? $0 : nil }
        if amount == nil { state.errors["amount"] = "计划数应为非负整数" }
        let change = req.changeContext
        return try await req.submit(state, write: { db in
            try await AdmissionQuotas.setTotal(year: year!, amount: amount!, change, on: db)
        }, then: { _ in
            try await req.redirect(to: "/admission/quotas?year=\(year!)", flash: "已确定 \(year!) 年全市发展计划。")
        }, otherwise: { state in
            try await quotaPage(req, year: year, form: state, status: .unprocessableEntity)
        })
    }

    @Sendable func setClass(req: Request) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        let level = GraduatingLevel(rawValue: form["level"] ?? "")
        if level == nil { state.errors["pupils"] = "请选择初中或高中毕业年级" }
        let pupils = Int(form["pupils"] ?? "") ?? 0
        let branch = Int(form["branch"] ?? "") ?? -1
        return try await req.submit(state, back: { _ in "/admission/quotas" }, flash: { _ in "已登记毕业班人数。" }, page: { state in
            try await quotaPage(req, year: nil, form: state, status: .unprocessableEntity)
        }) { db, change in
            try await GraduatingClasses.set(branchID: branch, level: level!, pupils: pupils, change, on: db)
        }
    }

    @Sendable func split(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.form()
        var state = FormState(values: form)
        let year = state.check("year") { try FormField.year(form["year"]) }
        let lines = state.check("lines") { try FormField.requiredText(form["lines"], label: "分配", max: 20000) }
        let change = req.changeContext
        return try await req.submit(state, write: { db in
            try await AdmissionQuotas.split(year: year!, unitID: actor.unitID, lines: lines!, change, on: db)
        }, then: { count in
            try await req.redirect(to: "/admission/quotas?year=\(year!)", flash: "已分配到 \(count) 个下级单位。")
        }, otherwise: { state in
            try await quotaPage(req, year: year, form: state, status: .unprocessableEntity)
        })
    }
}
