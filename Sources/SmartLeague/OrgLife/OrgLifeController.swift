import Fluent
import LeagueCore
import Vapor

/// 三会一课: a unit's branches by compliance, a branch's record, a meeting, and the cadence.
struct OrgLifeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(OrgLifeRoute.overview, use: overview)
        routes.get(OrgLifeRoute.branch(.key), use: branch)
        routes.upload(OrgLifeRoute.record(.key), maxSize: "21mb", use: record)
        routes.get(OrgLifeRoute.meeting(.key), use: meeting)
        routes.get(OrgLifeRoute.meetingFile(.key, .key), use: download)
        routes.post(OrgLifeRoute.cadence, use: setCadence)
    }

    @Sendable func overview(req: Request) async throws -> Response {
        let unit = try await req.chosenUnit()
        let today = req.today
        let year = (try? req.query.get(Int.self, at: "year")).flatMap { (2000...today.year).contains($0) ? $0 : nil } ?? today.year
        let overview = try await OrgLifeQueries.overview(under: unit, year: year, today: today, page: Pagination.requestedPage(req),
                                                         ranges: OrgLifeOverviewPage.ranges.map(\.range), scope: req.scope,
                                                         writer: req.application.writer, on: req.db)
        let cadence = try await MeetingWrites.cadence(on: req.db)
        return try await req.page("orglife/overview", title: "三会一课", OrgLifeOverviewPage(
            overview, unit: unit, year: year, cadence: cadence, canSetCadence: req.scope.isCityWide))
    }

    private func branchPage(_ req: Request, id: Int, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let record = try await OrgLifeQueries.branch(id, today: req.today, scope: req.scope, on: req.db)
        return try await req.page("orglife/branch", title: "三会一课", BranchMeetingsPage(record, today: req.today, form: form), status: status)
    }

    @Sendable func branch(req: Request) async throws -> Response {
        try await branchPage(req, id: try req.id(), form: FormState(), status: .ok)
    }

    @Sendable func record(req: Request) async throws -> Response {
        let id = try req.id()
        let (fields, files) = try req.formWithFiles()
        var state = FormState(values: fields)
        let input = try FormFields.decode(MeetingForm.self, from: fields).validate(&state, today: req.today)
        var file: Upload?
        do { file = try Upload.check(files["file"], field: "file", allowed: [.pdf, .png, .jpeg]) } catch let refusal as Refusal {
            state = refusal.filed(in: state)
        }
        let today = req.today
        return try await req.submit(state, back: { _ in OrgLifeRoute.branch(.value(id)).url },
                                    flash: { (meeting: Meeting) in "已登记\(meeting.kind.label)「\(meeting.topic)」。" }, page: { state in
            try await branchPage(req, id: id, form: state, status: .unprocessableEntity)
        }) { [file] db, change in
            guard var draft = input else { throw Refusal("请检查填写的内容") }
            draft.file = file
            return try await MeetingWrites.record(branchID: id, draft, today: today, change, on: db)
        }
    }

    @Sendable func meeting(req: Request) async throws -> Response {
        let detail = try await OrgLifeQueries.meeting(try req.id(), scope: req.scope, on: req.db)
        return try await req.page("orglife/meeting", title: detail.meeting.kind.label, MeetingPage(detail))
    }

    @Sendable func download(req: Request) async throws -> Response {
        let meeting = try await req.scope.find(Meeting.self, try req.id(), on: req.db)
        return try await Attachments.download(try req.id("file"), ownerType: Meeting.attachmentOwner, ownerID: meeting.id ?? 0, on: req.db)
    }

    @Sendable func setCadence(req: Request) async throws -> Response {
        let (input, state) = try req.validated(CadenceForm.self)
        guard let input else { throw Abort(.badRequest, reason: "请选择会议类型和频次") }
        return try await req.submit(state, back: { _ in OrgLifeRoute.overview.url },
                                    flash: { _ in "已将\(input.kind.label)设为\(input.cadence.label)。" }, page: { state in
            throw Abort(.forbidden, reason: state.errors["_form"] ?? "无法调整频次")
        }) { db, change in
            try await MeetingWrites.setCadence(input.kind, to: input.cadence, change, on: db)
        }
    }
}
