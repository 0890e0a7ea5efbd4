import Fluent
import LeagueCore
import Vapor

/// A file waiting between its check and the administrator's choice (import the good rows, or nothing).
final class MemberImportUpload: Model, @unchecked Sendable {
    static let schema = "member_import_uploads"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "account_id") var accountID: Int
    @Field(key: "file_name") var fileName: String
    @OptionalField(key: "default_branch") var defaultBranch: String?
    @Field(key: "content") var content: Data
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

struct CreateMemberImportUploads: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MemberImportUpload.schema)
            .field("id", .int, .identifier(auto: true))
            .field("account_id", .int, .required, .references(Account.schema, "id", onDelete: .cascade))
            .field("file_name", .string, .required)
            .field("default_branch", .string)
            .field("content", .data, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MemberImportUpload.schema).delete()
    }
}

/// The import pages: upload, the report, and the choice.
struct MemberImportController: RouteCollection {
    static let maximumUpload: ByteCount = "30mb"
    static let listedProblems = 500

    func boot(routes: any RoutesBuilder) throws {
        let imports = routes.grouped("members", "import")
        imports.get(use: form)
        imports.get("template", use: template)
        imports.upload(maxSize: Self.maximumUpload, use: upload)
        imports.post(":id", use: decide)
    }

    struct FormPage: Encodable {
        let form: FormState
        let headers: [String]
    }

    @Sendable func form(req: Request) async throws -> Response {
        try await req.page("members/import", title: "批量导入团员",
                           FormPage(form: FormState(), headers: MemberFields.columns.map(\.header)))
    }

    @Sendable func template(req: Request) async throws -> Response {
        .csv(MemberImport.template, fileName: "member-import-template.csv")
    }

    struct ReportPage: Encodable {
        let uploadID: Int?
        let fileName: String
        let fileProblem: String?
        let rowCount: Int
        let goodCount: Int
        let problemCount: Int
        let problems: [MemberImport.RowProblem]
        let moreProblems: Int
        /// Rows registered beyond the checker's reach that the day's allowance did not list.
        let unlistedElsewhere: Int
        let ignoredColumns: String
    }

    static func reportPage(_ report: MemberImport.Report, uploadID: Int?, fileName: String) -> ReportPage {
        ReportPage(uploadID: report.good.isEmpty ? nil : uploadID, fileName: fileName, fileProblem: report.fileProblem,
                   rowCount: report.rowCount, goodCount: report.good.count, problemCount: report.problems.count + report.unlistedElsewhere,
                   problems: Array(report.problems.prefix(listedProblems)),
                   moreProblems: max(0, report.problems.count - listedProblems), unlistedElsewhere: report.unlistedElsewhere,
                   ignoredColumns: report.ignoredColumns.joined(separator: "、"))
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let (fields, files) = try req.formWithFiles()
        guard let file = files["file"], file.data.readableBytes > 0 else {
            return try await req.page("members/import", title: "批量导入团员", FormPage(
                form: FormState(values: ["branch": fields["branch"] ?? ""], errors: ["file": "请选择要上传的 CSV 文件（不能是空文件）"]),
                headers: MemberFields.columns.map(\.header)), status: .unprocessableEntity)
        }
        let data = Data(buffer: file.data)
        let typedBranch = (fields["branch"] ?? "").trimmingCharacters(in: .whitespaces)
        let branch = typedBranch.isEmpty ? nil : String(typedBranch.prefix(60))
        let change = req.changeContext
        let unit = AuditUnit(id: actor.unitID, path: actor.unitPath)
        let allowance = try await DuplicateTelling.allowance(change, on: req.db)
        guard allowance > 0 else {
            try await DuplicateTelling.recordExhausted(change, unit: unit, writer: req.application.writer, on: req.db)
            return try await req.page("members/import", title: "批量导入团员", FormPage(
                form: FormState(values: ["branch": typedBranch], errors: ["file": DuplicateChecks.exhaustedMessage]),
                headers: MemberFields.columns.map(\.header)), status: .unprocessableEntity)
        }
        var report = try await MemberImport.check(data, defaultBranch: branch, scope: req.scope, vault: req.application.vault,
                                                  today: req.today, on: req.db)
        let told = report.tell(allowance: allowance)
        try await DuplicateTelling.recordTold(rows: told, change, unit: unit, writer: req.application.writer, on: req.db)
        var uploadID: Int?
        let fileName = AttachmentKind.cleanName(file.filename)
        if !report.good.isEmpty {
            let now = req.now
            uploadID = try await req.application.writer.write(req.db) { db in
                try await MemberImportUpload.query(on: db).filter(\.$createdAt < now.addingTimeInterval(-86_400)).delete()
                let stored = MemberImportUpload()
                stored.accountID = actor.accountID
                stored.fileName = fileName
                stored.defaultBranch = branch
                stored.content = data
                stored.createdAt = now
                try await stored.create(on: db)
                return stored.id!
            }
        }
        return try await req.page("members/import_report", title: "导入检查结果",
                                  Self.reportPage(report, uploadID: uploadID, fileName: fileName),
                                  status: report.fileProblem == nil ? .ok : .unprocessableEntity)
    }

    /// "Import the good rows" checks the stored file again (the registry may have changed) and
    /// imports what is still good; "import nothing" forgets the file.
    @Sendable func decide(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.id()
        guard let stored = try await MemberImportUpload.query(on: req.db).filter(\.$id == id)
            .filter(\.$accountID == actor.accountID).first() else { throw Abort(.notFound) }
        let form = try req.form()
        guard form["mode"] == "good" || form["mode"] == "none" else {
            throw Abort(.badRequest, reason: "请选择“只导入正确的行”或“全部不导入”")
        }
        guard form["mode"] == "good" else {
            try await req.application.writer.write(req.db) { db in try await MemberImportUpload.query(on: db).filter(\.$id == id).delete() }
            return try await req.redirect(to: "/members", flash: "已放弃导入，没有写入任何数据。")
        }
        var report = try await MemberImport.check(stored.content, defaultBranch: stored.defaultBranch, scope: req.scope,
                                                  vault: req.application.vault, today: req.today, on: req.db)
        // Rows registered elsewhere are skipped here without being told again.
        _ = report.tell(allowance: 0)
        let vault = req.application.vault
        let change = req.changeContext
        let good = report.good
        let imported = try await req.application.writer.write(req.db) { db in
            let count = try await MemberImport.commit(good, vault: vault, change, on: db)
            try await MemberImportUpload.query(on: db).filter(\.$id == id).delete()
            return count
        }
        let skipped = report.problems.count + report.unlistedElsewhere
        return try await req.redirect(to: "/members", flash: "已导入 \(imported) 名团员" + (skipped > 0 ? "，跳过 \(skipped) 行有误的数据。" : "。"))
    }
}
