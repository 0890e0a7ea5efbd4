import Fluent
import LeagueCore
import Vapor

/// Participation read from the kept counts: a unit's members and, per episode, those of them
/// who took part, both counted for the unit and everything below it. No completion is counted
/// at read time, so the city root at a million completions reads a handful of rows.
enum StudyQueries {
    /// Each unit's participation in each episode, within the caller's scope.
    static func participation(units: [Int], episodes: [Int], scope: Scope,
                              on db: any Database) async throws -> [Int: [Int: Participation]] {
        let counts = try await MemberStats.counts(units: units, scope: scope, on: db)
        var result: [Int: [Int: Participation]] = [:]
        for unit in units {
            let members = counts[unit]?[.total]?[""] ?? 0
            let study = counts[unit]?[.study] ?? [:]
            result[unit] = Dictionary(episodes.map {
                ($0, Participation(participants: study[String($0)] ?? 0, members: members))
            }, uniquingKeysWith: { first, _ in first })
        }
        return result
    }

    struct RankedChild: Sendable {
        let unit: Organization
        let participation: Participation
        let rank: Int
    }

    /// The unit's active direct children ranked by their participation in the episode.
    static func rankedChildren(of unit: Organization, episode: Int, scope: Scope, on db: any Database) async throws -> [RankedChild] {
        let children = try await scope.organizations(on: db).filter(\.$parentID == unit.id!).filter(\.$status == .active).all()
        let figures = try await participation(units: children.map { $0.id! }, episodes: [episode], scope: scope, on: db)
        let rates = children.map { figures[$0.id!]?[episode] ?? Participation(participants: 0, members: 0) }
        let ranks = Ranking.competition(rates.map(\.perMille))
        return zip(children, zip(rates, ranks)).map { RankedChild(unit: $0, participation: $1.0, rank: $1.1) }
            .sorted { ($0.rank, $0.unit.code) < ($1.rank, $1.unit.code) }
    }

    /// Members of the unit who have not completed the episode (meant for a branch: the list the
    /// secretary reminds).
    static func notYetTakenPart(in unit: Organization, episode: Int, scope: Scope, on db: any Database) async throws -> QueryBuilder<Member> {
        // The unit's own range, inside the caller's.
        let within = Scope(reach: .subtree(unit.path))
        let done = try await within.within(scope.query(StudyCompletion.self, on: db), \StudyCompletion.$branchPath).filter(\.$episodeID == episode)
            .all(\.$memberID)
        return within.within(scope.members(on: db), \Member.$branchPath).filter(\.$id !~ done)
    }

    /// The caller's completions by episode: a member's own.
    static func completed(scope: Scope, on db: any Database) async throws -> [Int: StudyCompletion] {
        let rows = try await scope.query(StudyCompletion.self, on: db).all()
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.episodeID, $0) })
    }
}
