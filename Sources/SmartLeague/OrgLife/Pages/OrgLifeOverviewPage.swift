import LeagueCore

/// 三会一课 under a unit: its branches worst first, how they spread, and the cadence in force.
struct OrgLifeOverviewPage: Encodable {
    struct Row: Encodable {
        let url: String
        let name: String
        let percent: Int
        let lagging: Bool
        let met: Int
        let due: Int
        let missing: String
    }

    struct Bucket: Encodable {
        let label: String
        let count: Int
        let y: Int
        let width: Int
    }

    struct CadenceRow: Encodable {
        let kind: String
        let label: String
        let cadence: String
        let options: [Choice]
    }

    let unitID: Int
    let unitName: String
    let year: Int
    let branches: Int
    let rows: [Row]
    let hasRows: Bool
    let buckets: [Bucket]
    let pagination: Pagination
    let cadence: [CadenceRow]
    let canSetCadence: Bool

    /// The percent ranges of the spread, worst first.
    static let ranges: [(label: String, range: ClosedRange<Int>)] = [("不足60%", 0...59), ("60%–79%", 60...79), ("80%–99%", 80...99), ("100%", 100...100)]

    init(_ overview: OrgLifeQueries.Overview, unit: Organization, year: Int, cadence: [MeetingKind: Cadence], canSetCadence: Bool) {
        unitID = unit.id ?? 0
        unitName = unit.name
        self.year = year
        branches = overview.total
        pagination = overview.pagination
        // Most branches miss the same periods, so a page's fifty rows hold a few distinct texts:
        // writing each row's was a tenth of the city's overview.
        var missingTexts: [Compliance: String] = [:]
        rows = overview.rows.map {
            let missing = missingTexts[$0.compliance] ?? Self.missingText($0.compliance)
            missingTexts[$0.compliance] = missing
            return Row(url: OrgLifeRoute.branch(.value($0.branchID)).url, name: $0.name, percent: $0.compliance.percent,
                       lagging: $0.compliance.isLagging, met: $0.compliance.met, due: $0.compliance.due, missing: missing)
        }
        hasRows = overview.total > 0
        let counts = overview.spread
        let largest = max(1, counts.max() ?? 1)
        buckets = zip(Self.ranges, counts).enumerated().map { index, pair in
            Bucket(label: pair.0.label, count: pair.1, y: 10 + index * 34, width: pair.1 * 400 / largest)
        }
        self.cadence = MeetingKind.allCases.map { kind in
            CadenceRow(kind: kind.rawValue, label: kind.label, cadence: (cadence[kind] ?? kind.defaultCadence).rawValue,
                       options: Cadence.allCases.map { Choice(value: $0.rawValue, label: $0.label) })
        }
        self.canSetCadence = canSetCadence
    }

    /// The periods each kind of meeting is missing, the first three named.
    static func missingText(_ compliance: Compliance) -> String {
        compliance.items.filter { !$0.missing.isEmpty }
            .map { "\($0.kind.label)缺 \($0.missing.count) 次（\($0.missing.prefix(3).map(Cadence.label(ofPeriod:)).joined(separator: "、"))\($0.missing.count > 3 ? "等" : "")）" }
            .joined(separator: "；")
    }
}
