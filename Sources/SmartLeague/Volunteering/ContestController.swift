import Fluent
import LeagueCore
import Vapor

/// 志愿服务项目大赛: contests with entries, judges and their scores, and the ranking.
struct ContestController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(ContestRoute.index, use: index)
        routes.post(ContestRoute.index, use: create)
        routes.get(ContestRoute.show(.key), use: show)
        routes.post(ContestRoute.judges(.key), use: addJudge)
        routes.post(ContestRoute.entries(.key), use: enter)
        routes.post(ContestRoute.scores(.key), use: score)
        routes.post(ContestRoute.close(.key), use: close)
    }

    private func indexPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let contests = try await Contests.visible(to: try req.requireActor(), on: req.db)
        return try await req.page("volunteering/contests", title: "项目大赛", VolunteerContestsPage(contests, today: req.today, form: state), status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await indexPage(req, FormState(), status: .ok)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let (input, state) = try req.validated(VolunteerContestForm.self)
        return try await req.submit(state, back: { (contest: VolunteerContest) in ContestRoute.show(.value(contest.id ?? 0)).url },
                                    flash: { _ in "大赛已创建" },
                                    page: { try await indexPage(req, $0, status: .unprocessableEntity) }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await Contests.create(title: input.title, year: input.year, change, on: db)
        }
    }

    private func showPage(_ req: Request, id: Int, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let actor = try req.requireActor()
        let detail = try await ContestQueries.detail(id, for: actor, scope: req.scope, on: req.db)
        return try await req.page("volunteering/contest", title: detail.contest.title,
                                  VolunteerContestPage(detail, accountID: actor.accountID, scope: req.scope, form: state), status: status)
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await showPage(req, id: try req.id(), FormState(), status: .ok)
    }

    /// Runs a contest write against the contest as the caller sees it, then back to its page.
    private func write<Input: FormInput>(_ req: Request, _ form: Input.Type, flash: String,
                                         _ body: @escaping @Sendable (VolunteerContest, Input.Valid, any Database, ChangeContext) async throws -> Void)
        async throws -> Response {
        let id = try req.id()
        let (input, state) = try req.validated(form)
        let contest = try await Contests.contest(id, for: try req.requireActor(), on: req.db)
        return try await req.submit(state, back: { (_: Void) in ContestRoute.show(.value(id)).url }, flash: { _ in flash },
                                    page: { try await showPage(req, id: id, $0, status: .unprocessableEntity) }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            try await body(contest, input, db, change)
        }
    }

    @Sendable func addJudge(req: Request) async throws -> Response {
        try await write(req, ContestJudgeForm.self, flash: "已增加评委") { contest, username, db, change in
            try await Contests.addJudge(contest, username: username, change, on: db)
        }
    }

    @Sendable func enter(req: Request) async throws -> Response {
        try await write(req, ContestEntryForm.self, flash: "项目已报名参赛") { contest, projectID, db, change in
            try await Contests.enter(contest, projectID: projectID, change, on: db)
        }
    }

    @Sendable func score(req: Request) async throws -> Response {
        try await write(req, ContestScoresForm.self, flash: "评分已保存") { contest, scores, db, change in
            try await Contests.score(contest, scores: scores, change, on: db)
        }
    }

    @Sendable func close(req: Request) async throws -> Response {
        try await write(req, ContestCloseForm.self, flash: "评审结束，排名已确定") { contest, _, db, change in
            try await Contests.close(contest, change, on: db)
        }
    }
}
