import Fluent
import LeagueCore
import Vapor

/// Handing plan tasks down and following them: a task's page, a unit's tasks, one assignment.
struct TaskController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("plans", "tasks", ":id", use: task)
        routes.post("plans", "tasks", ":id", "assign", use: assign)
        routes.post("plans", "tasks", ":id", "targets", use: addTarget)
        let assignments = routes.grouped("assignments")
        assignments.get(use: index)
        assignments.get(":id", use: show)
        assignments.upload(":id", "report", maxSize: "21mb", use: report)
        assignments.upload(":id", "review", maxSize: "21mb", use: review)
        assignments.get(":id", "reports", ":report", "files", ":file", use: download)
        assignments.post(":id", "handdown", use: handDown)
    }

    struct Row: Encodable {
        let id: Int
        let task: String
        let unitName: String
        let leadOffice: String
        let deadline: String
        let status: String
        let overdue: Bool
    }

    /// Assignments as rows, overdue first, then by deadline.
    static func rows(_ assignments: [TaskAssignment], today: CalendarDate, on db: any Database) async throws -> [Row] {
        let names = try await Directory.unitNames(assignments.map(\.unitID), on: db)
        let tasks = try await WorkPlanEntry.query(on: db).filter(\.$id ~~ Set(assignments.map(\.taskID))).all()
        let texts = Dictionary(uniqueKeysWithValues: tasks.map { ($0.id!, $0.text) })
        return assignments.map { a in
            let deadline = CalendarDate(a.deadline) ?? today
            return Row(id: a.id!, task: String((texts[a.taskID] ?? "").prefix(40)), unitName: names[a.unitID] ?? "",
                       leadOffice: a.leadOffice ?? "", deadline: a.deadline, status: a.status.shown(deadline: deadline, today: today),
                       overdue: a.status.isOverdue(deadline: deadline, today: today))
        }.sorted { ($0.overdue ? 0 : 1, $0.deadline) < ($1.overdue ? 0 : 1, $1.deadline) }
    }

    struct PartView: Encodable {
        let unitName: String
        let base: Int?
        let amount: Int
        let actual: Int
        let percent: Int
        let barWidth: Int
    }

    struct TargetView: Encodable {
        let name: String
        let measure: String
        let total: Int
        let actual: Int
        let percent: Int
        let barWidth: Int
        let source: String
        let year: Int
        /// "上年 40，增长 20%" for growth targets.
        let growth: String?
        let parts: [PartView]
    }

    struct TaskPage: Encodable {
        let id: Int
        let text: String
        let rows: [Row]
        let hasRows: Bool
        let targets: [TargetView]
        let hasTargets: Bool
        let sources: [Choice]
        let canAssign: Bool
        let form: FormState
    }

    /// Each target with its parts' actuals, as far as the caller reaches.
    static func targets(task id: Int, scope: Scope, on db: any Database) async throws -> [TargetView] {
        var views: [TargetView] = []
        for target in try await TaskTarget.query(on: db).filter(\.$taskID == id).sort(\.$id).all() {
            let parts = try await scope.query(TaskTargetPart.self, on: db).filter(\.$targetID == target.id!).all()
            let names = try await scope.unitNames(parts.map(\.unitID), on: db)
            var partViews: [PartView] = []
            for part in parts {
                let actual = try await TargetWrites.actual(target, unitPath: part.unitPath, unitID: part.unitID, on: db)
                let percent = TargetSplit.percent(actual: actual, target: part.amount)
                partViews.append(PartView(unitName: names[part.unitID] ?? "", base: part.base, amount: part.amount, actual: actual,
                                          percent: percent, barWidth: percent * 2))
            }
            let actual = partViews.reduce(0) { $0 + $1.actual }
            let percent = TargetSplit.percent(actual: actual, target: target.total)
            views.append(TargetView(name: target.name, measure: target.measure, total: target.total, actual: actual,
                                    percent: percent, barWidth: percent * 2, source: target.source.label,
                                    year: target.year, growth: target.growthPercent.map { percent in
                                        "\(target.year - 1) 年实际 \(partViews.reduce(0) { $0 + ($1.base ?? 0) })\(target.measure)，增长 \(percent)%"
                                    }, parts: partViews))
        }
        return views
    }

    private func taskPage(_ req: Request, id: Int, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let task = try await TaskAssignments.task(id, on: req.db)
        let assignments = try await req.scope.query(TaskAssignment.self, on: req.db).filter(\.$taskID == id).all()
        let rows = try await Self.rows(assignments, today: req.today, on: req.db)
        let targets = try await Self.targets(task: id, scope: req.scope, on: req.db)
        var state = form
        if state.values["year"] == nil { state.values["year"] = String(req.today.year) }
        return try await req.page("workplan/task", title: "任务分解", TaskPage(
            id: id, text: task.text, rows: rows, hasRows: !rows.isEmpty, targets: targets, hasTargets: !targets.isEmpty,
            sources: TargetSource.allCases.map { .init(value: $0.rawValue, label: $0.label) },
            canAssign: req.scope.isCityWide, form: state), status: status)
    }

    @Sendable func task(req: Request) async throws -> Response {
        try await taskPage(req, id: try req.id(), form: FormState(), status: .ok)
    }

    @Sendable func assign(req: Request) async throws -> Response {
        let id = try req.id()
        let form = try req.form()
        var state = FormState(values: form)
        let units = state.check("units") { try FormField.requiredText(form["units"], label: "承担单位", max: 4000) }
        let lead = state.check("leadOffice") { try FormField.text(form["leadOffice"], label: "牵头部门", required: false, max: 30) } ?? nil
        let deadline = state.check("deadline") { try FormField.date(form["deadline"], label: "完成期限", required: true) } ?? nil
        let change = req.changeContext
        let today = req.today
        return try await req.submit(state, write: { db in
            try await TaskAssignments.assign(taskID: id, units: units!, leadOffice: lead, deadline: deadline!, today: today, change, on: db)
        }, then: { count in
            try await req.redirect(to: "/plans/tasks/\(id)", flash: "已分解给 \(count) 个单位。")
        }, otherwise: { state in
            try await taskPage(req, id: id, form: state, status: .unprocessableEntity)
        })
    }

    @Sendable func addTarget(req: Request) async throws -> Response {
        let id = try req.id()
        let form = try req.form()
        var state = FormState(values: form)
        let name = state.check("targetName") { try FormField.requiredText(form["targetName"], label: "目标名称", max: 40) }
        let measure = state.check("measure") { try FormField.requiredText(form["measure"], label: "计量单位", max: 6) }
        var split: TargetWrites.Split?
        if let raw = form["growth"]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if let percent = Int(raw), (1...1000).contains(percent) { split = .growth(percent: percent) } else {
                state.errors["growth"] = "增长比例须为 1 到 1000 之间的整数"
            }
        } else if let total = Int(form["total"] ?? ""), total > 0, total <= 100_000_000 {
            split = .amounts(total: total)
        } else {
            state.errors["total"] = "总目标须为正整数（按上年增长设定时可不填）"
        }
        let source = TargetSource(rawValue: form["source"] ?? "")
        if source == nil { state.errors["source"] = "请选择实际数的来源" }
        let year = state.check("year") { try FormField.year(form["year"]) }
        let parts = state.check("parts") { try FormField.requiredText(form["parts"], label: "分解到单位", max: 8000) }
        let change = req.changeContext
        return try await req.submit(state, write: { [split] db in
            try await TargetWrites.addTarget(taskID: id, name: name!, measure: measure!, split: split!, source: source!, year: year!,
                                             parts: parts!, change, on: db)
        }, then: { _ in
            try await req.redirect(to: "/plans/tasks/\(id)", flash: "已设定目标「\(name!)」。")
        }, otherwise: { state in
            try await taskPage(req, id: id, form: state, status: .unprocessableEntity)
        })
    }

    struct IndexPage: Encodable {
        let rows: [Row]
        let hasRows: Bool
    }

    @Sendable func index(req: Request) async throws -> Response {
        let assignments = try await req.scope.query(TaskAssignment.self, on: req.db).sort(\.$deadline).range(0..<500).all()
        let rows = try await Self.rows(assignments, today: req.today, on: req.db)
        return try await req.page("workplan/assignments", title: "任务进度", IndexPage(rows: rows, hasRows: !rows.isEmpty))
    }

    struct FileView: Encodable {
        let id: Int
        let name: String
        let size: String
    }

    struct ReportView: Encodable {
        let id: Int
        let files: [FileView]
        let kind: String
        let text: String
        let figure: Int?
        let author: String
        let at: String
    }

    struct ShowPage: Encodable {
        let row: Row
        let taskID: Int
        let taskText: String
        let reports: [ReportView]
        let hasReports: Bool
        let children: [Row]
        let hasChildren: Bool
        let canReport: Bool
        let canReview: Bool
        let done: Bool
        let form: FormState
    }

    private func showPage(_ req: Request, id: Int, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let assignment = try await req.scope.find(TaskAssignment.self, id, on: req.db)
        let today = req.today
        let row = try await Self.rows([assignment], today: today, on: req.db)[0]
        let task = try await TaskAssignments.task(assignment.taskID, on: req.db)
        let reports = try await TaskReport.query(on: req.db).filter(\.$assignmentID == id).sort(\.$at).sort(\.$id).all()
        let files = try await Attachments.list(ownerType: TaskReport.attachmentOwner, ownerIDs: reports.map { $0.id! }, on: req.db)
        let children = try await req.scope.query(TaskAssignment.self, on: req.db).filter(\.$parentID == id).all()
        let holder = req.scope.root.map { $0.contains(assignment.unitPath) } ?? false
        return try await req.page("workplan/assignment", title: "任务进度", ShowPage(
            row: row, taskID: task.id!, taskText: task.text,
            reports: reports.map { ReportView(id: $0.id!, files: (files[$0.id!] ?? []).map {
                FileView(id: $0.id!, name: $0.fileName, size: ByteSize.text($0.size)) }, kind: $0.kind.label, text: $0.text, figure: $0.figure, author: $0.author,
                                              at: ChinaTime.dateTimeString($0.at)) },
            hasReports: !reports.isEmpty,
            children: try await Self.rows(children, today: today, on: req.db), hasChildren: !children.isEmpty,
            canReport: holder && assignment.status != .done,
            canReview: try await TaskAssignments.isAssigner(assignment, scope: req.scope, on: req.db),
            done: assignment.status == .done, form: form), status: status)
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await showPage(req, id: try req.id(), form: FormState(), status: .ok)
    }

    private func say(_ req: Request, kind: TaskReportKind) async throws -> Response {
        let id = try req.id()
        let (form, files) = try req.formWithFiles()
        var state = FormState(values: form)
        let text = state.check("text") { try FormField.requiredText(form["text"], label: "内容", max: 2000) }
        var file: Upload?
        do { file = try Upload.check(files["file"], field: "file") } catch let refusal as Refusal {
            state.errors["file"] = refusal.message
        }
        var figure: Int?
        if let raw = form["figure"]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            figure = Int(raw)
            if figure == nil || figure! < 0 { state.errors["figure"] = "数字须为非负整数" }
        }
        let finished = form["finished"] == "1"
        let change = req.changeContext
        return try await req.submit(state, write: { [figure, file] db in
            try await TaskAssignments.say(kind, on: id, text: text!, figure: figure, finished: finished, file: file, change, on: db)
        }, then: { _ in
            try await req.redirect(to: "/assignments/\(id)", flash: "\(kind.label)已提交。")
        }, otherwise: { state in
            try await showPage(req, id: id, form: state, status: .unprocessableEntity)
        })
    }

    @Sendable func report(req: Request) async throws -> Response {
        try await say(req, kind: .report)
    }

    @Sendable func review(req: Request) async throws -> Response {
        let kind: TaskReportKind = (try? req.formWithFiles().fields["kind"]) == "sendBack" ? .sendBack : .comment
        return try await say(req, kind: kind)
    }

    /// A file attached to a report, for whoever may see the assignment.
    @Sendable func download(req: Request) async throws -> Response {
        let assignment = try await req.scope.find(TaskAssignment.self, try req.id(), on: req.db)
        guard let reportID = req.parameters.get("report", as: Int.self), let fileID = req.parameters.get("file", as: Int.self),
              try await TaskReport.query(on: req.db).filter(\.$id == reportID).filter(\.$assignmentID == assignment.id!).count() == 1
        else { throw Abort(.notFound) }
        return try await Attachments.download(fileID, ownerType: TaskReport.attachmentOwner, ownerID: reportID, on: req.db)
    }

    @Sendable func handDown(req: Request) async throws -> Response {
        let id = try req.id()
        let form = try req.form()
        var state = FormState(values: form)
        let units = state.check("units") { try FormField.requiredText(form["units"], label: "承担单位", max: 4000) }
        let deadline = state.check("deadline") { try FormField.date(form["deadline"], label: "完成期限", required: true) } ?? nil
        let change = req.changeContext
        let today = req.today
        return try await req.submit(state, write: { db in
            try await TaskAssignments.handDown(id, units: units!, deadline: deadline!, today: today, change, on: db)
        }, then: { count in
            try await req.redirect(to: "/assignments/\(id)", flash: "已分解给 \(count) 个下级单位。")
        }, otherwise: { state in
            try await showPage(req, id: id, form: state, status: .unprocessableEntity)
        })
    }
}
