import Foundation
import LeagueCore

/// One episode for a member: the video, the quiz while it is open and not yet done, and the
/// result of their completion.
struct LearnEpisodePage: Encodable {
    struct Question: Encodable {
        struct Choice: Encodable {
            let letter: String
            let text: String
            let checked: Bool
        }

        let number: Int
        let text: String
        let choices: [Choice]
    }

    let id: Int
    let label: String
    let title: String
    let state: String
    let window: String
    let videoURL: String
    let questions: [Question]
    let canAnswer: Bool
    let done: Bool
    let result: String?
    let form: FormState

    /// - Parameters:
    ///   - done: whether the member has completed it.
    ///   - result: the message of the completion just sent.
    init(_ episode: StudyEpisode, done: Bool, now: Date, result: String?, form: FormState) {
        let window = episode.window(at: now)
        id = episode.id ?? 0
        label = episode.label
        title = episode.title
        state = window.label
        self.window = StudyEpisodePage.window(of: episode)
        videoURL = episode.videoURL
        questions = episode.quiz.questions.enumerated().map { index, question in
            Question(number: index + 1, text: question.text, choices: question.choices.enumerated().map {
                .init(letter: Quiz.letters[$0.offset], text: $0.element, checked: form.values["q\(index + 1)"] == Quiz.letters[$0.offset])
            })
        }
        canAnswer = window == .open && !done
        self.done = done
        self.result = result
        self.form = form
    }
}
