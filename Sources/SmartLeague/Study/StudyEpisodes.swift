import NIOConcurrencyHelpers
import Fluent
import LeagueCore
import Vapor

/// Publishing episodes, and the copy of them that completions are checked against.
enum StudyEpisodes {
    struct Draft: Sendable {
        let season: Int
        let number: Int
        let title: String
        let opensAt: Date
        let closesAt: Date
        let videoURL: String
        let quiz: Quiz
    }

    static func publish(_ draft: Draft, _ change: ChangeContext, on db: any Database) async throws -> StudyEpisode {
        guard change.scope.isCityWide else { throw Refusal("青年大学习由团市委发布") }
        guard draft.opensAt < draft.closesAt else { throw Refusal("截止时间应晚于开始时间", field: "closesAt") }
        guard try await StudyEpisode.query(on: db).filter(\.$season == draft.season).filter(\.$number == draft.number).count() == 0 else {
            throw Refusal("第\(draft.season)季第\(draft.number)期已经发布过", field: "number")
        }
        let episode = StudyEpisode()
        episode.season = draft.season
        episode.number = draft.number
        episode.title = draft.title
        episode.opensAt = draft.opensAt
        episode.closesAt = draft.closesAt
        episode.videoURL = draft.videoURL
        episode.quizJSON = try StoredJSON.text(draft.quiz)
        episode.createdAt = change.now
        try await episode.create(on: db)
        let root = try await Scope.unrestricted.organizations(on: db).filter(\.$parentID == nil).first()!
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(root),
                               action: "study.publish", entityType: "study_episode", entityID: String(episode.id!),
                               summary: "发布青年大学习\(episode.label)「\(draft.title)」",
                               changes: FieldChange.created(["标题": draft.title, "开始": ChinaTime.dateTimeString(draft.opensAt),
                                                             "截止": ChinaTime.dateTimeString(draft.closesAt),
                                                             "视频": draft.videoURL, "题目数": String(draft.quiz.questions.count)]))
        return episode
    }

    static func find(_ id: Int, on db: any Database) async throws -> StudyEpisode {
        guard let episode = try await StudyEpisode.find(id, on: db) else { throw Abort(.notFound) }
        return episode
    }

    static func find(code: String, on db: any Database) async throws -> StudyEpisode? {
        let parts = code.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2 else { return nil }
        return try await StudyEpisode.query(on: db).filter(\.$season == parts[0]).filter(\.$number == parts[1]).first()
    }
}

/// What a completion is checked against, kept in memory: during a burst every request asks, and
/// an episode changes only when the city publishes. Entries are read again after a few seconds,
/// so that several server processes on one PostgreSQL database agree soon enough.
final class EpisodeCache: Sendable {
    struct Snapshot: StudyTime, Sendable {
        let id: Int
        let opensAt: Date
        let closesAt: Date
        let quiz: Quiz
    }

    private let entries = NIOLockedValueBox<[Int: (snapshot: Snapshot, readAt: Date)]>([:])
    private let lifetime: TimeInterval = 5

    /// The episode as read less than a few seconds ago, without waiting: the burst path.
    func cached(_ id: Int) -> Snapshot? {
        let now = Date()
        return entries.withLockedValue { entries in
            entries[id].flatMap { now.timeIntervalSince($0.readAt) < lifetime ? $0.snapshot : nil }
        }
    }

    func episode(_ id: Int, on db: any Database) async throws -> Snapshot? {
        if let hit = cached(id) { return hit }
        let snapshot = try await StudyEpisode.find(id, on: db).map {
            Snapshot(id: id, opensAt: $0.opensAt, closesAt: $0.closesAt, quiz: $0.quiz)
        }
        // Only episodes that exist are kept: ids made up by a client must not grow the cache.
        if let snapshot { entries.withLockedValue { $0[id] = (snapshot, Date()) } }
        return snapshot
    }
}

extension Application {
    private struct EpisodeCacheKey: StorageKey { typealias Value = EpisodeCache }

    var episodes: EpisodeCache {
        get { configured(EpisodeCacheKey.self) }
        set { storage[EpisodeCacheKey.self] = newValue }
    }
}
