import Fluent
import LeagueCore
import Vapor

/// A file waiting between its check and the administrator's choice (import the good rows, or nothing).
final class MemberImportUpload: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "member_import_uploads"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "account_id") var accountID: Int
    @Field(key: "file_name") var fileName: String
    @OptionalField(key: "default_branch") var defaultBranch: String?
    @Field(key: "content") var content: Data
    @Field(key: "created_at") var createdAt: Date
    var declaredProperties: [any AnyProperty] { [$id, $accountID, $fileName, $defaultBranch, $content, $createdAt] }

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

/// The two steps of the import pages. Neither is one transaction: a file of many thousand rows
/// is checked outside any, and what is kept of it is written in short ones.
extension MemberImport {
    /// What checking an upload came to.
    enum Upload: Sendable {
        /// The day's allowance of telling rows registered elsewhere is spent: nothing was checked.
        case exhausted
        /// The report, and the kept file when it has rows to import.
        case checked(Report, uploadID: Int?)
    }

    /// Checks an uploaded file, telling rows registered elsewhere within the day's allowance, and
    /// keeps the file for a day when it has good rows (older files go).
    static func checkUpload(_ data: Data, fileName: String, _ input: MemberImportForm.Valid, accountID: Int, unit: AuditUnit,
                            vault: PersonalDataVault, today: CalendarDate, _ change: ChangeContext, writer: Writer,
                            on db: any Database) async throws -> Upload {
        let allowance = try await DuplicateTelling.allowance(change, on: db)
        guard allowance > 0 else {
            try await DuplicateTelling.recordExhausted(change, unit: unit, writer: writer, on: db)
            return .exhausted
        }
        var report = try await check(data, defaultBranch: input.defaultBranch, scope: change.scope, vault: vault, today: today, on: db)
        let told = report.tell(allowance: allowance)
        try await DuplicateTelling.recordTold(rows: told, change, unit: unit, writer: writer, on: db)
        guard !report.good.isEmpty else { return .checked(report, uploadID: nil) }
        let now = change.now
        let uploadID = try await writer.write(db) { db in
            try await MemberImportUpload.query(on: db).filter(\.$createdAt < now.addingTimeInterval(-86_400)).delete()
            let stored = MemberImportUpload()
            stored.accountID = accountID
            stored.fileName = fileName
            stored.defaultBranch = input.defaultBranch
            stored.content = data
            stored.createdAt = now
            try await stored.create(on: db)
            return stored.id
        }
        return .checked(report, uploadID: uploadID)
    }

    /// What the choice on a kept file came to.
    enum Decision: Sendable {
        case discarded
        case imported(count: Int, skipped: Int)
    }

    /// "Import the good rows" checks the kept file again (the registry may have changed) and
    /// imports what is still good; "import nothing" forgets the file.
    static func decide(_ stored: MemberImportUpload, _ mode: MemberImportDecisionForm.Mode, vault: PersonalDataVault,
                       today: CalendarDate, _ change: ChangeContext, writer: Writer, on db: any Database) async throws -> Decision {
        let id = stored.id ?? 0
        guard mode == .good else {
            try await writer.write(db) { db in try await MemberImportUpload.query(on: db).filter(\.$id == id).delete() }
            return .discarded
        }
        var report = try await check(stored.content, defaultBranch: stored.defaultBranch, scope: change.scope, vault: vault, today: today,
                                     on: db)
        // Rows registered elsewhere are skipped here without being told again.
        _ = report.tell(allowance: 0)
        let good = report.good
        let imported = try await writer.write(db) { db in
            let count = try await commit(good, vault: vault, change, on: db)
            try await MemberImportUpload.query(on: db).filter(\.$id == id).delete()
            return count
        }
        return .imported(count: imported, skipped: report.problems.count + report.unlistedElsewhere)
    }
}
