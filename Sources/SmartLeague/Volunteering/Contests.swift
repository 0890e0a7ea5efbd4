import Fluent
import LeagueCore
import Vapor

/// The project contest: a unit opens it, projects of its units enter, the judges it names
/// score every entry, and closing freezes the ranking.
enum Contests {
    /// Contests the caller organises, may enter (run by a unit above or at theirs), or judges.
    static func visible(to actor: Actor, on db: any Database) async throws -> [VolunteerContest] {
        let judged = Set(try await ContestJudge.query(on: db).filter(\.$accountID == actor.accountID).all().map(\.contestID))
        return try await Scope.unrestricted.query(VolunteerContest.self, on: db).sort(\.$year, .descending).sort(\.$id, .descending).all().filter {
            let path = $0.unitPath
            return actor.scope.contains(path) || path.contains(actor.unitPath) || judged.contains($0.id!)
        }
    }

    static func contest(_ id: Int, for actor: Actor, on db: any Database) async throws -> VolunteerContest {
        guard let found = try await visible(to: actor, on: db).first(where: { $0.id == id }) else { throw Abort(.notFound) }
        return found
    }

    static func create(title: String, year: Int, _ change: ChangeContext, on db: any Database) async throws -> VolunteerContest {
        guard let root = change.scope.root else { throw Abort(.notFound) }
        let contest = VolunteerContest()
        contest.title = title
        contest.year = year
        contest.unitPath = root
        contest.status = .open
        contest.createdAt = change.now
        try await contest.create(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: nil, path: root),
                               action: "volunteer_contest.create", entityType: "volunteer_contest", entityID: String(contest.id!),
                               summary: "举办志愿服务项目大赛「\(title)」", changes: FieldChange.created(["名称": title, "年度": String(year)]))
        return contest
    }

    /// The unit that runs a contest manages it: its judges, and closing it.
    static func isOrganiser(_ contest: VolunteerContest, _ scope: Scope) -> Bool {
        scope.root == contest.unitPath
    }

    private static func requireOrganiser(_ contest: VolunteerContest, _ change: ChangeContext) throws {
        guard isOrganiser(contest, change.scope) else {
            throw Refusal("只有主办单位可以进行此操作")
        }
        guard contest.status == .open else { throw Refusal("大赛已结束") }
    }

    static func addJudge(_ contest: VolunteerContest, username: String, _ change: ChangeContext, on db: any Database) async throws {
        try requireOrganiser(contest, change)
        guard let account = try await change.scope.accounts(on: db).filter(\.$username == username)
            .filter(\.$kind == .administrator).first() else { throw Refusal("找不到该管理员账号，或不在本单位范围内", field: "username") }
        guard try await ContestJudge.query(on: db).filter(\.$contestID == contest.id!).filter(\.$accountID == account.id!).count() == 0 else {
            throw Refusal("\(account.displayName)已是评委", field: "username")
        }
        let judge = ContestJudge()
        judge.contestID = contest.id!
        judge.accountID = account.id!
        judge.name = account.displayName
        try await judge.create(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: nil, path: contest.unitPath),
                               action: "volunteer_contest.judge", entityType: "volunteer_contest", entityID: String(contest.id!),
                               summary: "「\(contest.title)」增加评委 \(account.displayName)（\(account.username)）",
                               changes: FieldChange.created(["评委": "\(account.displayName)（\(account.username)）"]))
    }

    /// A unit enters one of its projects into a contest run at or above it.
    static func enter(_ contest: VolunteerContest, projectID: Int, _ change: ChangeContext, on db: any Database) async throws {
        guard contest.status == .open else { throw Refusal("大赛已结束") }
        guard let project = try await change.scope.query(VolunteerProject.self, on: db).filter(\.$id == projectID).first(),
              [.published, .closed].contains(project.status) else { throw Refusal("请选择本单位已发布的项目", field: "project") }
        guard contest.unitPath.contains(project.unitPath) else {
            throw Refusal("该项目不在大赛主办单位范围内", field: "project")
        }
        guard try await Scope.unrestricted.query(ContestEntry.self, on: db).filter(\.$contestID == contest.id!).filter(\.$projectID == projectID).count() == 0 else {
            throw Refusal("该项目已参赛", field: "project")
        }
        let entry = ContestEntry()
        entry.contestID = contest.id!
        entry.projectID = projectID
        entry.unitPath = project.unitPath
        try await entry.create(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: nil, path: project.unitPath),
                               action: "volunteer_contest.enter", entityType: "volunteer_contest", entityID: String(contest.id!),
                               summary: "项目「\(project.title)」报名「\(contest.title)」",
                               changes: FieldChange.created(["参赛项目": project.title]))
    }

    /// A judge's scores, one per entry (0–100); scoring again replaces the judge's earlier score.
    static func score(_ contest: VolunteerContest, scores: [Int: Int], _ change: ChangeContext, on db: any Database) async throws {
        guard contest.status == .open else { throw Refusal("大赛已结束") }
        guard let accountID = change.actor.accountID,
              try await ContestJudge.query(on: db).filter(\.$contestID == contest.id!).filter(\.$accountID == accountID).count() > 0 else {
            throw Refusal("您不是本次大赛的评委")
        }
        let entries = Set(try await Scope.unrestricted.query(ContestEntry.self, on: db).filter(\.$contestID == contest.id!).all().map { $0.id! })
        var changes: [FieldChange] = []
        for (entryID, value) in scores.sorted(by: { $0.key < $1.key }) {
            guard entries.contains(entryID) else { throw Abort(.notFound) }
            guard ContestScoring.range.contains(value) else { throw Refusal("评分应为 0 到 100 的整数") }
            let score = try await ContestScore.query(on: db).filter(\.$entryID == entryID).filter(\.$judgeAccountID == accountID).first()
                ?? ContestScore()
            changes.append(FieldChange(field: "作品 \(entryID)", old: score.id == nil ? "" : String(score.score), new: String(value)))
            score.entryID = entryID
            score.judgeAccountID = accountID
            score.score = value
            try await score.save(on: db)
        }
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: nil, path: contest.unitPath),
                               action: "volunteer_contest.score", entityType: "volunteer_contest", entityID: String(contest.id!),
                               summary: "「\(contest.title)」评分", changes: changes)
    }

    struct Standing: Sendable {
        let entry: ContestEntry
        let mean: Int?
        let scored: Int
        let rank: Int?
    }

    /// Entries with their mean score and place; unscored entries come last without a place.
    static func standings(_ contest: VolunteerContest, on db: any Database) async throws -> [Standing] {
        let entries = try await Scope.unrestricted.query(ContestEntry.self, on: db).filter(\.$contestID == contest.id!).all()
        let scores = try await ContestScore.query(on: db).filter(\.$entryID ~~ entries.map { $0.id! }).all()
        let byEntry = Dictionary(grouping: scores, by: \.entryID)
        let means = entries.map { ContestScoring.mean(byEntry[$0.id!]?.map(\.score) ?? []) }
        let ranked = Ranking.competition(means.compactMap { $0 })
        var places: [Int: Int] = [:]
        for (mean, place) in zip(means.compactMap { $0 }, ranked) { places[mean] = place }
        return zip(entries, means).map { entry, mean in
            Standing(entry: entry, mean: entry.finalScore ?? mean, scored: byEntry[entry.id!]?.count ?? 0,
                     rank: entry.finalRank ?? mean.flatMap { places[$0] })
        }.sorted { ($0.rank ?? .max, $0.entry.id!) < ($1.rank ?? .max, $1.entry.id!) }
    }

    /// Closing needs every judge's score on every entry, and freezes means and places.
    static func close(_ contest: VolunteerContest, _ change: ChangeContext, on db: any Database) async throws {
        try requireOrganiser(contest, change)
        let judges = try await ContestJudge.query(on: db).filter(\.$contestID == contest.id!).count()
        let standings = try await standings(contest, on: db)
        guard judges > 0, !standings.isEmpty else { throw Refusal("尚无评委或参赛项目，不能结束") }
        if let unfinished = standings.first(where: { $0.scored < judges }) {
            throw Refusal("还有作品未评完（作品 \(unfinished.entry.id!) 已有 \(unfinished.scored)/\(judges) 位评委评分）")
        }
        for standing in standings {
            standing.entry.finalScore = standing.mean
            standing.entry.finalRank = standing.rank
            try await standing.entry.save(on: db)
        }
        contest.status = .closed
        try await contest.save(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: nil, path: contest.unitPath),
                               action: "volunteer_contest.close", entityType: "volunteer_contest", entityID: String(contest.id!),
                               summary: "「\(contest.title)」评审结束，\(standings.count) 个项目排名确定",
                               changes: standings.map { FieldChange(field: "作品 \($0.entry.id!)", old: "",
                                                                    new: "第 \($0.rank.map(String.init) ?? "—") 名，\($0.mean.map(ContestScoring.pointsText) ?? "—") 分") })
    }
}
