import Foundation
import LeagueCore
import Testing
@testable import SmartLeague

/// The plan, task and assignment pages built from rows, without HTTP or a database.
@Suite struct WorkPlanPageTests {
    static let today = CalendarDate(year: 2026, month: 6, day: 1)!

    static func assignment(_ id: Int, unit: Int, deadline: String, status: TaskStatus) -> TaskAssignment {
        let assignment = TaskAssignment()
        assignment.id = id
        assignment.taskID = 7
        assignment.unitID = unit
        assignment.unitPath = TreePath(ids: [1, unit])
        assignment.deadline = deadline
        assignment.status = status
        assignment.assignedBy = "团市委"
        assignment.createdAt = Date(timeIntervalSince1970: 0)
        return assignment
    }

    @Test func overdueAssignmentsComeFirstAndAReportsFilesLinkToTheirDownload() {
        let first = Self.assignment(1, unit: 2, deadline: "2026-12-31", status: .underWay)
        let named = WorkPlanQueries.Assignments(
            assignments: [first, Self.assignment(2, unit: 3, deadline: "2026-05-01", status: .notStarted),
                          Self.assignment(3, unit: 3, deadline: "2026-01-01", status: .done)].map(WorkPlanQueries.ListedAssignment.init),
            unitNames: [2: "海曙区", 3: "江北区"], taskTexts: [7: String(repeating: "任", count: 50)])
        let list = AssignmentListPage(named, pagination: Pagination(page: 1, pageSize: 50, total: 3), today: Self.today)
        #expect(list.rows.map(\.id) == [2, 3, 1])
        #expect(list.rows.map(\.status) == ["已逾期", "已完成", "进行中"])
        #expect(list.rows.first?.task.count == 40 && list.rows.first?.unitName == "江北区")

        let report = TaskReport()
        report.id = 5
        report.assignmentID = 1
        report.kind = .report
        report.text = "一季度小结"
        report.author = "海曙区管理员"
        report.at = Date(timeIntervalSince1970: 0)
        let file = Attachment()
        file.id = 9
        file.fileName = "小结.pdf"
        file.size = 2048
        let one = WorkPlanQueries.Assignments(assignments: [named.assignments[0]], unitNames: named.unitNames, taskTexts: named.taskTexts)
        let task = WorkPlanEntry()
        task.id = 7
        task.text = "一是加强青创农场建设"
        let detail = WorkPlanQueries.Assignment(assignment: first, named: one, task: task, reports: [report], files: [5: [file]],
                                                children: WorkPlanQueries.Assignments(assignments: [], unitNames: [:], taskTexts: [:]),
                                                isAssigner: false)
        let page = AssignmentPage(detail, holds: true, today: Self.today, form: FormState())
        #expect(page.reports.first?.files.first?.url == "/assignments/1/reports/5/files/9")
        #expect(page.canReport && !page.canReview && page.taskID == 7)
    }

    @Test func aGrowthTargetShowsLastYearsBaseAndTheTaskPageStartsAtThisYear() throws {
        let target = TaskTarget()
        target.id = 1
        target.taskID = 7
        target.name = "青年上岗见习"
        target.measure = "人"
        target.total = 9
        target.source = .internships
        target.year = 2026
        target.growthPercent = 20
        let figures = WorkPlanQueries.TargetFigures(target: target, parts: [
            .init(unitName: "海曙区", base: 5, amount: 6, actual: 3), .init(unitName: "江北区", base: 2, amount: 3, actual: 0)])
        let task = WorkPlanEntry()
        task.id = 7
        task.text = "三是继续推进见习工作"
        let page = TaskPage(WorkPlanQueries.Task(task: task, assignments: .init(assignments: [], unitNames: [:], taskTexts: [:]),
                                                 targets: [figures]), canAssign: true, today: Self.today, form: FormState())
        let view = try #require(page.targets.first)
        #expect(view.growth == "2025 年实际 7人，增长 20%")
        #expect(view.actual == 3 && view.percent == TargetSplit.percent(actual: 3, target: 9))
        #expect(view.parts.map(\.barWidth) == [TargetSplit.percent(actual: 3, target: 6) * 2, 0])
        #expect(page.form.values["year"] == "2026")
    }

    @Test func aPlanThatDoesNotParseListsEachProblem() {
        var state = FormState()
        let plan = PlanUploadForm(text: "计划：2019年工作要点\n年度：2019\n总体要求：x\n1. 无部分\n").validate(file: nil, &state)
        #expect(plan == nil)
        let page = PlanListPage([], canLoad: true, form: state)
        #expect(page.problems.first?.hasPrefix("第 4 行：条目“1.”之前缺少部分标题") == true)
        #expect(page.problems.count == 3)
        #expect(page.problems.last == "计划有误，未载入任何内容。")
        #expect(page.form.values["text"]?.hasPrefix("计划：2019年工作要点") == true)
    }
}
