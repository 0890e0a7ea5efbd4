import Foundation
import LeagueCore

/// The contests the caller organises, may enter or judges, and the form to open one.
struct VolunteerContestsPage: Encodable {
    struct Row: Encodable {
        let id: Int
        let title: String
        let year: Int
        let status: String
    }

    let rows: [Row]
    let hasRows: Bool
    let form: FormState

    init(_ contests: [VolunteerContest], today: CalendarDate, form: FormState) {
        rows = contests.compactMap { contest in contest.id.map { Row(id: $0, title: contest.title, year: contest.year, status: contest.status.label) } }
        hasRows = !rows.isEmpty
        var form = form
        if form.values["year"] == nil { form.values["year"] = String(today.year) }
        self.form = form
    }
}
