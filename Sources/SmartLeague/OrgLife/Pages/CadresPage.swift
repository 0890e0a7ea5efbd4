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
    let hasOverdue: Bool
    let posts: [Choice]
    let modes: [Choice]
    let form: FormState

    init(_ serving: CadreQueries.Serving, today: CalendarDate, form: FormState) {
        let unit = serving.unit, all = serving.cadres
        unitID = unit.id ?? 0
        unitName = unit.name
        let own = all.filter { $0.unitID == unit.id }.sorted { ($0.post.rawValue, $0.name) < ($1.post.rawValue, $1.name) }
        cadres = own.map {
            CadreRow(leaveURL: CadreRoute.leave(.value($0.id ?? 0)).url, name: $0.name, post: $0.post.label, mode: $0.mode.label,
                     termStart: $0.termStart, frontLine: $0.frontLine)
        }
        hasCadres = !own.isEmpty
        total = all.count
        let counts = Dictionary(grouping: all, by: \.mode).mapValues(\.count)
        mix = CadreMode.allCases.map { mode in
            let count = counts[mode] ?? 0
            return MixRow(label: mode.label, count: count, percent: percentShare(count, of: all.count), width: percentShare(count, of: all.count) * 3)
        }
        frontLine = all.filter(\.frontLine).count
        frontLinePercent = percentShare(frontLine, of: all.count)
        // A committee's term runs from its latest election: the latest term start among those serving.
        let termStarts = Dictionary(all.map { ($0.unitID, $0.termStart) }, uniquingKeysWith: max)
        overdue = serving.units.compactMap { unit -> OverdueRow? in
            guard let id = unit.id, let start = termStarts[id].flatMap(CalendarDate.init),
                  CadreTerms.electionOverdue(type: unit.type, termStart: start, today: today) else { return nil }
            return OverdueRow(url: CadreRoute.index.url(query: [("unit", String(id))]), name: unit.name, type: unit.type.label,
                              termStart: start.description, years: CadreTerms.longestTerm(of: unit.type))
        }.sorted { $0.termStart < $1.termStart }
        hasOverdue = !overdue.isEmpty
        posts = CadrePost.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
        modes = CadreMode.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
        self.form = form
    }
}
