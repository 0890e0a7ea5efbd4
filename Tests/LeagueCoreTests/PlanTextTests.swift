import Foundation
import Testing
@testable import LeagueCore

@Suite struct PlanTextTests {
    static let sample = """
    计划：2019年全市共青团工作要点
    年度：2019
    总体要求：团结带领青年建功新时代。

    一、思想引领
    1. 深化青年大学习。
    一是每周组织学习。
    二是开展专题团课。
    2. 培育核心价值观。
    一是选树典型。
    二、服务大局
    1. 助力乡村振兴。
    一是新建青创农场 50 家。
    """

    @Test func readsSectionsItemsAndTasks() throws {
        let plan = try PlanText.parse(Self.sample).get()
        #expect(plan.year == 2019)
        #expect(plan.sections.map(\.title) == ["思想引领", "服务大局"])
        #expect(plan.sections[0].items.map(\.tasks.count) == [2, 1])
        #expect(plan.taskCount == 4)
        #expect(try PlanText.parse(PlanText.render(plan)).get() == plan)
    }

    @Test func reportsEveryProblemWithItsLine() {
        let text = """
        计划：坏计划
        年度：19
        1. 没有部分的条目
        一、第一部分
        2. 编号跳了
        任务甲
        三、第三部分
        1. 空条目
        """
        guard case .failure(let problems) = PlanText.parse(text) else { Issue.record("accepted"); return }
        let lines = problems.list.map { "\($0.line) \($0.message)" }
        #expect(lines.contains("2 年度应为四位年份，如 2018"))
        #expect(lines.contains("3 条目“1.”之前缺少部分标题（如“一、……”）"))
        #expect(lines.contains("5 条目编号应为“1.”"))
        #expect(lines.contains("7 部分编号应为“二、”"))
        #expect(lines.contains { $0.hasSuffix("第二部分第 1 条没有任务") })
        #expect(lines.contains { $0.hasSuffix("缺少“总体要求：……”") })
    }

    @Test func chineseNumerals() {
        #expect((1...12).map(PlanText.chineseNumber) == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"])
        #expect(PlanText.chineseNumber(21) == "二十一")
    }

    @Test func theShipped2018PlanIsComplete() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Resources/Plans/2018.txt")
        let plan = try PlanText.parse(try String(contentsOf: url, encoding: .utf8)).get()
        #expect(plan.title == "2018年全市共青团工作要点")
        #expect(plan.sections.count == 4)
        #expect(plan.sections.map(\.items.count) == [3, 4, 3, 5])
        #expect(plan.taskCount == 42)
        #expect(plan.requirement.hasPrefix("2018年全市共青团工作的总体要求是"))
        #expect(plan.sections[1].items[2].tasks[0].hasPrefix("一是加强青创农场建设"))
        #expect(plan.sections[2].items[1].tasks.count == 4)
    }
}

@Suite struct TaskProgressTests {
    let today = CalendarDate("2026-11-29")!

    @Test func overdueIsSeenNotStored() {
        #expect(TaskStatus.underWay.shown(deadline: CalendarDate("2026-11-28")!, today: today) == "已逾期")
        #expect(TaskStatus.done.shown(deadline: CalendarDate("2026-11-28")!, today: today) == "已完成")
        #expect(TaskStatus.notStarted.shown(deadline: today, today: today) == "未开始")
    }

    @Test func reportsMoveTheStatusAndAClosedTaskTakesNoMore() throws {
        #expect(try TaskReportKind.report.apply(to: .notStarted, finished: false) == .underWay)
        #expect(try TaskReportKind.report.apply(to: .underWay, finished: true) == .done)
        #expect(throws: TaskReportKind.Refusal.closed) { try TaskReportKind.report.apply(to: .done, finished: false) }
        #expect(try TaskReportKind.sendBack.apply(to: .done, finished: false) == .underWay)
        #expect(throws: TaskReportKind.Refusal.notDoneYet) { try TaskReportKind.sendBack.apply(to: .underWay, finished: false) }
        #expect(try TaskReportKind.comment.apply(to: .done, finished: false) == .done)
    }
}
