import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Importing members from a CSV file: every row is checked first, the report names each bad row
/// with its line and reasons, and then the good rows go in together, or nothing does.
enum MemberImport {
    static let maximumRows = 200_000
    static let requiredFields = ["name", "residentID", "ethnicity", "education", "occupation", "joinedOn", "memberNumber"]

    struct Branch: Sendable {
        let id: Int
        let path: TreePath
        let type: OrganizationType
    }

    struct GoodRow: Sendable {
        let line: Int
        let draft: MemberDraft
        let branch: Branch
    }

    struct RowProblem: Encodable, Sendable {
        let line: Int
        let reasons: String
    }

    struct Report: Sendable {
        /// A problem with the whole file (encoding, header, size): nothing can be imported.
        var fileProblem: String?
        var good: [GoodRow] = []
        var problems: [RowProblem] = []
        var ignoredColumns: [String] = []
        /// Lines whose person or member number is on record beyond the checker's reach: told
        /// one by one only within the day's allowance (`tell(allowance:)`).
        var elsewhere: [Int] = []
        /// Of those, how many were not told line by line.
        var unlistedElsewhere = 0

        var rowCount: Int { good.count + problems.count + elsewhere.count }

        /// Moves the lines registered elsewhere to the problems, at most `allowance` of them by
        /// line; the rest are only counted. Returns how many were told by line.
        mutating func tell(allowance: Int) -> Int {
            let told = elsewhere.prefix(max(0, allowance))
            problems += told.map { RowProblem(line: $0, reasons: DuplicateChecks.elsewhereMessage) }
            problems.sort { $0.line < $1.line }
            unlistedElsewhere = elsewhere.count - told.count
            elsewhere = []
            return told.count
        }
    }

    /// Checks a file. Rows without a 所在团支部 go to `defaultBranch`; every branch must lie in `scope`.
    static func check(_ data: Data, defaultBranch: String?, scope: Scope, vault: PersonalDataVault, today: CalendarDate,
                      on db: any Database) async throws -> Report {
        var report = Report()
        let records: [CSV.Record]
        do {
            records = try CSV.records(try CSV.decode(data), maximumField: 1000, maximumRows: maximumRows + 1)
        } catch {
            report.fileProblem = error.message
            return report
        }
        guard let header = records.first else {
            report.fileProblem = CSV.Problem.empty.message
            return report
        }
        let fields = header.cells.map { MemberFields.field(forHeader: $0) }
        report.ignoredColumns = zip(header.cells, fields).filter { $0.1 == nil && !$0.0.isEmpty }.map(\.0)
        let missing = requiredFields.filter { !fields.contains($0) }
            + (defaultBranch == nil && !fields.contains("branch") ? ["branch"] : [])
        guard missing.isEmpty else {
            let headers = missing.compactMap { field in MemberFields.columns.first { $0.field == field }?.header }
            report.fileProblem = "缺少必填的列：" + headers.joined(separator: "、") + "（请使用导入模板）"
            return report
        }
        guard records.count > 1 else {
            report.fileProblem = "文件只有表头，没有数据行"
            return report
        }
        var branches: [String: Result<Branch, Refusal>] = [:]
        var seenIDs: [String: Int] = [:], seenNumbers: [String: Int] = [:]
        for record in records.dropFirst() {
            var reasons: [String] = []
            if record.cells.count != header.cells.count {
                report.problems.append(RowProblem(line: record.line, reasons: "本行有 \(record.cells.count) 列，表头有 \(header.cells.count) 列"))
                continue
            }
            var values: [String: String] = [:]
            for (field, cell) in zip(fields, record.cells) { if let field { values[field] = cell } }
            let typed = values["branch"] ?? ""
            let key = typed.trimmingCharacters(in: .whitespaces).isEmpty ? (defaultBranch ?? "") : typed
            let resolved: Result<Branch, Refusal>
            if let known = branches[key] {
                resolved = known
            } else {
                resolved = try await resolve(key, scope: scope, on: db)
                branches[key] = resolved
            }
            var branch: Branch?
            switch resolved {
            case .success(let found): branch = found
            case .failure(let refusal): reasons.append(refusal.message)
            }
            var draft: MemberDraft?
            switch MemberFields.parse(values, today: today) {
            case .success(let parsed): draft = parsed
            case .failure(let problems):
                reasons += MemberFields.columns.compactMap { problems.messages[$0.field] }
            }
            if let draft {
                if let earlier = seenIDs[draft.residentID.value] {
                    reasons.append("身份证号与第 \(earlier) 行重复")
                } else {
                    seenIDs[draft.residentID.value] = record.line
                }
                if let earlier = seenNumbers[draft.memberNumber] {
                    reasons.append("团员编号与第 \(earlier) 行重复")
                } else {
                    seenNumbers[draft.memberNumber] = record.line
                }
            }
            if reasons.isEmpty, let draft, let branch {
                report.good.append(GoodRow(line: record.line, draft: draft, branch: branch))
            } else {
                report.problems.append(RowProblem(line: record.line, reasons: reasons.joined(separator: "；")))
            }
        }
        try await refuseRegistered(&report, scope: scope, vault: vault, on: db)
        return report
    }

    private static func resolve(_ key: String, scope: Scope, on db: any Database) async throws -> Result<Branch, Refusal> {
        guard !key.isEmpty else { return .failure(Refusal("缺少所在团支部")) }
        guard let unit = try await scope.activeOrganization(codeOrName: key, on: db) else {
            return .failure(Refusal("找不到团支部「\(key)」，或它不在您的管理范围内"))
        }
        guard unit.type.isBranch else { return .failure(Refusal("「\(unit.name)」是\(unit.type.label)，团员只能在团支部")) }
        return .success(Branch(id: unit.id!, path: unit.path, type: unit.type))
    }

    /// Moves rows whose person or member number is registered already to the problems (in the
    /// checker's reach, with whose it is) or to `elsewhere` (beyond it).
    private static func refuseRegistered(_ report: inout Report, scope: Scope, vault: PersonalDataVault, on db: any Database) async throws {
        var hashes: [String: String] = [:], numbers: [String: String] = [:]
        for chunk in stride(from: 0, to: report.good.count, by: 500).map({ report.good[$0..<min($0 + 500, report.good.count)] }) {
            for row in try await MemberQueries.registered(idHashes: chunk.map { vault.hash($0.draft.residentID.value) }, on: db) {
                hashes[row.key] = TreePath(row.branch_path).map(scope.contains) == true ? row.name : ""
            }
            for row in try await MemberQueries.registered(memberNumbers: chunk.map(\.draft.memberNumber), on: db) {
                numbers[row.key] = TreePath(row.branch_path).map(scope.contains) == true ? row.name : ""
            }
        }
        guard !hashes.isEmpty || !numbers.isEmpty else { return }
        var good: [GoodRow] = []
        for row in report.good {
            let byID = hashes[vault.hash(row.draft.residentID.value)], byNumber = numbers[row.draft.memberNumber]
            // An empty name: on record beyond the checker's reach.
            if byID == "" || byNumber == "" {
                report.elsewhere.append(row.line)
                continue
            }
            var reasons: [String] = []
            if let name = byID { reasons.append("该身份证号码已登记为团员：\(name)") }
            if let name = byNumber { reasons.append("团员编号「\(row.draft.memberNumber)」已被 \(name) 使用") }
            if reasons.isEmpty { good.append(row) } else { report.problems.append(RowProblem(line: row.line, reasons: reasons.joined(separator: "；"))) }
        }
        report.good = good
        report.problems.sort { $0.line < $1.line }
    }

    /// Inserts the good rows, their statistics and one audit entry each, in the caller's transaction.
    static func commit(_ rows: [GoodRow], vault: PersonalDataVault, _ change: ChangeContext, on db: any Database,
                       progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Int {
        var delta = MemberStats.Delta()
        for start in stride(from: 0, to: rows.count, by: 500) {
            let chunk = rows[start..<min(start + 500, rows.count)]
            let ids = try await insert(chunk, vault: vault, now: change.now, delta: &delta, on: db)
            try await Audit.recordMany(on: db, actor: change.actor, at: change.now, zip(ids, chunk).map { id, row in
                Audit.Item(unit: AuditUnit(id: row.branch.id, path: row.branch.path), action: "member.import",
                           entityType: "member", entityID: String(id),
                           summary: "批量导入团员 \(row.draft.name)（\(row.draft.memberNumber)）",
                           changes: [FieldChange(field: "姓名", old: "", new: row.draft.name),
                                     FieldChange(field: "身份证号", old: "", new: row.draft.residentID.masked),
                                     FieldChange(field: "团员编号", old: "", new: row.draft.memberNumber),
                                     FieldChange(field: "所在团支部ID", old: "", new: String(row.branch.id))])
            })
            progress(start + chunk.count, rows.count)
        }
        try await delta.apply(on: db)
        return rows.count
    }

    static let insertColumns = ["name", "gender", "ethnicity", "id_sealed", "id_hash", "id_masked", "birth_date", "phone",
                                "education", "occupation", "party_status", "joined_on", "member_number", "development_number",
                                "branch_id", "branch_path", "holds_league_post", "created_at", "updated_at"]

    /// One multi-row INSERT (at most 500 rows); returns the new ids in the rows' order and adds
    /// the rows to the statistics delta.
    static func insert(_ rows: ArraySlice<GoodRow>, vault: PersonalDataVault, now: Date, delta: inout MemberStats.Delta,
                       on db: any Database) async throws -> [Int] {
        struct Inserted: Decodable { let id: Int; let member_number: String }
        let inserted = try await statement(rows, vault: vault, now: now, delta: &delta).insert(on: db)
            .returning("id", "member_number").all(decoding: Inserted.self)
        let ids = Dictionary(inserted.map { ($0.member_number, $0.id) }, uniquingKeysWith: { first, _ in first })
        return try rows.map { row in
            guard let id = ids[row.draft.memberNumber] else { throw Refusal("团员「\(row.draft.memberNumber)」未能写入") }
            return id
        }
    }

    /// The rows as INSERTs of 500, with the statistics they add: built apart from the write that
    /// runs them (`Database.runOverlapping`), so that the demo builds the next transaction's
    /// statements while one is written.
    static func bulkRows(_ rows: [GoodRow], vault: PersonalDataVault, now: Date) throws -> (statements: [BulkRows], delta: MemberStats.Delta) {
        var delta = MemberStats.Delta()
        let statements = try stride(from: 0, to: rows.count, by: 500).map { start in
            try statement(rows[start..<min(start + 500, rows.count)], vault: vault, now: now, delta: &delta)
        }
        return (statements, delta)
    }

    /// The rows of an INSERT (at most 500: 19 values a row), their statistics added to the delta.
    private static func statement(_ rows: ArraySlice<GoodRow>, vault: PersonalDataVault, now: Date,
                                  delta: inout MemberStats.Delta) throws -> BulkRows {
        var insert = BulkRows(into: Member.schema, columns: insertColumns, rows: rows.count)
        for row in rows {
            let d = row.draft
            let id = d.residentID
            insert.append(.init(d.name), .init(d.gender.rawValue), .init(d.ethnicity), .init(try vault.seal(id.value)),
                          .init(vault.hash(id.value)), .init(id.masked), .init(id.birthDate.description), .init(d.phone),
                          .init(d.education.rawValue), .init(d.occupation.rawValue), .init(d.partyStatus.rawValue),
                          .init(d.joinedOn.description), .init(d.memberNumber), .init(d.developmentNumber),
                          .init(row.branch.id), .init(row.branch.path.value), .init(d.holdsLeaguePost),
                          .init(now), .init(now))
            delta.add(MemberStats.facts(of: d, branchType: row.branch.type), at: row.branch.path, 1)
        }
        return insert
    }

    /// The template to fill in: the headers and one example row.
    static var template: String {
        CSV.byteOrderMark + CSV.line(MemberFields.columns.map(\.header))
            + CSV.line(["王小明", "男", "汉族", "330203200001011231", "2000-01-01", "13805741234", "本科", "在职", "团员",
                        "2014-05-04", "NB2014001", "", "330203"])
    }
}
