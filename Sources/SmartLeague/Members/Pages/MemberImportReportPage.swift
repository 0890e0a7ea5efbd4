/// 导入检查结果: each wrong row with its line and reasons, and the choice to import the good ones.
struct MemberImportReportPage: Encodable {
    static let listedProblems = 500

    /// Set when there are rows to import.
    let uploadID: Int?
    let fileName: String
    let fileProblem: String?
    let rowCount: Int
    let goodCount: Int
    let problemCount: Int
    let problems: [MemberImport.RowProblem]
    let moreProblems: Int
    /// Rows registered beyond the checker's reach that the day's allowance did not list.
    let unlistedElsewhere: Int
    let ignoredColumns: String

    init(_ report: MemberImport.Report, uploadID: Int?, fileName: String) {
        self.uploadID = report.good.isEmpty ? nil : uploadID
        self.fileName = fileName
        fileProblem = report.fileProblem
        rowCount = report.rowCount
        goodCount = report.good.count
        problemCount = report.problems.count + report.unlistedElsewhere
        problems = Array(report.problems.prefix(Self.listedProblems))
        moreProblems = max(0, report.problems.count - Self.listedProblems)
        unlistedElsewhere = report.unlistedElsewhere
        ignoredColumns = report.ignoredColumns.joined(separator: "、")
    }
}
