import Foundation
import LeagueCore
import Testing
@testable import SmartLeague

/// The statistics built from kept counts, without HTTP or a database.
@Suite struct StatisticsPageTests {
    @Test func chartsShareTheTotalAndTheTableAndExportShareTheirColumns() {
        let unit = OrganizationPageTests.unit(2, "共青团海曙区委", at: TreePath(ids: [1, 2]), .districtCommittee, parent: 1)
        let counts: StatisticsQueries.Counts = [.total: ["": 10], .gender: [Gender.male.rawValue: 6, Gender.female.rawValue: 4],
                                                .birthMonth: ["2000-03": 10]]
        let today = CalendarDate(year: 2026, month: 11, day: 1)!
        let overview = StatisticsQueries.Overview(unit: unit, counts: counts, children: [.init(id: 5, name: "某支部", counts: counts)],
                                                  pagination: Pagination(page: 1, pageSize: 50, total: 1))
        let page = StatisticsPage(overview, today: today)
        #expect(page.total == 10)
        #expect(page.charts.first?.bars.map(\.percent) == ["60.0%", "40.0%"])
        #expect(page.children.first?.cells.prefix(3) == [10, 6, 4])
        let csv = StatisticsPage.csv(StatisticsQueries.Table(unit: unit, counts: counts, children: overview.children), today: today)
        #expect(csv.contains("某支部,10,6,4,") && csv.contains("合计：共青团海曙区委,10,6,4,"))
    }
}
