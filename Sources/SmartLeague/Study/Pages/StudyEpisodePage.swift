import Foundation
import LeagueCore

/// One episode for a unit: its participation, its children ranked, the season's trend, and for
/// a branch the members still to take part.
struct StudyEpisodePage: Encodable {
    struct ChildRow: Encodable {
        let rank: Int
        let name: String
        let members: Int
        let participants: Int
        let rate: String
        let barWidth: Int
        /// The same episode for the child.
        let url: String
    }

    struct TrendPoint: Encodable {
        let x: Int
        let y: Int
        let label: String
        let rate: String
    }

    struct MemberRow: Encodable {
        let name: String
        let memberNumber: String
        let phone: String
    }

    let id: Int
    let label: String
    let title: String
    let state: String
    let window: String
    let videoURL: String
    let unitID: Int
    let unitName: String
    let members: Int
    let participants: Int
    let rate: String
    let children: [ChildRow]
    let hasChildren: Bool
    let trend: [TrendPoint]
    let trendLine: String
    let hasTrend: Bool
    let isBranch: Bool
    let missing: [MemberRow]
    let hasMissing: Bool
    let pagination: Pagination

    /// "2026-11-23 10:00 至 2026-11-29 22:00"
    static func window(of episode: StudyEpisode) -> String {
        "\(ChinaTime.dateTimeString(episode.opensAt)) 至 \(ChinaTime.dateTimeString(episode.closesAt))"
    }

    init(_ detail: StudyQueries.Episode, now: Date) {
        let episode = detail.episode
        let none = Participation(participants: 0, members: 0)
        let episodeID = episode.id ?? 0
        id = episodeID
        label = episode.label
        title = episode.title
        state = episode.window(at: now).label
        window = Self.window(of: episode)
        videoURL = episode.videoURL
        unitID = detail.unit.id ?? 0
        unitName = detail.unit.name
        let own = detail.participation[episodeID] ?? none
        members = own.members
        participants = own.participants
        rate = own.text
        children = detail.children.map { child in
            ChildRow(rank: child.rank, name: child.unit.name, members: child.participation.members,
                     participants: child.participation.participants, rate: child.participation.text,
                     barWidth: child.participation.perMille / 5,
                     url: StudyRoute.episode(.value(episodeID)).url(query: [("unit", child.unit.id.map(String.init))]))
        }
        hasChildren = !children.isEmpty
        let width = 560, height = 160
        let step = detail.season.count > 1 ? width / (detail.season.count - 1) : 0
        trend = detail.season.enumerated().map { index, item in
            let rate = item.id.flatMap { detail.participation[$0] } ?? none
            return TrendPoint(x: 30 + index * step, y: 10 + height - rate.perMille * height / 1000, label: "第\(item.number)期", rate: rate.text)
        }
        trendLine = trend.map { "\($0.x),\($0.y)" }.joined(separator: " ")
        hasTrend = trend.count > 1
        isBranch = detail.unit.type.isBranch
        missing = detail.missing.map { MemberRow(name: $0.name, memberNumber: $0.memberNumber, phone: $0.phone.map(PhoneMask.mask) ?? "") }
        hasMissing = !missing.isEmpty
        pagination = detail.pagination
    }
}
