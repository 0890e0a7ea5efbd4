import LeagueCore

/// One round under a unit: how its branches spread over the levels, and their sheets.
struct GradingRoundPage: Encodable {
    struct LevelRow: Encodable {
        let label: String
        let count: Int
        let y: Int
        let width: Int
    }

    struct SheetRow: Encodable {
        let url: String
        let branch: String
        let status: String
        let score: String
        let level: String
    }

    let id: Int
    let year: Int
    let caps: String
    let unitID: Int
    let unitName: String
    let taking: Int
    let levels: [LevelRow]
    let waiting: Int
    let sheets: [SheetRow]
    let hasSheets: Bool
    let pagination: Pagination

    init(_ round: GradingQueries.Round) {
        id = round.round.id ?? 0
        year = round.round.year
        caps = GradingRoundsPage.caps(round.round)
        unitID = round.unit.id ?? 0
        unitName = round.unit.name
        taking = round.sheets.count
        let byLevel = Dictionary(grouping: round.sheets.compactMap(\.level), by: { $0 }).mapValues(\.count)
        let largest = max(1, byLevel.values.max() ?? 1)
        levels = StarLevel.allCases.enumerated().map { index, level in
            LevelRow(label: level.label, count: byLevel[level] ?? 0, y: 10 + index * 30, width: (byLevel[level] ?? 0) * 360 / largest)
        }
        waiting = round.sheets.filter { $0.status != .reviewed }.count
        sheets = round.shown.map {
            SheetRow(url: GradingRoute.sheet(.value($0.id ?? 0)).url, branch: round.unitNames[$0.branchID] ?? "", status: $0.status.label,
                     score: $0.score.map(String.init) ?? "—", level: $0.level?.label ?? "—")
        }
        hasSheets = !round.sheets.isEmpty
        pagination = round.pagination
    }
}
