import Fluent
import LeagueCore
import Vapor

/// 青年大学习 for administrators: episodes, participation of a unit with its children ranked and
/// the season's trend, the members of a branch still to take part, and imports.
struct StudyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(StudyRoute.index, use: index)
        routes.post(StudyRoute.publish, use: publish)
        routes.get(StudyRoute.episode(.key), use: episode)
        routes.get(StudyRoute.importForm, use: importForm)
        routes.upload(StudyRoute.importFile, maxSize: "30mb", use: importFile)
    }

    private func indexPage(_ req: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let actor = try req.requireActor()
        let list = try await StudyQueries.episodes(unitID: actor.unitID, scope: req.scope, on: req.db)
        return try await req.page("study/index", title: "青年大学习", StudyListPage(
            list, unitName: actor.unitName, canPublish: req.scope.isCityWide, now: req.now, form: form), status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await indexPage(req, form: FormState(), status: .ok)
    }

    @Sendable func publish(req: Request) async throws -> Response {
        let (draft, state) = try req.validated(EpisodeForm.self)
        return try await req.submit(state, back: { (episode: StudyEpisode) in StudyRoute.episode(.value(episode.id ?? 0)).url },
                                    flash: { episode in "已发布\(episode.label)。" },
                                    page: { state in try await indexPage(req, form: state, status: .unprocessableEntity) }) { db, change in
            guard let draft else { throw Refusal("请检查填写的内容") }
            return try await StudyEpisodes.publish(draft, change, on: db)
        }
    }

    @Sendable func episode(req: Request) async throws -> Response {
        let id = try req.id()
        let unit = try await req.chosenUnit()
        let detail = try await StudyQueries.episode(id, unit: unit, scope: req.scope, now: req.now, page: Pagination.requestedPage(req), on: req.db)
        return try await req.page("study/episode", title: "青年大学习", StudyEpisodePage(detail, now: req.now))
    }

    // MARK: Import

    @Sendable func importForm(req: Request) async throws -> Response {
        try await req.page("study/import", title: "导入学习记录", StudyImportPage(nil, form: FormState()))
    }

    @Sendable func importFile(req: Request) async throws -> Response {
        let (fields, files) = try req.formWithFiles()
        var state = FormState()
        let items = try FormFields.decode(StudyImportForm.self, from: fields).validate(file: files["file"], &state)
        let change = req.changeContext
        return try await req.submit(state, write: { db in
            guard let items else { throw Refusal("请检查填写的内容") }
            return try await StudyImport.run(items, change, on: db)
        }, then: { report in
            try await req.page("study/import", title: "导入学习记录", StudyImportPage(report, form: FormState()))
        }, otherwise: { state in
            try await req.page("study/import", title: "导入学习记录", StudyImportPage(nil, form: state), status: .unprocessableEntity)
        })
    }
}
