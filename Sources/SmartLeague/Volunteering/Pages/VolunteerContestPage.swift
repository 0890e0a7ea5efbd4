import Foundation
import LeagueCore

/// One contest: the standings, the caller's own scores when they judge, entering a project, and
/// the organiser's judges and closing.
struct VolunteerContestPage: Encodable {
    struct EntryRow: Encodable {
        let id: Int
        let project: String
        let category: String
        let score: String
        let scored: Int
        let rank: String
        let myScore: String
    }

    let id: Int
    let title: String
    let year: Int
    let status: String
    let isOpen: Bool
    let isOrganiser: Bool
    let isJudge: Bool
    let judges: String
    let judgeCount: Int
    let entries: [EntryRow]
    let hasEntries: Bool
    let projects: [Choice]
    let hasProjects: Bool
    let form: FormState

    init(_ detail: ContestQueries.Detail, accountID: Int, scope: Scope, form: FormState) {
        let contest = detail.contest
        id = contest.id ?? 0
        title = contest.title
        year = contest.year
        status = contest.status.label
        isOpen = contest.status == .open
        isOrganiser = Contests.isOrganiser(contest, scope)
        isJudge = detail.judges.contains { $0.accountID == accountID }
        judges = detail.judges.map(\.name).joined(separator: "、")
        judgeCount = detail.judges.count
        entries = detail.standings.compactMap { standing in
            let project = detail.projects[standing.entry.projectID]
            return standing.entry.id.map { entryID in
                EntryRow(id: entryID, project: project?.title ?? "", category: project?.category ?? "",
                         score: standing.mean.map(ContestScoring.pointsText) ?? "—", scored: standing.scored,
                         rank: standing.rank.map(String.init) ?? "—", myScore: detail.myScores[entryID].map(String.init) ?? "")
            }
        }
        hasEntries = !entries.isEmpty
        projects = detail.eligible.compactMap { project in project.id.map { Choice(value: String($0), label: project.title) } }
        hasProjects = !projects.isEmpty
        self.form = form
    }
}
