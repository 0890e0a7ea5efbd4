import LeagueCore
import Testing

@Suite struct EvaluationRulesTests {
    @Test func weightsMustAddUpToAHundred() {
        #expect(EvaluationRules.weightProblem(Indicator.defaults.map(\.weight)) == nil)
        #expect(EvaluationRules.weightProblem([30, 20, 20, 15]) == "各项权重合计 85，比 100 少 15")
        #expect(EvaluationRules.weightProblem([60, 50]) == "各项权重合计 110，比 100 多 10")
        #expect(EvaluationRules.weightProblem([100, 0]) == "每项权重须在 1 到 100 之间")
        #expect(EvaluationRules.weightProblem([]) == "请至少设置一项指标")
    }

    @Test func theTotalIsWeightedInHundredthsOfAPoint() {
        // 30×100 + 20×75 + 20×88 + 15×90 + 15×81 = 3000 + 1500 + 1760 + 1350 + 1215 = 8825
        let total = EvaluationRules.total([(30, 100), (20, 75), (20, 88), (15, 90), (15, 81)])
        #expect(total == 8825)
        #expect(EvaluationRules.text(hundredths: total) == "88.25")
        #expect(EvaluationRules.text(hundredths: 10000) == "100.00")
        #expect(EvaluationRules.text(hundredths: 6005) == "60.05")
        #expect(EvaluationRules.text(hundredths: 0) == "0.00")
    }

    @Test func computedScores() {
        #expect(EvaluationRules.completionScore(done: 2, total: 3) == 66)
        #expect(EvaluationRules.completionScore(done: 0, total: 0) == 100)
        // Overshooting one target (200%) does not make up for missing another (0%).
        #expect(EvaluationRules.targetsScore(parts: [(actual: 20, amount: 10), (actual: 0, amount: 10)]) == 50)
        #expect(EvaluationRules.targetsScore(parts: []) == 100)
    }

    @Test func equalTotalsShareAPlaceAndTheNextIsSkipped() {
        #expect(Ranking.competition([9000, 8500, 9000, 7000]) == [1, 3, 1, 4])
        #expect(Ranking.competition([]) == [])
    }

    @Test func scoresAreWholeNumbersFromZeroToAHundred() {
        #expect(EvaluationRules.score(" 100 ") == 100)
        #expect(EvaluationRules.score("0") == 0)
        #expect(EvaluationRules.score("101") == nil)
        #expect(EvaluationRules.score("-1") == nil)
        #expect(EvaluationRules.score("85.5") == nil)
        #expect(EvaluationRules.score(nil) == nil)
    }

    @Test func aSheetGoesDraftSubmittedReviewedAndCanBeSentBack() throws {
        #expect(try SheetStatus.draft.after(.saveSelf, schemeOpen: true) == .draft)
        #expect(try SheetStatus.draft.after(.submit, schemeOpen: true) == .submitted)
        #expect(try SheetStatus.submitted.after(.review, schemeOpen: true) == .reviewed)
        #expect(try SheetStatus.reviewed.after(.review, schemeOpen: true) == .reviewed)
        #expect(try SheetStatus.reviewed.after(.sendBack, schemeOpen: true) == .draft)
        #expect(throws: SheetStatus.Refusal(message: "自评已提交，如需修改请团市委退回")) {
            try SheetStatus.submitted.after(.saveSelf, schemeOpen: true)
        }
        #expect(throws: SheetStatus.Refusal(message: "该单位尚未提交自评")) { try SheetStatus.draft.after(.review, schemeOpen: true) }
        #expect(throws: SheetStatus.Refusal(message: "本年度考核已结束，不能再修改")) {
            try SheetStatus.reviewed.after(.sendBack, schemeOpen: false)
        }
    }
}
