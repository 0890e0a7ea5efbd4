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

    /// The latest episodes with the unit's participation in each.
    struct Episodes: Sendable {
        let episodes: [StudyEpisode]
        /// By episode.
        let participation: [Int: Participation]
    }

    static func episodes(unitID: Int, scope: Scope, on db: any Database) async throws -> Episodes {
        let episodes = try await StudyEpisode.query(on: db).sort(\.$season, .descending).sort(\.$number, .descending).range(0..<60).all()
        let figures = try await participation(units: [unitID], episodes: episodes.compactMap(\.id), scope: scope, on: db)[unitID] ?? [:]
        return Episodes(episodes: episodes, participation: figures)
    }

    /// One episode for a unit: the unit's participation in it and in the season so far, its
    /// children ranked, and for a branch a page of the members still to take part.
    struct Episode: Sendable {
        let episode: StudyEpisode
        let unit: Organization
        /// The season's episodes opened so far, in order.
        let season: [StudyEpisode]
        /// By episode, the unit's.
        let participation: [Int: Participation]
        let children: [RankedChild]
        let missing: [Member]
        let pagination: Pagination
    }

    static func episode(_ id: Int, unit: Organization, scope: Scope, now: Date, page: Int, on db: any Database) async throws -> Episode {
        let episode = try await StudyEpisodes.find(id, on: db)
        let unitID = unit.id ?? -1
        let season = try await StudyEpisode.query(on: db).filter(\.$season == episode.season).filter(\.$opensAt <= now).sort(\.$number).all()
        let figures = try await participation(units: [unitID], episodes: season.compactMap(\.id) + [id], scope: scope, on: db)[unitID] ?? [:]
        let children = try await rankedChildren(of: unit, episode: id, scope: scope, on: db)
        var missing: [Member] = []
        var pagination = Pagination(page: 1, pageSize: 50, total: 0)
        if unit.type.isBranch {
            let query = try await notYetTakenPart(in: unit, episode: id, scope: scope, on: db)
            pagination = Pagination(page: page, pageSize: 50, total: try await query.count(), keep: ["unit": String(unitID)])
            missing = try await query.sort(\.$name).sort(\.$id).range(pagination.offset..<pagination.offset + pagination.pageSize).all()
        }
        return Episode(episode: episode, unit: unit, season: season, participation: figures, children: children, missing: missing,
                       pagination: pagination)
    }

    /// The episodes opened by now, latest first.
    static func opened(by now: Date, on db: any Database) async throws -> [StudyEpisode] {
        try await StudyEpisode.query(on: db).filter(\.$opensAt <= now).sort(\.$season, .descending).sort(\.$number, .descending).all()
    }
}
