import LeagueCore

/// A year's plan at a glance for the caller's unit: progress by section, overdue tasks first,
/// targets against actuals, and the units directly below side by side.
struct DashboardPage: Encodable {
    struct Tally: Encodable {
        let name: String
        let total: Int
        let done: Int
        let overdue: Int
        let percent: Int
        let barWidth: Int

        init(name: String, _ assignments: [TaskAssignment], today: CalendarDate) {
            self.name = name
            total = assignments.count
            done = assignments.filter { $0.status == .done }.count
            overdue = assignments.filter { $0.status.isOverdue(deadline: CalendarDate($0.deadline) ?? today, today: today) }.count
            percent = TargetSplit.percent(actual: done, target: total)
            barWidth = percent * 2
        }
    }

    let year: Int
    let title: String
    let sections: [Tally]
    let overdue: [AssignmentRow]
    let hasOverdue: Bool
    let targets: [TargetView]
    let hasTargets: Bool
    let units: [Tally]
    let hasUnits: Bool

    init(_ dashboard: WorkPlanQueries.Dashboard, today: CalendarDate) {
        let byTask = Dictionary(grouping: dashboard.assignments, by: \.taskID)
        year = dashboard.plan.year
        title = dashboard.plan.title
        sections = dashboard.outline.map { section in
            Tally(name: "\(PlanText.chineseNumber(section.number))、\(section.title)",
                  section.items.flatMap { $0.tasks.flatMap { byTask[$0.id] ?? [] } }, today: today)
        }
        overdue = AssignmentRow.rows(dashboard.overdue, today: today)
        hasOverdue = !overdue.isEmpty
        targets = dashboard.targets.map(TargetView.init)
        hasTargets = !targets.isEmpty
        units = dashboard.children.map { unit in
            Tally(name: unit.name, dashboard.assignments.filter { unit.path.contains($0.unitPath) }, today: today)
        }
        hasUnits = !units.isEmpty
    }
}
