import LeagueCore
import Testing

@Suite struct AdmissionRulesTests {
    func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    @Test func noStageCanBeSkippedAndAnyCanBeRejected() throws {
        var stage = AdmissionStage.applied
        for step in AdmissionStep.forward {
            stage = try step.apply(to: stage).get()
            #expect(stage == step.to)
        }
        #expect(stage == .certified)
        if case .failure(let problem) = AdmissionStep.vote.apply(to: .activist) {
            #expect(problem.message == "当前为“入团积极分子”，不能支部大会表决（须先到“已预审”）")
        } else { Issue.record("a skipped stage was accepted") }
        #expect(try AdmissionStep.reject.apply(to: .candidate).get() == .rejected)
        #expect((try? AdmissionStep.reject.apply(to: .member).get()) == nil)
    }

    @Test func theTalkIsWithinAMonth() {
        #expect(AdmissionRules.talkProblem(applied: day("2026-01-31"), talk: day("2026-02-28")) == nil)
        #expect(AdmissionRules.talkProblem(applied: day("2026-01-31"), talk: day("2026-03-01")) == "应在申请后一个月内（2026-02-28 前）谈话")
        #expect(AdmissionRules.talkProblem(applied: day("2026-01-31"), talk: day("2026-01-30")) == "谈话日期不能早于申请日期")
    }

    @Test func trainingTakesThreeMonthsAndEightClassHours() {
        #expect(AdmissionRules.trainingProblem(activistSince: day("2026-02-01"), on: day("2026-05-01"), classHours: 8) == nil)
        #expect(AdmissionRules.trainingProblem(activistSince: day("2026-02-01"), on: day("2026-04-30"), classHours: 8)
            == "培养考察须满 3 个月（2026-05-01 起才能确定为发展对象）")
        #expect(AdmissionRules.trainingProblem(activistSince: day("2026-02-01"), on: day("2026-06-01"), classHours: 7)
            == "团课学习须满 8 学时，现有 7 学时")
        #expect(AdmissionRules.formDue(sworn: day("2026-11-20")) == day("2026-12-20"))
    }

    @Test func quorumAndMajorityAreComputedNotTyped() {
        // Exactly half present is not a quorum.
        #expect(!BranchVote(expected: 10, present: 5, yes: 5, no: 0, abstain: 0).isQuorate)
        #expect(BranchVote(expected: 10, present: 6, yes: 4, no: 1, abstain: 1).passes)
        // Exactly half of those present voting yes does not pass.
        #expect(!BranchVote(expected: 10, present: 6, yes: 3, no: 2, abstain: 1).passes)
        #expect(BranchVote(expected: 10, present: 6, yes: 3, no: 2, abstain: 0).problem == "赞成、反对、弃权合计 5，应等于实到人数 6")
        #expect(BranchVote(expected: 5, present: 6, yes: 6, no: 0, abstain: 0).problem == "实到人数不能多于应到人数")
    }

    @Test func aSplitMayNotExceedThePlanNorUndercutWhatIsUsed() {
        #expect(QuotaRules.splitProblem(available: 10, parts: [("海曙区", 6, 0), ("江北区", 4, 0)]) == nil)
        #expect(QuotaRules.splitProblem(available: 10, parts: [("海曙区", 6, 0), ("江北区", 5, 0)]) == "分配合计 11 名，超过本单位计划 10 名（多 1 名）")
        #expect(QuotaRules.splitProblem(available: 10, parts: [("海曙区", 2, 3)]) == "「海曙区」已使用 3 名，分配数不能少于此数")
    }
}

@Suite struct LeavingRulesTests {
    @Test func overageIsTwentyEightOnTheDayWithoutALeaguePost() {
        let born = CalendarDate("1998-11-29")!
        #expect(LeavingRules.overageProblem(born: born, holdsPost: false, on: CalendarDate("2026-11-29")!) == nil)
        #expect(LeavingRules.overageProblem(born: born, holdsPost: false, on: CalendarDate("2026-11-28")!) == "未满 28 周岁（27 岁）")
        #expect(LeavingRules.overageProblem(born: born, holdsPost: true, on: CalendarDate("2027-01-01")!) == "担任团内职务，年满 28 周岁仍保留团籍")
    }

    @Test func aLapseNeedsSixUnpaidMonthsAndNoMeetings() {
        #expect(LeavingRules.lapseProblem(unpaidRun: 6, meetingsInSixMonths: 0) == nil)
        #expect(LeavingRules.lapseProblem(unpaidRun: 5, meetingsInSixMonths: 0) == "连续未交团费不足 6 个月（5 个月）")
        #expect(LeavingRules.lapseProblem(unpaidRun: 9, meetingsInSixMonths: 1) == "近 6 个月参加过 1 次组织生活")
        #expect(CalendarDate("2026-03-31")!.adding(months: -6) == CalendarDate("2025-09-30")!)
    }
}

@Suite struct ReviewRulesTests {
    @Test func theMeetingNeedsMoreThanTwoThirdsAndExcellentIsCappedAtThirtyPercent() {
        #expect(ReviewRules.quorumProblem(present: 5, members: 7) == nil)
        #expect(ReviewRules.quorumProblem(present: 4, members: 6) == "实到 4 人，未超过团员 6 人的三分之二，评议会无效")
        #expect(ReviewRules.quorumProblem(present: 8, members: 7) == "实到人数不能多于团员人数 7")
        // 30% of 7 reviewed is 2.1: two may be excellent, not three.
        #expect(ReviewRules.excellentCap(reviewed: 7) == 2)
        #expect(ReviewRules.excellentProblem(excellent: 2, reviewed: 7) == nil)
        #expect(ReviewRules.excellentProblem(excellent: 3, reviewed: 7) == "评为优秀的 3 人，超过参评 7 人的 30%（最多 2 人）")
        #expect(ReviewRating.basicallyQualified.registers)
        #expect(!ReviewRating.unqualified.registers)
    }
}

@Suite struct GraduatingShareTests {
    @Test func graduatingClassesHaveTheirCaps() {
        #expect(GraduatingLevel.juniorHigh.share(members: 12, pupils: 40) == (30, false))
        #expect(GraduatingLevel.juniorHigh.share(members: 13, pupils: 40) == (32, true))
        #expect(GraduatingLevel.seniorHigh.share(members: 24, pupils: 40) == (60, false))
        #expect(GraduatingLevel.seniorHigh.share(members: 25, pupils: 40).over)
    }
}
