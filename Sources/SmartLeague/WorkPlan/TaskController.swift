import Fluent
import LeagueCore
import Vapor

/// Handing plan tasks down and following them: a task's page, a unit's tasks, one assignment.
struct TaskController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(TaskRoute.task(.key), use: task)
        routes.post(TaskRoute.assign(.key), use: assign)
        routes.post(TaskRoute.addTarget(.key), use: addTarget)
        routes.get(TaskRoute.index, use: index)
        routes.get(TaskRoute.show(.key), use: show)
        routes.upload(TaskRoute.report(.key), maxSize: "21mb", use: report)
        routes.upload(TaskRoute.review(.key), maxSize: "21mb", use: review)
        routes.get(TaskRoute.download(.key, .key, .key), use: download)
        routes.post(TaskRoute.handDown(.key), use: handDown)
    }

    private func taskPage(_ req: Request, id: Int, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let task = try await WorkPlanQueries.task(id, scope: req.scope, on: req.db)
        return try await req.page("workplan/task", title: "任务分解",
                                  TaskPage(task, canAssign: req.scope.isCityWide, today: req.today, form: form), status: status)
    }

    @Sendable func task(req: Request) async throws -> Response {
        try await taskPage(req, id: try req.id(), form: FormState(), status: .ok)
    }

    /// A write from a task's page: back to it with a message, or the page again with the refusal.
    private func onTask<T: Sendable>(_ req: Request, _ state: FormState, flash: @escaping @Sendable (T) -> String,
                                     _ body: @escaping @Sendable (Int, any Database, ChangeContext) async throws -> T) async throws -> Response {
        let id = try req.id()
        return try await req.submit(state, back: { _ in TaskRoute.task(.value(id)).url }, flash: flash, page: { state in
            try await taskPage(req, id: id, form: state, status: .unprocessableEntity)
        }) { db, change in try await body(id, db, change) }
    }

    @Sendable func assign(req: Request) async throws -> Response {
        let (input, state) = try req.validated(AssignTaskForm.self)
        let today = req.today
        return try await onTask(req, state, flash: { (count: Int) in "已分解给 \(count) 个单位。" }) { id, db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await TaskAssignments.assign(taskID: id, input, today: today, change, on: db)
        }
    }

    @Sendable func addTarget(req: Request) async throws -> Response {
        let (input, state) = try req.validated(TargetForm.self)
        return try await onTask(req, state, flash: { (name: String) in "已设定目标「\(name)」。" }) { id, db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            try await TargetWrites.addTarget(taskID: id, input, change, on: db)
            return input.name
        }
    }

    @Sendable func index(req: Request) async throws -> Response {
        let pagination = Pagination(page: Pagination.requestedPage(req), pageSize: AssignmentListPage.pageSize,
                                    total: try await WorkPlanQueries.assignmentCount(scope: req.scope, on: req.db))
        let assignments = try await WorkPlanQueries.assignments(scope: req.scope, today: req.today, offset: pagination.offset,
                                                                limit: pagination.pageSize, on: req.db)
        return try await req.page("workplan/assignments", title: "任务进度", AssignmentListPage(assignments, pagination: pagination, today: req.today))
    }

    private func showPage(_ req: Request, id: Int, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let detail = try await WorkPlanQueries.assignment(id, scope: req.scope, on: req.db)
        let holds = req.scope.root.map { $0.contains(detail.assignment.unitPath) } ?? false
        return try await req.page("workplan/assignment", title: "任务进度",
                                  AssignmentPage(detail, holds: holds, today: req.today, form: form), status: status)
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await showPage(req, id: try req.id(), form: FormState(), status: .ok)
    }

    /// A write from an assignment's page: back to it with a message, or the page again with the refusal.
    private func onAssignment<T: Sendable>(_ req: Request, _ state: FormState, flash: @escaping @Sendable (T) -> String,
                                           _ body: @escaping @Sendable (Int, any Database, ChangeContext) async throws -> T) async throws -> Response {
        let id = try req.id()
        return try await req.submit(state, back: { _ in TaskRoute.show(.value(id)).url }, flash: flash, page: { state in
            try await showPage(req, id: id, form: state, status: .unprocessableEntity)
        }) { db, change in try await body(id, db, change) }
    }

    /// A report, or the reviewer's comment or sending-back, with the file it may carry.
    private func say(_ req: Request, kindOf: (TaskReportForm) -> TaskReportKind) async throws -> Response {
        let (fields, files) = try req.formWithFiles()
        let form = try FormFields.decode(TaskReportForm.self, from: fields)
        var state = FormState(values: fields.filter { $0.key != "csrf" })
        let input = form.validate(&state, today: req.today)
        let file = TaskReportForm.attachment(files["file"], &state)
        let kind = kindOf(form)
        return try await onAssignment(req, state, flash: { (_: Void) in "\(kind.label)已提交。" }) { id, db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            try await TaskAssignments.say(kind, on: id, input, file: file, change, on: db)
        }
    }

    @Sendable func report(req: Request) async throws -> Response {
        try await say(req) { _ in .report }
    }

    @Sendable func review(req: Request) async throws -> Response {
        try await say(req) { $0.reviewKind }
    }

    /// A file attached to a report, for whoever may see the assignment.
    @Sendable func download(req: Request) async throws -> Response {
        let id = try req.id(), reportID = try req.id("report"), fileID = try req.id("file")
        guard try await WorkPlanQueries.isReport(reportID, ofAssignment: id, scope: req.scope, on: req.db) else { throw Abort(.notFound) }
        return try await Attachments.download(fileID, ownerType: TaskReport.attachmentOwner, ownerID: reportID, on: req.db)
    }

    @Sendable func handDown(req: Request) async throws -> Response {
        let (input, state) = try req.validated(HandDownForm.self)
        let today = req.today
        return try await onAssignment(req, state, flash: { (count: Int) in "已分解给 \(count) 个下级单位。" }) { id, db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await TaskAssignments.handDown(id, input, today: today, change, on: db)
        }
    }
}
