import Foundation
import LeagueCore
import Testing
@testable import SmartLeague

/// The 三会一课, cadre and grading pages built from rows, and their forms read, without HTTP or a database.
@Suite struct OrgLifePageTests {
    static func unit(_ path: TreePath, _ name: String, _ type: OrganizationType) -> Organization {
        let unit = Organization()
        unit.id = path.ids.last
        unit.parentID = path.parent?.ids.last
        unit.path = path
        unit.depth = path.depth
        unit.name = name
        unit.type = type
        unit.status = .active
        return unit
    }

    static func cadre(_ id: Int, in unit: Organization, _ post: CadrePost, _ mode: CadreMode, since: String, frontLine: Bool = false) -> Cadre {
        let cadre = Cadre()
        cadre.id = id
        cadre.unitID = unit.id ?? 0
        cadre.unitPath = unit.path
        cadre.name = "干部\(id)"
        cadre.post = post
        cadre.mode = mode
        cadre.termStart = since
        cadre.frontLine = frontLine
        return cadre
    }

    @Test func eachBranchOfTheOverviewNamesItsOwnMissingPeriods() {
        let city = Self.unit(TreePath(ids: [1]), "团市委", .cityCommittee)
        func kept(_ general: [String], _ lessons: [String]) -> Compliance {
            let quoted = { (periods: [String]) in periods.map { "\"\($0)\"" }.joined(separator: ",") }
            return OrgLifeStandings.compliance(keptItems: #"[{"kind":"generalMeeting","due":4,"missing":["# + quoted(general)
                                               + #"]},{"kind":"lesson","due":4,"missing":["# + quoted(lessons) + "]}]")
        }
        let lagging = kept(["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"], ["2026-Q3"]), met = kept([], []), other = kept(["2026-Q2"], [])
        let standings = [lagging, met, lagging, other, met, other]
        let rows = standings.enumerated().map { index, compliance in
            OrgLifeQueries.Overview.Row(branchID: index + 10, name: "支部\(index)", compliance: compliance)
        }
        let overview = OrgLifeQueries.Overview(total: standings.count, spread: [2, 2, 0, 2], rows: rows,
                                               pagination: Pagination(page: 1, pageSize: 50, total: standings.count))
        let page = OrgLifeOverviewPage(overview, unit: city, year: 2026, cadence: [:], canSetCadence: false)
        #expect(page.rows.map { $0.missing } == standings.map(OrgLifeOverviewPage.missingText))
        #expect(page.rows[0].missing == "支部大会缺 4 次（2026年第1季度、2026年第2季度、2026年第3季度等）；团课缺 1 次（2026年第3季度）")
        #expect(page.rows[3].missing == "支部大会缺 1 次（2026年第2季度）" && page.rows[1].missing.isEmpty)
    }

    @Test func cadresShowTheMixAndOnlyTheCommitteesPastTheirTerm() {
        let district = Self.unit(TreePath(ids: [1, 2]), "海曙团区委", .districtCommittee)
        let branch = Self.unit(TreePath(ids: [1, 2, 3]), "某团支部", .branch)
        let own = Self.cadre(7, in: district, .secretary, .fullTime, since: "2024-01-01")
        // What the query gives: the district's own cadre, two serving in and below it, and the
        // units whose latest term start is old enough to look at.
        let serving = CadreQueries.Serving(unit: district, own: [own], modeCounts: [.fullTime: 1, .partTime: 1], frontLine: 1, terms: [
            .init(unitID: 2, name: district.name, type: .districtCommittee, termStart: "2024-01-01"),
            .init(unitID: 3, name: branch.name, type: .branch, termStart: "2023-09-01"),
        ])
        let page = CadresPage(serving, today: CalendarDate(year: 2026, month: 11, day: 1)!, form: FormState())
        #expect(page.total == 2 && page.frontLinePercent == 50)
        #expect(page.cadres.map(\.leaveURL) == ["/cadres/7/leave"])
        #expect(page.mix.first { $0.label == CadreMode.fullTime.label }?.percent == 50)
        // A branch's two-year term from 2023 has run out; the district's five years have not.
        #expect(page.overdue.map(\.url) == ["/cadres?unit=3"])
    }

    @Test func theOverviewLinksEachBranchAndCountsThemIntoBuckets() {
        let school = Self.unit(TreePath(ids: [1, 2, 5]), "某中学团委", .committee)
        let today = CalendarDate(year: 2026, month: 3, day: 31)!
        let compliance = Compliance(held: [:], cadence: [:], from: CalendarDate(year: 2026, month: 1, day: 1)!, to: today)
        let pagination = Pagination(page: 2, pageSize: 50, total: 60, keep: ["unit": "5", "year": "2026"])
        let rows = (50..<60).map { index in OrgLifeQueries.Overview.Row(branchID: 100 + index, name: "支部\(index)", compliance: compliance) }
        let overview = OrgLifeQueries.Overview(total: 60, spread: [60, 0, 0, 0], rows: rows, pagination: pagination)
        let page = OrgLifeOverviewPage(overview, unit: school, year: 2026, cadence: [:], canSetCadence: false)
        #expect(page.rows.count == 10 && page.rows.first?.url == "/orglife/branches/150")
        #expect(page.buckets.map(\.count).reduce(0, +) == 60)
        #expect(page.pagination.previousQuery == "unit=5&year=2026&page=1")
        #expect(page.cadence.map(\.cadence) == MeetingKind.allCases.map(\.defaultCadence.rawValue))
    }

    @Test func keptItemsReadBackAsTheyWereKeptAndUnreadableOnesAsNone() throws {
        let text = #"[{"kind":"generalMeeting","due":4,"missing":["2026-Q3"]},{"kind":"lesson","due":4,"missing":[]}]"#
        let items = try JSONDecoder().decode([Compliance.Item].self, from: Data(text.utf8))
        #expect(items.map(\.met) == [3, 4])
        #expect(OrgLifeStandings.compliance(keptItems: text).items == items)
        #expect(OrgLifeStandings.compliance(keptItems: text).items == items)
        #expect(OrgLifeStandings.compliance(keptItems: "[{\"kind\":\"x\"}]").items.isEmpty)
    }

    @Test func aMeetingFormReadsItsTickedPeopleAndNamesWhatIsMissing() throws {
        let fields = ["kind": "lesson", "heldOn": "2026-03-01", "topic": "学习团章", "place": "活动室", "minutes": "学习团章第一章，讨论。",
                      "present-4": "1", "present-9": "1", "trainee-12": "1", "teacherIsHead": "1", "classHours": "2"]
        var state = FormState(values: fields)
        let draft = try #require(try FormFields.decode(MeetingForm.self, from: fields).validate(&state, today: CalendarDate(year: 2026, month: 3, day: 2)!))
        #expect(draft.attendees.sorted() == [4, 9] && draft.applicants == [12])
        #expect(draft.teacherIsHead && draft.classHours == 2 && draft.teacher == nil)
        var empty = FormState()
        #expect(try FormFields.decode(MeetingForm.self, from: ["kind": "party"]).validate(&empty, today: CalendarDate(year: 2026, month: 3, day: 2)!) == nil)
        #expect(empty.errors["kind"] == "请选择会议类型" && empty.errors["attendees"] == "请勾选出席人员" && empty.errors["topic"] != nil)
    }

    @Test func onlyTheBranchAssessesAndOnlyALevelAboveReviews() {
        let school = Self.unit(TreePath(ids: [1, 2, 5]), "某中学团委", .committee)
        let branch = Self.unit(school.path.appending(6), "某团支部", .branch)
        let round = GradingRound()
        round.id = 3
        round.year = 2026
        let sheet = GradingSheet()
        sheet.id = 11
        sheet.roundID = 3
        sheet.branchID = 6
        sheet.branchPath = branch.path
        sheet.status = .draft
        sheet.selfScores = #"{"impact":18}"#
        sheet.evidence = "{}"
        sheet.reviewScores = "{}"
        sheet.vetoes = ""
        sheet.facts = ""
        let detail = GradingQueries.Sheet(sheet: sheet, round: round, branch: branch, facts: [])
        let own = GradingSheetPage(detail, scope: Scope(reach: .subtree(branch.path)), form: FormState())
        let above = GradingSheetPage(detail, scope: Scope(reach: .subtree(school.path)), form: FormState())
        #expect(own.canAssess && !own.canReview && !above.canAssess)
        #expect(own.roundURL == "/grading/3")
        #expect(own.items.first { $0.key == "impact" }?.selfScore == "18")
        // What was typed is shown again rather than what is saved.
        let typed = GradingSheetPage(detail, scope: Scope(reach: .subtree(branch.path)),
                                     form: FormState(values: ["score-impact": "25"], errors: ["score-impact": "每项 0 到 20 分的整数"]))
        let impact = typed.items.first { $0.key == "impact" }
        #expect(impact?.selfScore == "25" && impact?.selfError == "每项 0 到 20 分的整数")
        sheet.status = .submitted
        #expect(GradingSheetPage(detail, scope: Scope(reach: .subtree(school.path)), form: FormState()).canReview)
    }
}
