import LeagueCore

/// 导入学习记录: the form, and after an import what became of each line, refused lines first.
struct StudyImportPage: Encodable {
    struct Line: Encodable {
        let line: Int
        let memberNumber: String
        let episode: String
        let outcome: String
        let taken: Bool
    }

    let form: FormState
    let headers: String
    let hasReport: Bool
    let recorded: Int
    let alreadyDone: Int
    let refused: Int
    let lines: [Line]
    let shownLines: Int

    init(_ report: StudyImport.Report?, form: FormState) {
        self.form = form
        headers = CompletionBatch.headers.joined(separator: ",")
        hasReport = report != nil
        recorded = report?.recorded ?? 0
        alreadyDone = report?.alreadyDone ?? 0
        refused = report?.refused ?? 0
        // Refused lines first: they are the ones to act on.
        func taken(_ line: StudyImport.Line) -> Int { line.outcome == .recorded || line.outcome == .alreadyDone ? 1 : 0 }
        lines = (report?.lines ?? []).sorted { (taken($0), $0.line) < (taken($1), $1.line) }.prefix(1000).map {
            Line(line: $0.line, memberNumber: $0.memberNumber, episode: $0.episode, outcome: $0.outcome.label, taken: $0.outcome == .recorded)
        }
        shownLines = lines.count
    }
}
