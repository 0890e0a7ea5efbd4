import LeagueCore

/// The ranking as CSV: place, unit, each indicator's score, total, status; as far as the caller reaches.
struct RankingExport {
    let text: String
    let fileName: String
    let chineseName: String

    init(_ export: EvaluationQueries.Export) {
        let detail = export.scheme
        let indicators = detail.indicators
        var text = CSV.byteOrderMark + CSV.line(["名次", "单位"] + indicators.map { "\($0.name)（权重\($0.weight)）" } + ["总分", "状态"])
        for ranked in detail.sheets {
            let sheet = ranked.sheet
            let scores = export.scores[sheet.id ?? 0] ?? [:]
            let cells = indicators.map { indicator -> String in
                let score = scores[indicator.id ?? 0]
                return (indicator.source == .rated ? score?.reviewScore : score?.computed).map(String.init) ?? ""
            }
            text += CSV.line([ranked.rank.map(String.init) ?? "", detail.unitNames[sheet.unitID] ?? ""] + cells
                             + [sheet.total.map { EvaluationRules.text(hundredths: $0) } ?? "", sheet.status.label])
        }
        self.text = text
        fileName = "evaluation-\(detail.scheme.year).csv"
        chineseName = "\(detail.scheme.year)年度考核排名.csv"
    }
}
