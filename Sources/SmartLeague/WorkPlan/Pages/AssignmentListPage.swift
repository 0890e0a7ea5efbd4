import LeagueCore

/// An assignment as a row of the lists: the task's opening words, the unit, the deadline, and
/// its status as of today.
struct AssignmentRow: Encodable {
    let id: Int
    let task: String
    let unitName: String
    let leadOffice: String
    let deadline: String
    let status: String
    let overdue: Bool

    init(_ assignment: WorkPlanQueries.ListedAssignment, _ named: WorkPlanQueries.Assignments, today: CalendarDate) {
        let deadline = CalendarDate(assignment.deadline) ?? today
        id = assignment.id
        task = String((named.taskTexts[assignment.taskID] ?? "").prefix(40))
        unitName = named.unitNames[assignment.unitID] ?? ""
        leadOffice = assignment.leadOffice ?? ""
        self.deadline = assignment.deadline
        status = assignment.status.shown(deadline: deadline, today: today)
        overdue = assignment.status.isOverdue(deadline: deadline, today: today)
    }

    /// Overdue first, then by deadline.
    static func rows(_ named: WorkPlanQueries.Assignments, today: CalendarDate) -> [AssignmentRow] {
        named.assignments.map { AssignmentRow($0, named, today: today) }
            .sorted { ($0.overdue ? 0 : 1, $0.deadline) < ($1.overdue ? 0 : 1, $1.deadline) }
    }
}

/// 任务进度: the assignments of the caller's unit and those below.
struct AssignmentListPage: Encodable {
    static let pageSize = 50

    let rows: [AssignmentRow]
    let hasRows: Bool
    let pagination: Pagination

    init(_ named: WorkPlanQueries.Assignments, pagination: Pagination, today: CalendarDate) {
        rows = AssignmentRow.rows(named, today: today)
        hasRows = !rows.isEmpty
        self.pagination = pagination
    }
}
