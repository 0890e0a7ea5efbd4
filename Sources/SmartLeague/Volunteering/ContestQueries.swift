import Fluent
import LeagueCore
import Vapor

/// What the contest pages read.
enum ContestQueries {
    /// A contest the caller may see: its judges, the standings with each entry's project, the
    /// caller's own scores, and the projects in reach that may still enter.
    struct Detail {
        let contest: VolunteerContest
        let judges: [ContestJudge]
        let standings: [Contests.Standing]
        let projects: [Int: VolunteerProject]
        let myScores: [Int: Int]
        let eligible: [VolunteerProject]
    }

    static func detail(_ id: Int, for actor: Actor, scope: Scope, on db: any Database) async throws -> Detail {
        let contest = try await Contests.contest(id, for: actor, on: db)
        let standings = try await Contests.standings(contest, on: db)
        let projects = try await VolunteerPublic.projects(standings.map(\.entry.projectID), on: db)
        let mine = try await ContestScore.query(on: db).filter(\.$judgeAccountID == actor.accountID)
            .filter(\.$entryID ~~ standings.compactMap(\.entry.id)).all()
        let entered = Set(standings.map(\.entry.projectID))
        let eligible = try await scope.query(VolunteerProject.self, on: db).filter(\.$status ~~ [.published, .closed]).sort(\.$title)
            .range(0..<500).all()
            .filter { project in project.id.map { !entered.contains($0) } ?? false && contest.unitPath.contains(project.unitPath) }
        return Detail(
            contest: contest, judges: try await ContestJudge.query(on: db).filter(\.$contestID == id).all(), standings: standings,
            projects: Dictionary(projects.compactMap { project in project.id.map { ($0, project) } }, uniquingKeysWith: { first, _ in first }),
            myScores: Dictionary(mine.map { ($0.entryID, $0.score) }, uniquingKeysWith: { first, _ in first }), eligible: eligible)
    }
}
