import Foundation
import LeagueCore
import Testing
@testable import SmartLeague

/// The evaluation pages and the ranking export built from rows, without HTTP or a database.
@Suite struct EvaluationPageTests {
    @Test func theRankingPlacesReviewedSheetsAndExportsTheirScores() {
        let scheme = EvaluationScheme()
        scheme.id = 1
        scheme.year = 2026
        scheme.title = "2026年度考核"
        scheme.status = .open
        scheme.createdAt = Date(timeIntervalSince1970: 0)
        let rated = EvaluationIndicator()
        rated.id = 11
        rated.schemeID = 1
        rated.position = 1
        rated.name = "青年评议"
        rated.weight = 100
        rated.source = .rated
        func sheet(_ id: Int, unit: Int, status: SheetStatus, total: Int?) -> EvaluationSheet {
            let sheet = EvaluationSheet()
            sheet.id = id
            sheet.schemeID = 1
            sheet.unitID = unit
            sheet.unitPath = TreePath(ids: [1, unit])
            sheet.status = status
            sheet.summary = ""
            sheet.total = total
            return sheet
        }
        let reviewed = sheet(21, unit: 2, status: .reviewed, total: 8550), draft = sheet(22, unit: 3, status: .draft, total: nil)
        let detail = EvaluationQueries.Scheme(scheme: scheme, indicators: [rated],
                                              sheets: [.init(sheet: reviewed, rank: 1), .init(sheet: draft, rank: nil)],
                                              unitNames: [2: "海曙区", 3: "江北区"])
        let page = SchemePage(detail, isCityWide: true, form: FormState())
        #expect(page.sheets.map(\.rank) == ["1", "—"])
        #expect(page.sheets.first?.total == EvaluationRules.text(hundredths: 8550))
        #expect(!page.canEdit && page.canClose && page.weightProblem == nil)

        let score = EvaluationScore()
        score.id = 31
        score.sheetID = 21
        score.indicatorID = 11
        score.reviewScore = 86
        let csv = RankingExport(EvaluationQueries.Export(scheme: detail, scores: [21: [11: score]]))
        #expect(csv.text.contains(CSV.line(["1", "海曙区", "86", EvaluationRules.text(hundredths: 8550), SheetStatus.reviewed.label])))
        #expect(csv.fileName == "evaluation-2026.csv")
    }
}
