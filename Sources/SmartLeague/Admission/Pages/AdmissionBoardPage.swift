import LeagueCore

/// 团员发展 in a unit and below: how many are at each stage, and the applications.
struct AdmissionBoardPage: Encodable {
    struct StageCount: Encodable {
        let stage: String
        let label: String
        let count: Int
    }

    struct Row: Encodable {
        let url: String
        let name: String
        let branch: String
        let stage: String
        let appliedOn: String
    }

    let unitID: Int
    let unitName: String
    let stages: [StageCount]
    let selected: String
    let rows: [Row]
    let hasRows: Bool
    /// Only a branch registers applications.
    let isBranch: Bool
    let pagination: Pagination

    init(_ board: AdmissionQueries.Board) {
        unitID = board.unit.id ?? 0
        unitName = board.unit.name
        stages = (AdmissionStage.pipeline + [.rejected]).map { StageCount(stage: $0.rawValue, label: $0.label, count: board.counts[$0] ?? 0) }
        selected = board.selected?.rawValue ?? ""
        rows = board.applications.map {
            Row(url: AdmissionRoute.show(.value($0.id)).url, name: $0.name, branch: board.unitNames[$0.branchID] ?? "",
                stage: $0.stage.label, appliedOn: $0.appliedOn)
        }
        hasRows = !rows.isEmpty
        isBranch = board.unit.type.isBranch
        pagination = board.pagination
    }
}
