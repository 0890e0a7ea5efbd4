import LeagueCore
import Testing

@Suite struct GradingRulesTests {
    @Test(arguments: [(59, StarLevel.weak), (60, .lagging), (69, .lagging), (70, .threeStar), (79, .threeStar),
                      (80, .fourStar), (89, .fourStar), (90, .fiveStar), (100, .fiveStar), (0, .weak)])
    func theLevelFollowsTheScore(score: Int, level: StarLevel) {
        #expect(StarLevel(score: score, vetoed: false) == level)
    }

    @Test func anyVetoMakesABranchWeakWhateverItsScore() {
        #expect(StarLevel(score: 100, vetoed: true) == .weak)
        #expect(StarLevel(score: 100, vetoed: true).label == "软弱涣散")
    }

    @Test func branchesTakePartOnceSixMonthsOld() {
        let opens = CalendarDate("2026-11-29")!
        #expect(GradingRules.takesPart(established: CalendarDate("2026-05-29")!, roundOpens: opens))
        #expect(!GradingRules.takesPart(established: CalendarDate("2026-05-30")!, roundOpens: opens))
        // 31 August plus six months is the last day of February.
        #expect(GradingRules.takesPart(established: CalendarDate("2025-08-31")!, roundOpens: CalendarDate("2026-02-28")!))
    }

    @Test func itemScoresAreWholePointsUpToTwenty() {
        #expect(GradingRules.itemScore("20") == 20)
        #expect(GradingRules.itemScore("0") == 0)
        #expect(GradingRules.itemScore("21") == nil)
        #expect(GradingRules.itemScore("-1") == nil)
        #expect(GradingRules.itemScore("18.5") == nil)
    }

    @Test func localCapsLimitTheTopLevels() {
        // 30% of 7 taking part: two five-star branches fit (28%), a third does not (42%).
        #expect(GradingRules.capProblem(level: .fiveStar, alreadyAtLevel: 1, takingPart: 7, capPercent: 30) == nil)
        #expect(GradingRules.capProblem(level: .fiveStar, alreadyAtLevel: 2, takingPart: 7, capPercent: 30)
            == "五星级将达到 3/7，超过本地上限 30%")
        #expect(GradingRules.capProblem(level: .threeStar, alreadyAtLevel: 6, takingPart: 7, capPercent: 30) == nil)
        #expect(GradingRules.capProblem(level: .fourStar, alreadyAtLevel: 6, takingPart: 7, capPercent: nil) == nil)
    }

    @Test func electionsFallDueAfterTheLongestTerm() {
        let start = CalendarDate("2024-03-01")!
        #expect(!CadreTerms.electionOverdue(type: .branch, termStart: start, today: CalendarDate("2026-03-01")!))
        #expect(CadreTerms.electionOverdue(type: .branch, termStart: start, today: CalendarDate("2026-03-02")!))
        #expect(!CadreTerms.electionOverdue(type: .committee, termStart: start, today: CalendarDate("2027-03-01")!))
        #expect(CadreTerms.electionOverdue(type: .committee, termStart: start, today: CalendarDate("2027-03-02")!))
        #expect(CadreTerms.longestTerm(of: .districtCommittee) == 5)
        #expect(percentShare(1, of: 3) == 33)
        #expect(percentShare(0, of: 0) == 0)
    }
}
