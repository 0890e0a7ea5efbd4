import Foundation
import LeagueCore

/// 团员统计 of a unit and below: members by gender, age band, ethnicity, education, occupation,
/// Party standing and branch type as SVG bar charts, and the same per direct child in a table
/// that pages and exports.
struct StatisticsPage: Encodable {
    typealias Counts = StatisticsQueries.Counts

    /// One unit's counts with its age bands worked out once.
    struct Figures {
        let counts: Counts
        let ages: [(String, Int)]

        init(_ counts: Counts, today: CalendarDate) {
            self.counts = counts
            ages = StatisticsPage.ageBands(counts, today: today)
        }

        var total: Int { counts[.total]?[""] ?? 0 }
    }

    /// One bar of a chart, laid out for the SVG in the template.
    struct Bar: Encodable {
        let label: String
        let count: Int
        let percent: String
        let width: Int
        let y: Int
        let textY: Int
    }

    struct Chart: Encodable {
        let title: String
        let bars: [Bar]
        let height: Int
    }

    struct ChildRow: Encodable {
        let id: Int
        let name: String
        let cells: [Int]
    }

    let unit: UnitPage.Unit
    let total: Int
    let charts: [Chart]
    let headers: [String]
    let children: [ChildRow]
    let hasChildren: Bool
    let pagination: Pagination

    init(_ overview: StatisticsQueries.Overview, today: CalendarDate) {
        let own = Figures(overview.counts, today: today)
        unit = UnitPage.Unit(overview.unit)
        total = own.total
        charts = Self.charts(own)
        headers = Self.columns.map(\.0)
        children = overview.children.map { child in
            let figures = Figures(child.counts, today: today)
            return ChildRow(id: child.id, name: child.name, cells: Self.columns.map { $0.1(figures) })
        }
        hasChildren = !children.isEmpty
        pagination = overview.pagination
    }

    static let barSpace = 26
    static let barArea = 300

    static func chart(_ title: String, _ items: [(String, Int)], total: Int) -> Chart {
        let largest = max(1, items.map(\.1).max() ?? 1)
        let bars = items.enumerated().map { index, item in
            Bar(label: item.0, count: item.1,
                percent: total > 0 ? String(format: "%.1f%%", Double(item.1) * 100 / Double(total)) : "0%",
                width: Int((Double(item.1) / Double(largest) * Double(barArea)).rounded()),
                y: index * barSpace, textY: index * barSpace + 15)
        }
        return Chart(title: title, bars: bars, height: max(1, items.count) * barSpace)
    }

    /// Age bands from birth months (a member counts as born on the first of their month).
    static func ageBands(_ counts: Counts, today: CalendarDate) -> [(String, Int)] {
        var bands: [AgeBand: Int] = [:]
        for (month, count) in counts[.birthMonth] ?? [:] {
            guard let born = CalendarDate(month + "-01") else { continue }
            bands[AgeBand.of(age: MembershipAge.age(born: born, on: today)), default: 0] += count
        }
        return AgeBand.allCases.map { ($0.label, bands[$0] ?? 0) }
    }

    static func labelled<T: LabelledChoice>(_ type: T.Type, _ values: [String: Int]?) -> [(String, Int)] {
        T.allCases.map { ($0.label, values?[$0.rawValue] ?? 0) }
    }

    static func charts(_ figures: Figures) -> [Chart] {
        let counts = figures.counts
        let total = figures.total
        let ethnicities = (counts[.ethnicity] ?? [:]).sorted { $0.value > $1.value }
        var ethnicityItems = ethnicities.prefix(8).map { ($0.key, $0.value) }
        let others = ethnicities.dropFirst(8).reduce(0) { $0 + $1.value }
        if others > 0 { ethnicityItems.append(("其他民族", others)) }
        let branchTypes = OrganizationType.allCases.filter(\.isBranch)
            .map { ($0.label, counts[.branchType]?[$0.rawValue] ?? 0) }
        return [
            chart("性别", Gender.allCases.map { ($0.label, counts[.gender]?[$0.rawValue] ?? 0) }, total: total),
            chart("年龄段", figures.ages, total: total),
            chart("学历", labelled(Education.self, counts[.education]), total: total),
            chart("职业", labelled(Occupation.self, counts[.occupation]), total: total),
            chart("政治面貌", labelled(PartyStatus.self, counts[.party]), total: total),
            chart("民族", ethnicityItems, total: total),
            chart("所在团支部类型", branchTypes, total: total),
        ]
    }

    /// Columns of the per-child table, the same for the page and the export.
    static let columns: [(String, @Sendable (Figures) -> Int)] = {
        var columns: [(String, @Sendable (Figures) -> Int)] = [("团员总数", { $0.total })]
        for gender in Gender.allCases { columns.append((gender.label, { $0.counts[.gender]?[gender.rawValue] ?? 0 })) }
        for (index, band) in AgeBand.allCases.enumerated() { columns.append((band.label, { $0.ages[index].1 })) }
        for occupation in Occupation.allCases { columns.append((occupation.label, { $0.counts[.occupation]?[occupation.rawValue] ?? 0 })) }
        columns.append(("党员（含预备）", {
            ($0.counts[.party]?[PartyStatus.full.rawValue] ?? 0) + ($0.counts[.party]?[PartyStatus.probationary.rawValue] ?? 0)
        }))
        return columns
    }()

    /// The per-child table of every child and the unit's total, as CSV.
    static func csv(_ table: StatisticsQueries.Table, today: CalendarDate) -> String {
        var body = CSV.byteOrderMark + CSV.line(["组织"] + columns.map(\.0))
        for child in table.children {
            let figures = Figures(child.counts, today: today)
            body += CSV.line([child.name] + columns.map { String($0.1(figures)) })
        }
        let own = Figures(table.counts, today: today)
        body += CSV.line(["合计：" + table.unit.name] + columns.map { String($0.1(own)) })
        return body
    }
}
