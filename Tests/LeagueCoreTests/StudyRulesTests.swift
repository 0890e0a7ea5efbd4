import Foundation
import LeagueCore
import Testing

@Suite struct StudyRulesTests {
    let quiz = try! Quiz.parse("团员年龄上限？|25|28|30|B\n多久一期？ ｜ 每周 ｜ 每月 ｜ a").get()

    @Test func aQuizIsTypedOneQuestionALine() throws {
        #expect(quiz.questions.count == 2)
        #expect(quiz.questions[1].choices == ["每周", "每月"])
        #expect(quiz.questions[1].answer == 0)
        #expect(try Quiz.parse(quiz.text).get() == quiz)
        func problem(_ text: String) -> String? {
            if case .failure(let problem) = Quiz.parse(text) { problem.message } else { nil }
        }
        #expect(problem("") == "请至少出一道题")
        #expect(problem("题目|A|B") == "第 1 行应为“题目|选项A|选项B|…|答案”，有 2 到 6 个选项")
        #expect(problem("题目|甲|乙|C") == "第 1 行的答案应为 A、B 之一")
        #expect(problem("题目||乙|A") == "第 1 行有空的题目或选项")
        #expect(problem(Array(repeating: "题|甲|乙|A", count: 11).joined(separator: "\n")) == "每期最多 10 道题")
    }

    @Test func answersMustHaveTheQuizsShapeAndAreCountedRight() throws {
        #expect(try quiz.grade(["B", "a"]).get() == 2)
        #expect(try quiz.grade(["A", "A"]).get() == 1)
        func problem(_ answers: [String?]) -> String? {
            if case .failure(let problem) = quiz.grade(answers) { problem.message } else { nil }
        }
        #expect(problem(["B"]) == "应回答 2 道题，收到 1 个答案")
        #expect(problem(["B", nil]) == "第 2 题还没有作答")
        #expect(problem(["B", "C"]) == "第 2 题的答案应为 A、B 之一")
        #expect(problem(["BB", "A"]) == "第 1 题的答案应为 A、B、C 之一")
    }

    @Test func participationIsInTenthsOfAPercentRoundedDownAndCapped() {
        #expect(Participation(participants: 2, members: 3).text == "66.6%")
        #expect(Participation(participants: 3, members: 4).perMille == 750)
        #expect(Participation(participants: 0, members: 0).text == "0.0%")
        #expect(Participation(participants: 5, members: 4).text == "100.0%")
        #expect(Participation(participants: 1, members: 1_000_000).text == "0.0%")
    }

    @Test func theWindowIncludesBothEnds() {
        #expect(EpisodeWindow(opens: 10, closes: 20, at: 10) == .open)
        #expect(EpisodeWindow(opens: 10, closes: 20, at: 20) == .open)
        #expect(EpisodeWindow(opens: 10, closes: 20, at: 9.9) == .notYetOpen)
        #expect(EpisodeWindow(opens: 10, closes: 20, at: 20.1).refusal == "本期学习已结束，不能再提交")
    }

    @Test func batchesComeAsCSVOrJSONWithProblemsPerItem() throws {
        let csv = "\u{FEFF}团员编号,期次,完成时间\nNB1,12-5,2026-11-29 10:30\nNB2,12-5,不知道\nNB3\n"
        let items = try CompletionBatch.parse(Data(csv.utf8)).get()
        #expect(items.count == 3)
        #expect(items[0].problem == nil)
        #expect(items[0].completedAt == ChinaClock.parse("2026-11-29T02:30:00Z"))
        #expect(items[1].problem?.hasPrefix("完成时间「不知道」应为") == true)
        #expect(items[2].problem == "应有 3 列，实有 1 列")
        let json = #"[{"memberNumber": "NB1", "episode": "12-5", "completedAt": "2026-11-29T10:30:00+08:00"}, "x"]"#
        let fromJSON = try CompletionBatch.parse(Data(json.utf8)).get()
        #expect(fromJSON[0].completedAt == items[0].completedAt)
        #expect(fromJSON[1].problem == "应为含 memberNumber、episode、completedAt 三个文字字段的对象")
        func problem(_ text: String) -> String? {
            if case .failure(let problem) = CompletionBatch.parse(Data(text.utf8)) { problem.message } else { nil }
        }
        #expect(problem("") == "文件是空的")
        #expect(problem("{\"x\": 1}") == "JSON 应为数组，或带 completions 数组的对象")
        #expect(problem("姓名,期次\n") == "第一行应为表头：团员编号,期次,完成时间")
        #expect(ChinaClock.parse("2026-11-29T10:30") == items[0].completedAt)
        #expect(ChinaClock.parse("2026-11-29 24:00") == nil)
        #expect(ChinaClock.parse("2026-02-30 10:00") == nil)
    }
}
