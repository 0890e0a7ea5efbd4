import LeagueCore

/// One assignment: its reports with their files, what was handed further down, and the forms of
/// its holder (report, hand down) and of whoever handed it down (comment, send back).
struct AssignmentPage: Encodable {
    struct File: Encodable {
        let name: String
        let size: String
        let url: String
    }

    struct Report: Encodable {
        let files: [File]
        let kind: String
        let text: String
        let figure: Int?
        let author: String
        let at: String
    }

    let row: AssignmentRow
    let taskID: Int
    let taskText: String
    let reports: [Report]
    let hasReports: Bool
    let children: [AssignmentRow]
    let hasChildren: Bool
    let canReport: Bool
    let canReview: Bool
    let done: Bool
    let form: FormState

    /// - Parameter holds: whether the caller's unit holds the assignment.
    init(_ detail: WorkPlanQueries.Assignment, holds: Bool, today: CalendarDate, form: FormState) {
        let assignment = detail.assignment
        let id = assignment.id ?? 0
        row = AssignmentRow(WorkPlanQueries.ListedAssignment(assignment), detail.named, today: today)
        taskID = detail.task.id ?? 0
        taskText = detail.task.text
        reports = detail.reports.map { report in
            let reportID = report.id ?? 0
            return Report(files: (detail.files[reportID] ?? []).map { file in
                File(name: file.fileName, size: ByteSize.text(file.size),
                     url: TaskRoute.download(.value(id), .value(reportID), .value(file.id ?? 0)).url)
            }, kind: report.kind.label, text: report.text, figure: report.figure, author: report.author, at: ChinaTime.dateTimeString(report.at))
        }
        hasReports = !reports.isEmpty
        children = AssignmentRow.rows(detail.children, today: today)
        hasChildren = !children.isEmpty
        canReport = holds && assignment.status != .done
        canReview = detail.isAssigner
        done = assignment.status == .done
        self.form = form
    }
}
