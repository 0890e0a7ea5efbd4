import Foundation

/// The short quiz after each 青年大学习 episode: a few single-choice questions. Answers are
/// checked for shape (one letter per question, within its choices); the learner is told how many
/// were right, and takes part whatever the score, as on the national platform.
public struct Quiz: Codable, Sendable, Equatable {
    public struct Question: Codable, Sendable, Equatable {
        public let text: String
        public let choices: [String]
        /// Index of the right choice.
        public let answer: Int

        public init(text: String, choices: [String], answer: Int) {
            self.text = text
            self.choices = choices
            self.answer = answer
        }
    }

    public let questions: [Question]

    public init(questions: [Question]) {
        self.questions = questions
    }

    public static let letters = ["A", "B", "C", "D", "E", "F"]

    public struct Problem: Error, Equatable, Sendable {
        public let message: String
        public init(_ message: String) { self.message = message }
    }

    /// The quiz as the city types it: one question a line, `题目|选项A|选项B|…|正确答案字母`
    /// (full-width ｜ also separates).
    public static func parse(_ text: String) -> Result<Quiz, Problem> {
        var questions: [Question] = []
        for (index, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let cells = line.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "|" || $0 == "｜" })
                .map { $0.trimmingCharacters(in: .whitespaces) }
            let at = "第 \(index + 1) 行"
            guard cells.count >= 4, cells.count <= 8 else {
                return .failure(Problem("\(at)应为“题目|选项A|选项B|…|答案”，有 2 到 6 个选项"))
            }
            guard cells.allSatisfy({ !$0.isEmpty }) else { return .failure(Problem("\(at)有空的题目或选项")) }
            let choices = Array(cells.dropFirst().dropLast())
            guard let typed = cells.last, let answer = letters.prefix(choices.count).firstIndex(of: typed.uppercased()) else {
                return .failure(Problem("\(at)的答案应为 \(letters.prefix(choices.count).joined(separator: "、")) 之一"))
            }
            questions.append(Question(text: cells[0], choices: choices, answer: answer))
        }
        guard !questions.isEmpty else { return .failure(Problem("请至少出一道题")) }
        guard questions.count <= 10 else { return .failure(Problem("每期最多 10 道题")) }
        return .success(Quiz(questions: questions))
    }

    /// The typed form again, for editing.
    public var text: String {
        questions.map { ([$0.text] + $0.choices + [Self.letters[$0.answer]]).joined(separator: "|") }.joined(separator: "\n")
    }

    /// How many answers are right, or why the answers are not of the quiz's shape.
    public func grade(_ answers: [String?]) -> Result<Int, Problem> {
        guard answers.count == questions.count else {
            return .failure(Problem("应回答 \(questions.count) 道题，收到 \(answers.count) 个答案"))
        }
        var right = 0
        for (index, (question, raw)) in zip(questions, answers).enumerated() {
            guard let raw, !raw.isEmpty else { return .failure(Problem("第 \(index + 1) 题还没有作答")) }
            guard let choice = Self.letters.prefix(question.choices.count).firstIndex(of: raw.uppercased()) else {
                return .failure(Problem("第 \(index + 1) 题的答案应为 \(Self.letters.prefix(question.choices.count).joined(separator: "、")) 之一"))
            }
            if choice == question.answer { right += 1 }
        }
        return .success(right)
    }
}
