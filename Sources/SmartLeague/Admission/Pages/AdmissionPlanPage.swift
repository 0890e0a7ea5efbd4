import LeagueCore

/// A year's admission plan: the unit's own and its children's, the graduating classes' member
/// share against the cap, and the forms to set and split the plan.
struct AdmissionPlanPage: Encodable {
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

    let classes: [ClassRow]
    let hasClasses: Bool
    let levels: [Choice]
    let year: Int
    let unitID: Int
    let unitName: String
    let own: String
    let used: Int
    let children: [QuotaRow]
    /// Only the city sets its total.
    let isCity: Bool
    let form: FormState

    init(_ plan: AdmissionQueries.Plan, isCity: Bool, form: FormState) {
        classes = plan.classes.map { row in
            let share = row.record.map { record in (record.level.share(members: row.members, pupils: record.pupils), record.level.capPercent) }
            return ClassRow(id: row.branch.id ?? 0, name: row.branch.name, members: row.members, pupils: row.record.map { String($0.pupils) } ?? "",
                            level: row.record?.level.label ?? "未登记",
                            share: share.map { "\($0.0.percent)%（上限 \($0.1)%）" } ?? "—", over: share?.0.over ?? false)
        }
        hasClasses = !classes.isEmpty
        levels = GraduatingLevel.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
        year = plan.year
        unitID = plan.unit.id ?? 0
        unitName = plan.unit.name
        let own = plan.unit.id.flatMap { plan.quotas[$0] }
        self.own = own.map { String($0.amount) } ?? "未下达"
        used = own?.used ?? 0
        children = plan.children.map { child in
            let quota = child.id.flatMap { plan.quotas[$0] }
            return QuotaRow(name: child.name, amount: quota.map { String($0.amount) } ?? "—", used: quota?.used ?? 0)
        }
        self.isCity = isCity
        self.form = form
    }
}
