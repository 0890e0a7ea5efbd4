import LeagueCore

/// 团费 of a unit: totals by month and by child, and the city's table (which the city edits).
struct DuesTotalsPage: Encodable {
    struct MonthRow: Encodable {
        let month: String
        let amount: String
        let count: Int
    }

    struct ChildRow: Encodable {
        let id: Int
        let name: String
        let amount: String
        let isBranch: Bool
    }

    struct PolicyView: Encodable {
        let flat: String
        let farmer: String
        let lowIncome: String
        let threshold: String
        let perMille: Int
        let cap: String

        init(_ policy: DuesPolicy) {
            flat = Money.yuan(policy.flatFen)
            farmer = Money.yuan(policy.farmerFen)
            lowIncome = Money.yuan(policy.lowIncomeFen)
            threshold = Money.yuan(policy.thresholdFen)
            perMille = policy.perMille
            cap = Money.yuan(policy.capFen)
        }
    }

    let unitID: Int
    let unitName: String
    let month: String
    let months: [MonthRow]
    let children: [ChildRow]
    let policy: PolicyView
    let canSetPolicy: Bool
    let form: FormState

    init(_ totals: DuesQueries.Totals, canSetPolicy: Bool, form: FormState) {
        unitID = totals.unit.id ?? 0
        unitName = totals.unit.name
        month = totals.month
        months = totals.months.map { MonthRow(month: $0.key, amount: Money.yuan($0.total), count: $0.n) }
        children = totals.children.map { child in
            ChildRow(id: child.id ?? 0, name: child.name, amount: Money.yuan(child.id.flatMap { totals.childTotals[$0] } ?? 0),
                     isBranch: child.type.isBranch)
        }
        policy = PolicyView(totals.policy)
        self.canSetPolicy = canSetPolicy
        self.form = form
    }
}
