import Fluent
import LeagueCore
import Vapor

/// 青年大学习 for administrators: episodes, participation of a unit with its children ranked and
/// the season's trend, the members of a branch still to take part, and imports.
struct StudyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let study = routes.grouped("study")
        study.get(use: index)
        study.post(use: publish)
        study.get("episodes", ":id", use: episode)
        study.get("import", use: importForm)
        study.upload("import", maxSize: "30mb", use: importFile)
    }

    struct EpisodeRow: Encodable {
        let id: Int
        let label: String
        let title: String
        let window: String
        let state: String
        let rate: String
    }

    struct IndexPage: Encodable {
        let unitName: String
        let episodes: [EpisodeRow]
        let hasEpisodes: Bool
        let canPublish: Bool
        let form: FormState
    }

    private func indexPage(_ req: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let actor = try req.requireActor()
        let episodes = try await StudyEpisode.query(on: req.db).sort(\.$season, .descending).sort(\.$number, .descending)
            .range(0..<60).all()
        let figures = try await StudyQueries.participation(units: [actor.unitID], episodes: episodes.map { $0.id! },
                                                           scope: req.scope, on: req.db)[actor.unitID] ?? [:]
        let now = req.now
        var state = form
        if state.values["quiz"] == nil { state.values["quiz"] = "青年大学习每周几期？|一期|两期|三期|A" }
        return try await req.page("study/index", title: "青年大学习", IndexPage(
            unitName: actor.unitName,
            episodes: episodes.map { episode in
                EpisodeRow(id: episode.id!, label: episode.label, title: episode.title,
                           window: "\(ChinaTime.dateTimeString(episode.opensAt)) 至 \(ChinaTime.dateTimeString(episode.closesAt))",
                           state: episode.window(at: now).label, rate: figures[episode.id!]?.text ?? "0.0%")
            },
            hasEpisodes: !episodes.isEmpty, canPublish: req.scope.isCityWide, form: state), status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await indexPage(req, form: FormState(), status: .ok)
    }

    @Sendable func publish(req: Request) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        let season = Int(form["season"] ?? "").flatMap { (1...999).contains($0) ? $0 : nil }
        if season == nil { state.errors["season"] = "季数应为 1 到 999 的整数" }
        let number = Int(form["number"] ?? "").flatMap { (1...99).contains($0) ? $0 : nil }
        if number == nil { state.errors["number"] = "期数应为 1 到 99 的整数" }
        let title = state.check("title") { try FormField.requiredText(form["title"], label: "标题", max: 80) }
        let opens = ChinaClock.parse(form["opensAt"] ?? "")
        if opens == nil { state.errors["opensAt"] = "请填写开始时间" }
        let closes = ChinaClock.parse(form["closesAt"] ?? "")
        if closes == nil { state.errors["closesAt"] = "请填写截止时间" }
        let video = state.check("videoURL") { try FormField.requiredText(form["videoURL"], label: "视频链接", max: 500) }
        if let video, !(video.hasPrefix("https://") || video.hasPrefix("http://")) {
            state.errors["videoURL"] = "视频链接应以 https:// 开头"
        }
        var quiz: Quiz?
        switch Quiz.parse(form["quiz"] ?? "") {
        case .success(let parsed): quiz = parsed
        case .failure(let problem): state.errors["quiz"] = problem.message
        }
        let change = req.changeContext
        return try await req.submit(state, write: { [quiz] db in
            try await StudyEpisodes.publish(.init(season: season!, number: number!, title: title!, opensAt: opens!, closesAt: closes!,
                                                  videoURL: video!, quiz: quiz!), change, on: db)
        }, then: { episode in
            try await req.redirect(to: "/study/episodes/\(episode.id!)", flash: "已发布\(episode.label)。")
        }, otherwise: { state in
            try await indexPage(req, form: state, status: .unprocessableEntity)
        })
    }

    struct ChildRow: Encodable {
        let id: Int
        let rank: Int
        let name: String
        let members: Int
        let participants: Int
        let rate: String
        let barWidth: Int
    }

    struct TrendPoint: Encodable {
        let x: Int
        let y: Int
        let label: String
        let rate: String
    }

    struct MemberRow: Encodable {
        let name: String
        let memberNumber: String
        let phone: String
    }

    struct EpisodePage: Encodable {
        let id: Int
        let label: String
        let title: String
        let state: String
        let window: String
        let videoURL: String
        let unitID: Int
        let unitName: String
        let members: Int
        let participants: Int
        let rate: String
        let children: [ChildRow]
        let hasChildren: Bool
        let trend: [TrendPoint]
        let trendLine: String
        let hasTrend: Bool
        let isBranch: Bool
        let missing: [MemberRow]
        let hasMissing: Bool
        let pagination: Pagination
    }

    @Sendable func episode(req: Request) async throws -> Response {
        let episode = try await StudyEpisodes.find(try req.id(), on: req.db)
        let unit = try await req.chosenUnit()
        let scope = req.scope

        // The season so far, for the trend.
        let season = try await StudyEpisode.query(on: req.db).filter(\.$season == episode.season)
            .filter(\.$opensAt <= req.now).sort(\.$number).all()
        let figures = try await StudyQueries.participation(units: [unit.id!], episodes: season.map { $0.id! } + [episode.id!],
                                                           scope: scope, on: req.db)[unit.id!] ?? [:]
        let own = figures[episode.id!] ?? Participation(participants: 0, members: 0)
        let width = 560, height = 160
        let step = season.count > 1 ? width / (season.count - 1) : 0
        let trend = season.enumerated().map { index, item in
            let rate = figures[item.id!] ?? Participation(participants: 0, members: 0)
            return TrendPoint(x: 30 + index * step, y: 10 + height - rate.perMille * height / 1000,
                              label: "第\(item.number)期", rate: rate.text)
        }
        let children = try await StudyQueries.rankedChildren(of: unit, episode: episode.id!, scope: scope, on: req.db)

        var missing: [MemberRow] = []
        var pagination = Pagination(page: 1, pageSize: 50, total: 0)
        if unit.type.isBranch {
            let query = try await StudyQueries.notYetTakenPart(in: unit, episode: episode.id!, scope: scope, on: req.db)
            pagination = Pagination(page: Pagination.requestedPage(req), pageSize: 50, total: try await query.count(),
                                    keep: ["unit": String(unit.id!)])
            missing = try await query.sort(\.$name).sort(\.$id).range(pagination.offset..<pagination.offset + pagination.pageSize).all()
                .map { MemberRow(name: $0.name, memberNumber: $0.memberNumber, phone: $0.phone.map(PhoneMask.mask) ?? "") }
        }
        return try await req.page("study/episode", title: "青年大学习", EpisodePage(
            id: episode.id!, label: episode.label, title: episode.title, state: episode.window(at: req.now).label,
            window: "\(ChinaTime.dateTimeString(episode.opensAt)) 至 \(ChinaTime.dateTimeString(episode.closesAt))",
            videoURL: episode.videoURL, unitID: unit.id!, unitName: unit.name, members: own.members,
            participants: own.participants, rate: own.text,
            children: children.map { child in
                ChildRow(id: child.unit.id!, rank: child.rank, name: child.unit.name, members: child.participation.members,
                         participants: child.participation.participants, rate: child.participation.text,
                         barWidth: child.participation.perMille / 5)
            },
            hasChildren: !children.isEmpty, trend: trend, trendLine: trend.map { "\($0.x),\($0.y)" }.joined(separator: " "),
            hasTrend: trend.count > 1, isBranch: unit.type.isBranch, missing: missing, hasMissing: !missing.isEmpty,
            pagination: pagination))
    }

    // MARK: Import

    struct ImportLine: Encodable {
        let line: Int
        let memberNumber: String
        let episode: String
        let outcome: String
        let taken: Bool
    }

    struct ImportPage: Encodable {
        let form: FormState
        let headers: String
        let hasReport: Bool
        let recorded: Int
        let alreadyDone: Int
        let refused: Int
        let lines: [ImportLine]
        let shownLines: Int
    }

    @Sendable func importForm(req: Request) async throws -> Response {
        try await req.page("study/import", title: "导入学习记录", ImportPage(
            form: FormState(), headers: CompletionBatch.headers.joined(separator: ","), hasReport: false,
            recorded: 0, alreadyDone: 0, refused: 0, lines: [], shownLines: 0))
    }

    @Sendable func importFile(req: Request) async throws -> Response {
        let (_, files) = try req.formWithFiles()
        func refuse(_ message: String) async throws -> Response {
            try await req.page("study/import", title: "导入学习记录", ImportPage(
                form: FormState(errors: ["file": message]), headers: CompletionBatch.headers.joined(separator: ","),
                hasReport: false, recorded: 0, alreadyDone: 0, refused: 0, lines: [], shownLines: 0), status: .unprocessableEntity)
        }
        guard let file = files["file"], file.data.readableBytes > 0 else { return try await refuse("请选择要导入的 CSV 或 JSON 文件") }
        let items: [CompletionBatch.Item]
        switch CompletionBatch.parse(Data(file.data.readableBytesView)) {
        case .success(let parsed): items = parsed
        case .failure(let problem): return try await refuse(problem.message)
        }
        guard !items.isEmpty else { return try await refuse("文件里没有记录") }
        let change = req.changeContext
        let report = try await req.application.writer.write(req.db) { try await StudyImport.run(items, change, on: $0) }
        // Refused lines first: they are the ones to act on.
        let lines = report.lines.sorted { ($0.outcome == .recorded || $0.outcome == .alreadyDone ? 1 : 0, $0.line)
            < ($1.outcome == .recorded || $1.outcome == .alreadyDone ? 1 : 0, $1.line) }
        let shown = lines.prefix(1000).map {
            ImportLine(line: $0.line, memberNumber: $0.memberNumber, episode: $0.episode, outcome: $0.outcome.label,
                       taken: $0.outcome == .recorded)
        }
        return try await req.page("study/import", title: "导入学习记录", ImportPage(
            form: FormState(), headers: CompletionBatch.headers.joined(separator: ","), hasReport: true,
            recorded: report.recorded, alreadyDone: report.alreadyDone, refused: report.refused, lines: Array(shown),
            shownLines: shown.count))
    }
}
