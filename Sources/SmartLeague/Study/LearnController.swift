import Fluent
import LeagueCore
import Vapor

/// 青年大学习 for members, mostly on phones: this week's episode, the video, the quiz, and their
/// own record. A completion answers JSON to clients that ask for it, so that the burst after
/// each release costs no page rendering.
struct LearnController: RouteCollection {
    /// The completion (`complete`) is registered by `StudyPart`, behind the burst path.
    func boot(routes: any RoutesBuilder) throws {
        routes.get(LearnRoute.index, use: index)
        routes.get(LearnRoute.show(.key), use: show)
    }

    private func member(_ req: Request) throws -> (Actor, Int) {
        let actor = try req.requireActor()
        guard let member = actor.memberID else { throw Abort(.forbidden, reason: "青年大学习由团员本人参加；管理员请在“青年大学习”统计页查看参学情况。") }
        return (actor, member)
    }

    @Sendable func index(req: Request) async throws -> Response {
        _ = try member(req)
        let opened = try await StudyQueries.opened(by: req.now, on: req.db)
        let completed = try await StudyQueries.completed(scope: req.scope, on: req.db)
        return try await req.page("study/learn", title: "青年大学习", LearnListPage(opened: opened, completed: Set(completed.keys), now: req.now))
    }

    private func page(_ req: Request, episode: StudyEpisode, form: FormState, result: String?,
                      status: HTTPResponseStatus) async throws -> Response {
        let done = try await StudyQueries.completed(scope: req.scope, on: req.db)[episode.id ?? 0] != nil
        return try await req.page("study/learn_episode", title: episode.label,
                                  LearnEpisodePage(episode, done: done, now: req.now, result: result, form: form), status: status)
    }

    @Sendable func show(req: Request) async throws -> Response {
        _ = try member(req)
        let episode = try await StudyEpisodes.find(try req.id(), on: req.db)
        guard episode.opensAt <= req.now else { throw Abort(.notFound) }
        return try await page(req, episode: episode, form: FormState(), result: nil, status: .ok)
    }

    struct Answer {
        let status: String
        let message: String
        let right: Int
        let questions: Int

        var json: Response {
            LearnController.json(#"{"status":\#(JSONText.quoted(status)),"message":\#(JSONText.quoted(message)),"right":\#(right),"questions":\#(questions)}"#,
                                 status: .ok)
        }
    }

    /// JSON written by hand (`JSONText`): the burst answers thousands of these a second.
    static func json(_ text: String, status: HTTPResponseStatus) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: status, headers: headers, body: .init(string: text))
    }

    static func answers(_ form: [String: String], of episode: EpisodeCache.Snapshot) -> [String?] {
        QuizAnswerForm(fields: form).answers(of: episode)
    }

    static func answer(_ outcome: CompletionRecorder.Outcome, right: Int, of episode: EpisodeCache.Snapshot) -> Answer {
        let total = episode.quiz.questions.count
        return Answer(status: outcome == .recorded ? "recorded" : "alreadyDone",
                      message: outcome == .recorded ? "学习完成，已计入本期参学。答对 \(right)/\(total) 题。" : "您已完成过本期学习，不重复计数。",
                      right: right, questions: total)
    }

    /// A completion sent from the episode's page, or one the burst path did not take
    /// (`CompletionBurst`): refusals are answered here, on the page or as JSON.
    @Sendable func complete(req: Request) async throws -> Response {
        let (actor, memberID) = try member(req)
        let id = try req.id()
        let wantsJSON = req.asksForJSON
        guard let episode = try await req.application.episodes.episode(id, on: req.db) else { throw Abort(.notFound) }
        let (form, state) = try req.decode(QuizAnswerForm.self)
        func refuse(_ message: String, field: String) async throws -> Response {
            if wantsJSON {
                return Self.json(#"{"error":\#(JSONText.quoted(message)),"field":\#(JSONText.quoted(field))}"#, status: .unprocessableEntity)
            }
            return try await page(req, episode: try await StudyEpisodes.find(id, on: req.db),
                                  form: FormState(values: state.values, errors: [field: message]), result: nil, status: .unprocessableEntity)
        }
        if let refusal = episode.window(at: req.now).refusal { return try await refuse(refusal, field: "episode") }
        let right: Int
        switch episode.quiz.grade(form.answers(of: episode)) {
        case .success(let count): right = count
        case .failure(let problem): return try await refuse(problem.message, field: "answers")
        }
        let claim = CompletionRecorder.Claim(learner: .member(id: memberID, branchID: actor.unitID, branchPath: actor.unitPath),
                                             episodeID: id, score: right, at: req.now)
        let outcome = try await req.application.completionRecorder.submit(claim, on: req.eventLoop).get()
        let answer = Self.answer(outcome, right: right, of: episode)
        if wantsJSON { return answer.json }
        return try await page(req, episode: try await StudyEpisodes.find(id, on: req.db), form: FormState(), result: answer.message, status: .ok)
    }
}

extension Request {
    /// Only a client that puts JSON first gets it: a browser's */* would match .json in Vapor's comparison.
    var asksForJSON: Bool {
        headers.first(name: .accept)?.hasPrefix("application/json") ?? false
    }
}
