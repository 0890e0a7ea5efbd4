import Foundation
import LeagueCore
import Testing
@testable import SmartLeague

/// The admission pages built from rows, and the step form read, without HTTP or a database.
@Suite struct AdmissionPageTests {
    static func application(_ id: Int, in branch: Organization, stage: AdmissionStage) -> AdmissionApplication {
        let application = AdmissionApplication()
        application.id = id
        application.branchID = branch.id ?? 0
        application.branchPath = branch.path
        application.name = "申请人\(id)"
        application.fieldsSealed = "{}"
        application.idHash = "hash"
        application.idMasked = "330203********0000"
        application.stage = stage
        application.appliedOn = "2026-01-05"
        application.updatedAt = Date(timeIntervalSince1970: 0)
        return application
    }

    @Test func theBranchTakesItsOwnStepsAndTheLevelAboveTheRest() {
        let school = OrgLifePageTests.unit(TreePath(ids: [1, 2, 5]), "某中学团委", .committee)
        let branch = OrgLifePageTests.unit(school.path.appending(6), "高二(3)班团支部", .branch)
        let today = CalendarDate(year: 2026, month: 6, day: 1)!
        let candidate = AdmissionQueries.Detail(application: Self.application(9, in: branch, stage: .candidate), branch: branch, events: [],
                                                classHours: 8, files: [])
        let ownBranch = AdmissionPage(candidate, scope: Scope(reach: .subtree(branch.path)), today: today, form: FormState())
        let committee = AdmissionPage(candidate, scope: Scope(reach: .subtree(school.path)), today: today, form: FormState())
        #expect(ownBranch.nextStep == "precheck" && !ownBranch.canStep && committee.canStep)
        #expect(ownBranch.canReject && !ownBranch.canFileForm && ownBranch.today == "2026-06-01")

        let file = Attachment()
        file.id = 4
        file.fileName = "入团志愿书.pdf"
        let sworn = Self.application(9, in: branch, stage: .member)
        sworn.swornOn = "2026-05-20"
        let member = AdmissionPage(AdmissionQueries.Detail(application: sworn, branch: branch, events: [], classHours: 8, files: [file]),
                                   scope: Scope(reach: .subtree(branch.path)), today: today, form: FormState())
        #expect(member.files.map(\.url) == ["/admission/9/form/4"] && !member.canFileForm)
        #expect(member.formDue == AdmissionRules.formDue(sworn: CalendarDate(year: 2026, month: 5, day: 20)!).description)
    }

    @Test func theBoardCountsEveryStageAndLinksEachApplication() {
        let branch = OrgLifePageTests.unit(TreePath(ids: [1, 2, 6]), "某团支部", .branch)
        let board = AdmissionQueries.Board(unit: branch, counts: [.applied: 2, .certified: 1], selected: .applied,
                                           applications: [AdmissionQueries.Listed(id: 3, name: "张三", branchID: 6, stage: .applied, appliedOn: "2026-03-01")], unitNames: [6: "某团支部"],
                                           pagination: Pagination(page: 1, pageSize: 50, total: 1))
        let page = AdmissionBoardPage(board)
        #expect(page.stages.count == AdmissionStage.pipeline.count + 1)
        #expect(page.stages.first { $0.stage == "certified" }?.count == 1 && page.selected == "applied")
        #expect(page.rows.map(\.url) == ["/admission/3"] && page.rows.first?.branch == "某团支部" && page.isBranch)
    }

    @Test func aStepFormCarriesAVoteOnlyWhenItsFiguresCome() throws {
        let today = CalendarDate(year: 2026, month: 6, day: 10)!
        var state = FormState()
        let talk = try #require(try FormFields.decode(AdmissionStepForm.self, from: ["day": "2026-06-01", "mentors": "王老师、李老师"])
            .validate(&state, today: today))
        #expect(talk.vote == nil && talk.mentors == ["王老师", "李老师"] && talk.note == nil)
        let vote = try #require(try FormFields.decode(AdmissionStepForm.self, from: ["day": "2026-06-10", "expected": "10", "present": "8",
                                                                                     "yes": "7", "no": "0", "abstain": "1"])
            .validate(&state, today: today))
        #expect(vote.vote?.yes == 7)
        var wrong = FormState()
        #expect(try FormFields.decode(AdmissionStepForm.self, from: ["day": "2026-06-10", "expected": "10", "present": "8"])
            .validate(&wrong, today: today) == nil)
        #expect(wrong.errors["vote"] == "请把应到、实到和表决票数填写完整（0 到 100000 的整数）")
    }
}
