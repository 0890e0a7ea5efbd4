import Fluent
import LeagueCore
import Vapor

/// The import pages: upload, the report, and the choice.
struct MemberImportController: RouteCollection {
    static let maximumUpload: ByteCount = "30mb"

    func boot(routes: any RoutesBuilder) throws {
        routes.get(MemberImportRoute.form, use: form)
        routes.get(MemberImportRoute.template, use: template)
        routes.upload(MemberImportRoute.upload, maxSize: Self.maximumUpload, use: upload)
        routes.post(MemberImportRoute.decide(.key), use: decide)
    }

    private func formPage(_ req: Request, _ form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        try await req.page("members/import", title: "批量导入团员", MemberImportPage(form: form), status: status)
    }

    @Sendable func form(req: Request) async throws -> Response {
        try await formPage(req, FormState())
    }

    @Sendable func template(req: Request) async throws -> Response {
        .csv(MemberImport.template, fileName: "member-import-template.csv")
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let (fields, files) = try req.formWithFiles()
        var state = FormState(values: fields.filter { $0.key != "csrf" })
        let input = try FormFields.decode(MemberImportForm.self, from: fields).validate(&state, today: req.today)
        guard let input, let file = files["file"], file.data.readableBytes > 0 else {
            state.errors["file"] = "请选择要上传的 CSV 文件（不能是空文件）"
            return try await formPage(req, state, status: .unprocessableEntity)
        }
        let fileName = AttachmentKind.cleanName(file.filename)
        let checked = try await MemberImport.checkUpload(
            Data(buffer: file.data), fileName: fileName, input, accountID: actor.accountID, unit: AuditUnit(id: actor.unitID, path: actor.unitPath),
            vault: req.application.vault, today: req.today, req.changeContext, writer: req.application.writer, on: req.db)
        switch checked {
        case .exhausted:
            state.errors["file"] = DuplicateChecks.exhaustedMessage
            return try await formPage(req, state, status: .unprocessableEntity)
        case .checked(let report, let uploadID):
            return try await req.page("members/import_report", title: "导入检查结果",
                                      MemberImportReportPage(report, uploadID: uploadID, fileName: fileName),
                                      status: report.fileProblem == nil ? .ok : .unprocessableEntity)
        }
    }

    @Sendable func decide(req: Request) async throws -> Response {
        let stored = try await MemberQueries.upload(try req.id(), of: try req.requireActor().accountID, on: req.db)
        let (mode, state) = try req.validated(MemberImportDecisionForm.self)
        guard let mode else { throw Abort(.badRequest, reason: state.errors["mode"] ?? "") }
        let decision = try await MemberImport.decide(stored, mode, vault: req.application.vault, today: req.today, req.changeContext,
                                                     writer: req.application.writer, on: req.db)
        let flash = switch decision {
        case .discarded: "已放弃导入，没有写入任何数据。"
        case .imported(let count, let skipped): "已导入 \(count) 名团员" + (skipped > 0 ? "，跳过 \(skipped) 行有误的数据。" : "。")
        }
        return try await req.redirect(to: MemberRoute.index.url, flash: flash)
    }
}
