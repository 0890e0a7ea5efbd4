import LeagueCore
import Testing

@Suite struct DuesRulesTests {
    let policy = DuesPolicy.standard

    @Test func theMonthlyDueFollowsCategoryAndIncome() {
        #expect(policy.monthlyDue(.student, incomeFen: 0) == 20)
        #expect(policy.monthlyDue(.relief, incomeFen: 0) == 20)
        #expect(policy.monthlyDue(.farmer, incomeFen: 0) == 20)
        #expect(policy.monthlyDue(.salaried, incomeFen: 199_999) == 300)
        // Exactly 2,000 yuan: 2‰ of it, 4 yuan.
        #expect(policy.monthlyDue(.salaried, incomeFen: 200_000) == 400)
        // 3,456 yuan × 2‰ = 6.912 yuan: fractions of a yuan dropped.
        #expect(policy.monthlyDue(.salaried, incomeFen: 345_600) == 600)
        #expect(policy.monthlyDue(.salaried, incomeFen: 999_999) == 1_900)
        #expect(policy.monthlyDue(.salaried, incomeFen: 2_000_000) == 2_000)
        #expect(policy.monthlyDue(.salaried, incomeFen: 9_000_000) == 2_000)
    }

    @Test func moneyIsWholeFen() {
        #expect(Money.yuan(20) == "0.20")
        #expect(Money.yuan(400) == "4.00")
        #expect(Money.yuan(123_456) == "1234.56")
        #expect(Money.fen("3") == 300)
        #expect(Money.fen("0.2") == 20)
        #expect(Money.fen("3456.78") == 345_678)
        #expect(Money.fen("1.234") == nil)
        #expect(Money.fen("-1") == nil)
        #expect(Money.fen("99999999999999999") == nil)
        #expect(Money.fen("999999999.99") == 99_999_999_999)
        #expect(Money.fen("三元") == nil)
    }

    @Test func sixUnpaidMonthsInARowMeanALapseReview() {
        let due = DuesMonths.months(from: CalendarDate("2026-01-15")!, to: CalendarDate("2026-08-01")!)
        #expect(due.count == 8)
        #expect(DuesMonths.unpaidRun(due: due, settled: ["2026-01", "2026-02"]) == 6)
        #expect(DuesMonths.unpaidRun(due: due, settled: ["2026-01", "2026-03"]) == 5)
        #expect(DuesMonths.unpaidRun(due: due, settled: ["2026-08"]) == 0)
        #expect(DuesMonths.unpaidRun(due: due, settled: Set(due)) == 0)
        #expect(DuesPolicy(perMille: 200).problem == "比例不能超过 100‰")
    }
}
