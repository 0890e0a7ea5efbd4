import LeagueCore

/// 对标定级: the rounds so far, and the form the city opens one with.
struct GradingRoundsPage: Encodable {
    struct RoundRow: Encodable {
        let url: String
        let year: Int
        let opensOn: String
        let caps: String
    }

    let rounds: [RoundRow]
    let hasRounds: Bool
    let canOpen: Bool
    let form: FormState

    /// - Parameter form: the form as typed; a new one is for this year.
    init(_ rounds: [GradingRound], canOpen: Bool, today: CalendarDate, form: FormState) {
        self.rounds = rounds.map {
            RoundRow(url: GradingRoute.round(.value($0.id ?? 0)).url, year: $0.year, opensOn: $0.opensOn, caps: Self.caps($0))
        }
        hasRounds = !rounds.isEmpty
        self.canOpen = canOpen
        var state = form
        if state.values["year"] == nil { state.values["year"] = String(today.year) }
        self.form = state
    }

    /// A round's caps on the top levels, as the pages say them.
    static func caps(_ round: GradingRound) -> String {
        let caps = [round.fiveStarCap.map { "五星级不超过 \($0)%" }, round.fourStarCap.map { "四星级不超过 \($0)%" }].compactMap { $0 }
        return caps.isEmpty ? "不设上限" : caps.joined(separator: "，")
    }
}
