import Foundation
import LeagueCore
import Vapor

/// A new episode as the city publishes it, with its quiz one question a line.
struct EpisodeForm: FormInput {
    var season: String?
    var number: String?
    var title: String?
    var opensAt: String?
    var closesAt: String?
    var videoURL: String?
    var quiz: String?

    func validate(_ check: inout FormState, today: CalendarDate) -> StudyEpisodes.Draft? {
        let season = check.check("season") {
            guard let season = Int(self.season ?? ""), (1...999).contains(season) else { throw FormField.Problem("季数应为 1 到 999 的整数") }
            return season
        }
        let number = check.check("number") {
            guard let number = Int(self.number ?? ""), (1...99).contains(number) else { throw FormField.Problem("期数应为 1 到 99 的整数") }
            return number
        }
        let title = check.check("title") { try FormField.requiredText(self.title, label: "标题", max: 80) }
        let opens = check.check("opensAt") {
            guard let opens = ChinaClock.parse(self.opensAt ?? "") else { throw FormField.Problem("请填写开始时间") }
            return opens
        }
        let closes = check.check("closesAt") {
            guard let closes = ChinaClock.parse(self.closesAt ?? "") else { throw FormField.Problem("请填写截止时间") }
            return closes
        }
        let video = check.check("videoURL") {
            let video = try FormField.requiredText(self.videoURL, label: "视频链接", max: 500)
            guard video.hasPrefix("https://") || video.hasPrefix("http://") else { throw FormField.Problem("视频链接应以 https:// 开头") }
            return video
        }
        let quiz = check.check("quiz") {
            switch Quiz.parse(self.quiz ?? "") {
            case .success(let quiz): return quiz
            case .failure(let problem): throw FormField.Problem(problem.message)
            }
        }
        guard let season, let number, let title, let opens, let closes, let video, let quiz else { return nil }
        return StudyEpisodes.Draft(season: season, number: number, title: title, opensAt: opens, closesAt: closes, videoURL: video, quiz: quiz)
    }
}

/// A file of completions exported from the national platform; the form has no other field.
struct StudyImportForm: FormInput {
    /// The file's completions, or the problem filed under "file".
    func validate(file: File?, _ check: inout FormState) -> [CompletionBatch.Item]? {
        check.check("file") {
            guard let file, file.data.readableBytes > 0 else { throw FormField.Problem("请选择要导入的 CSV 或 JSON 文件") }
            switch CompletionBatch.parse(Data(file.data.readableBytesView)) {
            case .success(let items):
                guard !items.isEmpty else { throw FormField.Problem("文件里没有记录") }
                return items
            case .failure(let problem): throw FormField.Problem(problem.message)
            }
        }
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> [CompletionBatch.Item]? {
        validate(file: nil, &check)
    }
}

/// A member's answers to an episode's quiz: `q1`, `q2`, … one per question. They are graded
/// against the episode, so nothing is checked before it is known.
struct QuizAnswerForm: FormInput {
    let fields: [String: String]

    init(fields: [String: String]) {
        self.fields = fields
    }

    init(from decoder: any Decoder) throws {
        fields = try decoder.singleValueContainer().decode([String: String].self)
    }

    /// One answer per question, in order; nil where none was chosen.
    func answers(of episode: EpisodeCache.Snapshot) -> [String?] {
        (1...max(1, episode.quiz.questions.count)).map { fields["q\($0)"] }
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> QuizAnswerForm? {
        self
    }
}
