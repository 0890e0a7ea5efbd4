import LeagueCore

/// A unit's cadres, the 专挂兼 mix and front-line share of all serving in and below it, and the
/// committees whose elections are overdue.
struct CadresPage: Encodable {
    struct CadreRow: Encodable {
        let leaveURL: String
        let name: String
        let post: String
        let mode: String
        let termStart: String
        let frontLine: Bool
    }

    struct MixRow: Encodable {
        let label: String
        let count: Int
        let percent: Int
        let width: Int
    }

    struct OverdueRow: Encodable {
        let url: String
        let name: String
        let type: String
        let termStart: String
        let years: Int
    }

    let unitID: Int
    let unitName: String
    let cadres: [CadreRow]
    let hasCadres: Bool
    let total: Int
    let mix: [MixRow]
    let frontLine: Int
    let frontLinePercent: Int
    let overdue: [OverdueRow]
    /// The list holds the longest overdue `overdueShown`; a unit's own page lists those below it.
    let overdueIsCut: Bool
    let overdueShown: Int
    let hasOverdue: Bool
    let posts: [Choice]
    let modes: [Choice]
    let form: FormState

    init(_ serving: CadreQueries.Serving, today: CalendarDate, form: FormState) {
        let unit = serving.unit
        unitID = unit.id ?? 0
        unitName = unit.name
        let own = serving.own.sorted { ($0.post.rawValue, $0.name) < ($1.post.rawValue, $1.name) }
        cadres = own.map {
            CadreRow(leaveURL: CadreRoute.leave(.value($0.id ?? 0)).url, name: $0.name, post: $0.post.label, mode: $0.mode.label,
                     termStart: $0.termStart, frontLine: $0.frontLine)
        }
        hasCadres = !own.isEmpty
        total = serving.total
        mix = CadreMode.allCases.map { mode in
            let count = serving.modeCounts[mode] ?? 0
            return MixRow(label: mode.label, count: count, percent: percentShare(count, of: serving.total), width: percentShare(count, of: serving.total) * 3)
        }
        frontLine = serving.frontLine
        frontLinePercent = percentShare(frontLine, of: serving.total)
        // A committee's term runs from its latest election: the latest term start among those serving.
        overdue = serving.terms.compactMap { term -> OverdueRow? in
            guard let start = CalendarDate(term.termStart),
                  CadreTerms.electionOverdue(type: term.type, termStart: start, today: today) else { return nil }
            return OverdueRow(url: CadreRoute.index.url(query: [("unit", String(term.unitID))]), name: term.name, type: term.type.label,
                              termStart: start.description, years: CadreTerms.longestTerm(of: term.type))
        }.sorted { $0.termStart < $1.termStart }
        hasOverdue = !overdue.isEmpty
        overdueIsCut = serving.terms.count >= CadreQueries.termsShown
        overdueShown = CadreQueries.termsShown
        posts = CadrePost.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
        modes = CadreMode.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
        self.form = form
    }
}
