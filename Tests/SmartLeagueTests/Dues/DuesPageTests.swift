import Foundation
import LeagueCore
import Testing
@testable import SmartLeague

/// The dues pages built from rows, without HTTP or a database.
@Suite struct DuesPageTests {
    @Test func aBranchShowsEachMembersDueThisMonthAndArrears() {
        let today = CalendarDate(year: 2026, month: 11, day: 15)!
        let branch = Organization()
        branch.id = 20
        branch.name = "海曙区某团支部"
        branch.type = .branch
        func member(_ id: Int, _ name: String) -> Member {
            let member = Member()
            member.id = id
            member.name = name
            member.memberNumber = "33020300\(id)"
            member.joinedOn = "2026-01-10"
            return member
        }
        let student = member(1, "李学"), newcomer = member(2, "王新")
        let profile = DuesProfile()
        profile.memberID = 1
        profile.category = .student
        profile.incomeFen = 0
        let paid = DuesPayment()
        paid.memberID = 1
        paid.month = "2026-11"
        paid.kind = .paid
        paid.amountFen = DuesPolicy.standard.flatFen
        let detail = DuesQueries.Branch(branch: branch, members: [student, newcomer], profiles: [1: profile], payments: [1: [paid]],
                                        policy: .standard)
        let page = DuesBranchPage(detail, today: today, form: FormState())
        let due = Money.yuan(DuesPolicy.standard.flatFen)
        #expect(page.members.map(\.category) == ["学生", "未登记"])
        #expect(page.members.map(\.due) == [due, "—"])
        #expect(page.members.first?.paidThisMonth == "缴纳 \(due)")
        let owed = DuesMonths.arrears(joined: CalendarDate(year: 2026, month: 1, day: 10)!, settled: ["2026-11"], today: today).owed
        #expect(page.members.first?.unpaid == owed && page.members.last?.unpaid == owed + 1)
        #expect(page.month == "2026-11" && page.form.values["month"] == "2026-11")
    }

    @Test func totalsShowEachChildsSumAndTheTable() {
        let unit = Organization()
        unit.id = 2
        unit.name = "海曙区"
        unit.type = .districtCommittee
        let branch = Organization()
        branch.id = 20
        branch.name = "海曙区某团支部"
        branch.type = .branch
        let totals = DuesQueries.Totals(unit: unit, month: "2026-11", months: [.init(key: "2026-11", total: 420, n: 2)], children: [branch],
                                        childTotals: [20: 420], policy: .standard)
        let page = DuesTotalsPage(totals, canSetPolicy: false, form: FormState())
        #expect(page.months.first?.amount == "4.20" && page.months.first?.count == 2)
        #expect(page.children.first?.amount == "4.20" && page.children.first?.isBranch == true)
        #expect(page.policy.flat == Money.yuan(DuesPolicy.standard.flatFen))
    }
}
