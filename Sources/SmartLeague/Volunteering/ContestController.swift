import Fluent
import LeagueCore
import Vapor

/// 志愿服务项目大赛: contests with entries, judges and their scores, and the ranking.
struct ContestController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let contests = routes.grouped("volunteering", "contests")
        contests.get(use: index)
        contests.post(use: create)
        contests.get(":id", use: show)
        contests.post(":id", "judges", use: addJudge)
        contests.post(":id", "entries", use: enter)
        contests.post(":id", "scores", use: score)
        contests.post(":id", "close", use: close)
    }

    struct ContestRow: Encodable {
        let id: Int
        let title: String
        let year: Int
        let status: String
    }

    struct IndexPage: Encodable {
        let rows: [ContestRow]
        let hasRows: Bool
        let form: FormState
    }

    private func indexPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let contests = try await Contests.visible(to: try req.requireActor(), on: req.db)
        var state = state
        if state.values["year"] == nil { state.values["year"] = String(req.today.year) }
        return try await req.page("volunteering/contests", title: "项目大赛", IndexPage(
            rows: contests.map { ContestRow(id: $0.id!, title: $0.title, year: $0.year, status: $0.status.label) },
            hasRows: !contests.isEmpty, form: state), status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await indexPage(req, FormState(), status: .ok)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        let title = state.check("title") { try FormField.requiredText(form["title"], label: "大赛名称", min: 2, max: 60) }
        let year = state.check("year") { try FormField.year(form["year"]) }
        return try await req.submit(state, back: { "/volunteering/contests/\($0.id!)" }, flash: { _ in "大赛已创建" },
                                    page: { try await indexPage(req, $0, status: .unprocessableEntity) }) { db, change in
            try await Contests.create(title: title!, year: year!, change, on: db)
        }
    }

    struct EntryRow: Encodable {
        let id: Int
        let project: String
        let category: String
        let score: String
        let scored: Int
        let rank: String
        let myScore: String
    }

    struct ShowPage: Encodable {
        let id: Int
        let title: String
        let year: Int
        let status: String
        let isOpen: Bool
        let isOrganiser: Bool
        let isJudge: Bool
        let judges: String
        let judgeCount: Int
        let entries: [EntryRow]
        let hasEntries: Bool
        let projects: [Choice]
        let hasProjects: Bool
        let form: FormState
    }

    private func showPage(_ req: Request, id: Int, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let actor = try req.requireActor()
        let contest = try await Contests.contest(id, for: actor, on: req.db)
        let judges = try await ContestJudge.query(on: req.db).filter(\.$contestID == id).all()
        let standings = try await Contests.standings(contest, on: req.db)
        let projects = try await VolunteerPublic.projects(standings.map(\.entry.projectID), on: req.db)
        let projectByID = Dictionary(uniqueKeysWithValues: projects.map { ($0.id!, $0) })
        let mine = try await ContestScore.query(on: req.db).filter(\.$judgeAccountID == actor.accountID)
            .filter(\.$entryID ~~ standings.map { $0.entry.id! }).all()
        let myScores = Dictionary(uniqueKeysWithValues: mine.map { ($0.entryID, $0.score) })
        let entered = Set(standings.map(\.entry.projectID))
        let eligible = try await req.scope.query(VolunteerProject.self, on: req.db).filter(\.$status ~~ [.published, .closed]).sort(\.$title).range(0..<500).all()
            .filter { !entered.contains($0.id!) && contest.unitPath.contains($0.unitPath) }
        return try await req.page("volunteering/contest", title: contest.title, ShowPage(
            id: id, title: contest.title, year: contest.year, status: contest.status.label, isOpen: contest.status == .open,
            isOrganiser: Contests.isOrganiser(contest, req.scope), isJudge: judges.contains { $0.accountID == actor.accountID },
            judges: judges.map(\.name).joined(separator: "、"), judgeCount: judges.count,
            entries: standings.map { standing in
                EntryRow(id: standing.entry.id!, project: projectByID[standing.entry.projectID]?.title ?? "",
                         category: projectByID[standing.entry.projectID]?.category ?? "",
                         score: standing.mean.map(ContestScoring.pointsText) ?? "—", scored: standing.scored,
                         rank: standing.rank.map(String.init) ?? "—", myScore: myScores[standing.entry.id!].map(String.init) ?? "")
            },
            hasEntries: !standings.isEmpty, projects: eligible.map { .init(value: String($0.id!), label: $0.title) },
            hasProjects: !eligible.isEmpty, form: state), status: status)
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await showPage(req, id: try req.id(), FormState(), status: .ok)
    }

    /// Runs a contest write against the contest as the caller sees it, then back to its page.
    private func write(_ req: Request, _ state: FormState, flash: String,
                       _ body: @escaping @Sendable (VolunteerContest, any Database, ChangeContext) async throws -> Void) async throws -> Response {
        let id = try req.id()
        let contest = try await Contests.contest(id, for: try req.requireActor(), on: req.db)
        return try await req.submit(state, back: { _ in "/volunteering/contests/\(id)" }, flash: { _ in flash },
                                    page: { try await showPage(req, id: id, $0, status: .unprocessableEntity) }) { db, change in
            try await body(contest, db, change)
        }
    }

    @Sendable func addJudge(req: Request) async throws -> Response {
        let form = try req.form()
        let username = (form["username"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        return try await write(req, FormState(values: form), flash: "已增加评委") { contest, db, change in
            try await Contests.addJudge(contest, username: username, change, on: db)
        }
    }

    @Sendable func enter(req: Request) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        let projectID = state.check("project") { try FormField.id(form["project"], label: "参赛项目") }
        return try await write(req, state, flash: "项目已报名参赛") { contest, db, change in
            try await Contests.enter(contest, projectID: projectID!, change, on: db)
        }
    }

    @Sendable func score(req: Request) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        var scores: [Int: Int] = [:]
        for (key, value) in form where key.hasPrefix("score") && !value.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let entryID = Int(key.dropFirst(5)) else { continue }
            guard let score = Int(value.trimmingCharacters(in: .whitespaces)) else { state.errors["_form"] = "评分应为 0 到 100 的整数"; continue }
            scores[entryID] = score
        }
        let entered = scores
        return try await write(req, state, flash: "评分已保存") { contest, db, change in
            try await Contests.score(contest, scores: entered, change, on: db)
        }
    }

    @Sendable func close(req: Request) async throws -> Response {
        try await write(req, FormState(), flash: "评审结束，排名已确定") { contest, db, change in
            try await Contests.close(contest, change, on: db)
        }
    }
}
