import Foundation
import LeagueCore

/// 青年大学习 for administrators: the latest episodes with the unit's participation, and for the
/// city the form that publishes one.
struct StudyListPage: Encodable {
    struct Row: Encodable {
        let id: Int
        let label: String
        let title: String
        let window: String
        let state: String
        let rate: String
    }

    let unitName: String
    let episodes: [Row]
    let hasEpisodes: Bool
    let canPublish: Bool
    let form: FormState

    /// - Parameter form: as typed; the quiz starts with an example.
    init(_ list: StudyQueries.Episodes, unitName: String, canPublish: Bool, now: Date, form: FormState) {
        self.unitName = unitName
        episodes = list.episodes.map { episode in
            Row(id: episode.id ?? 0, label: episode.label, title: episode.title, window: StudyEpisodePage.window(of: episode),
                state: episode.window(at: now).label, rate: episode.id.flatMap { list.participation[$0] }?.text ?? "0.0%")
        }
        hasEpisodes = !episodes.isEmpty
        self.canPublish = canPublish
        var form = form
        if form.values["quiz"] == nil { form.values["quiz"] = "青年大学习每周几期？|一期|两期|三期|A" }
        self.form = form
    }
}
