import LeagueCore

/// 团费 of a branch: each member's category, due, this month's record and arrears, and the
/// treasurer's forms.
struct DuesBranchPage: Encodable {
    struct MemberRow: Encodable {
        let id: Int
        let name: String
        let memberNumber: String
        let category: String
        let categoryKey: String
        let income: String
        let due: String
        let unpaid: Int
        let lapse: Bool
        let paidThisMonth: String
    }

    let id: Int
    let name: String
    let month: String
    let members: [MemberRow]
    let hasMembers: Bool
    let categories: [Choice]
    let kinds: [Choice]
    let form: FormState

    /// - Parameter form: as typed; the month starts as this month.
    init(_ detail: DuesQueries.Branch, today: CalendarDate, form: FormState) {
        let month = DuesMonths.month(of: today)
        let policy = detail.policy
        id = detail.branch.id ?? 0
        name = detail.branch.name
        self.month = month
        members = detail.members.map { member in
            let memberID = member.id ?? 0
            let profile = detail.profiles[memberID]
            let payments = detail.payments[memberID] ?? []
            let start = DuesProfile.ledgerStart(joined: CalendarDate(member.joinedOn) ?? today, settledThrough: profile?.settledThrough)
            let arrears = DuesMonths.arrears(joined: start, settled: Set(payments.map(\.month)), today: today)
            return MemberRow(
                id: memberID, name: member.name, memberNumber: member.memberNumber, category: profile?.category.label ?? "未登记",
                categoryKey: profile?.category.rawValue ?? "", income: profile.map { Money.yuan($0.incomeFen) } ?? "",
                due: profile.map { Money.yuan(policy.monthlyDue($0.category, incomeFen: $0.incomeFen)) } ?? "—",
                unpaid: arrears.owed, lapse: arrears.run >= LeavingRules.lapseMonths,
                paidThisMonth: payments.first { $0.month == month }.map { "\($0.kind.label) \(Money.yuan($0.amountFen))" } ?? "")
        }
        hasMembers = !members.isEmpty
        categories = DuesCategory.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
        kinds = DuesPayment.Kind.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
        var form = form
        if form.values["month"] == nil { form.values["month"] = month }
        self.form = form
    }
}
