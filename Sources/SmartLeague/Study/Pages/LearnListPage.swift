import Foundation
import LeagueCore

/// 青年大学习 for a member: the episodes opened so far and their own participation.
struct LearnListPage: Encodable {
    struct Row: Encodable {
        let id: Int
        let label: String
        let title: String
        let state: String
        let done: Bool
    }

    let episodes: [Row]
    let hasEpisodes: Bool
    let done: Int
    let opened: Int
    let rate: String

    /// - Parameter completed: the member's completions by episode.
    init(opened: [StudyEpisode], completed: Set<Int>, now: Date) {
        let isDone = { (episode: StudyEpisode) in episode.id.map(completed.contains) ?? false }
        episodes = opened.prefix(20).map {
            Row(id: $0.id ?? 0, label: $0.label, title: $0.title, state: $0.window(at: now).label, done: isDone($0))
        }
        hasEpisodes = !opened.isEmpty
        done = opened.filter(isDone).count
        self.opened = opened.count
        rate = Participation(participants: done, members: opened.count).text
    }
}
