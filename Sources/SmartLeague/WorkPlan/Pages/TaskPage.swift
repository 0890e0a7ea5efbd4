import LeagueCore

/// A target against its actual, whole and by unit, as bars.
struct TargetView: Encodable {
    struct Part: Encodable {
        let unitName: String
        let base: Int?
        let amount: Int
        let actual: Int
        let percent: Int
        let barWidth: Int
    }

    let name: String
    let measure: String
    let total: Int
    let actual: Int
    let percent: Int
    let barWidth: Int
    let source: String
    let year: Int
    /// "2025 年实际 40人，增长 20%" for growth targets.
    let growth: String?
    let parts: [Part]

    init(_ figures: WorkPlanQueries.TargetFigures) {
        let target = figures.target
        parts = figures.parts.map { part in
            let percent = TargetSplit.percent(actual: part.actual, target: part.amount)
            return Part(unitName: part.unitName, base: part.base, amount: part.amount, actual: part.actual, percent: percent,
                        barWidth: percent * 2)
        }
        name = target.name
        measure = target.measure
        total = target.total
        actual = parts.reduce(0) { $0 + $1.actual }
        percent = TargetSplit.percent(actual: actual, target: target.total)
        barWidth = percent * 2
        source = target.source.label
        year = target.year
        let base = parts.reduce(0) { $0 + ($1.base ?? 0) }
        growth = target.growthPercent.map { "\(target.year - 1) 年实际 \(base)\(target.measure)，增长 \($0)%" }
    }
}

/// 任务分解: a plan task, the units it was handed to, its targets, and for the city the forms
/// that hand it down and set targets.
struct TaskPage: Encodable {
    let id: Int
    let text: String
    let rows: [AssignmentRow]
    let hasRows: Bool
    let targets: [TargetView]
    let hasTargets: Bool
    let sources: [Choice]
    let canAssign: Bool
    let form: FormState

    /// - Parameter form: as typed; the year starts as this year.
    init(_ task: WorkPlanQueries.Task, canAssign: Bool, today: CalendarDate, form: FormState) {
        id = task.task.id ?? 0
        text = task.task.text
        rows = AssignmentRow.rows(task.assignments, today: today)
        hasRows = !rows.isEmpty
        targets = task.targets.map(TargetView.init)
        hasTargets = !targets.isEmpty
        sources = TargetSource.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
        self.canAssign = canAssign
        var form = form
        if form.values["year"] == nil { form.values["year"] = String(today.year) }
        self.form = form
    }
}
