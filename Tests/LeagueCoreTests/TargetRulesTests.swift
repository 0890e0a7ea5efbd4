import LeagueCore
import Testing

@Suite struct TargetRulesTests {
    @Test func partsMustAddUpAndTheDifferenceIsNamed() {
        #expect(TargetSplit.problem(total: 50, parts: [30, 20]) == nil)
        #expect(TargetSplit.problem(total: 50, parts: [30, 15]) == "各单位分解数合计 45，比总目标 50 少 5")
        #expect(TargetSplit.problem(total: 50, parts: [30, 25]) == "各单位分解数合计 55，比总目标 50 多 5")
        #expect(TargetSplit.problem(total: 0, parts: [5, -5]) == "分解数不能为负数")
    }

    @Test func growthRoundsUpSoThatTheGrowthIsReallyThere() {
        #expect(TargetSplit.grown(base: 5, percent: 20) == 6)
        #expect(TargetSplit.grown(base: 2, percent: 20) == 3)
        #expect(TargetSplit.grown(base: 10, percent: 20) == 12)
        #expect(TargetSplit.grown(base: 0, percent: 20) == 0)
    }

    @Test func percentReachedIsCappedForTheBar() {
        #expect(TargetSplit.percent(actual: 30, target: 50) == 60)
        #expect(TargetSplit.percent(actual: 80, target: 50) == 100)
        #expect(TargetSplit.percent(actual: 0, target: 0) == 0)
    }
}

@Suite struct YearFieldTests {
    @Test func aYearIsFourDigitsFrom2000To2100() throws {
        #expect(try FormField.year(" 2026 ") == 2026)
        #expect(throws: FormField.Problem("年度应为四位年份")) { try FormField.year("26") }
        #expect(throws: FormField.Problem("年度应为四位年份")) { try FormField.year(nil) }
    }
}
