import Fluent
import LeagueCore
import Vapor

/// Setting up a year's evaluation, the units' self-reports and the city's review; each write is
/// audited in the unit it concerns.
enum EvaluationWrites {
    static func scheme(_ id: Int, on db: any Database) async throws -> EvaluationScheme {
        guard let scheme = try await EvaluationScheme.find(id, on: db) else { throw Abort(.notFound) }
        return scheme
    }

    static func indicators(of schemeID: Int, on db: any Database) async throws -> [EvaluationIndicator] {
        try await EvaluationIndicator.query(on: db).filter(\.$schemeID == schemeID).sort(\.$position).all()
    }

    private static func cityRoot(_ change: ChangeContext, on db: any Database) async throws -> Organization {
        guard change.scope.isCityWide else { throw Refusal("只有团市委可以设置和审核考核") }
        return try await Scope.unrestricted.organizations(on: db).filter(\.$parentID == nil).first()!
    }

    private static func draft(_ id: Int, _ change: ChangeContext, on db: any Database) async throws -> (EvaluationScheme, Organization) {
        let root = try await cityRoot(change, on: db)
        let scheme = try await scheme(id, on: db)
        guard scheme.status == .draft else { throw Refusal("考核已发布，指标不能再修改") }
        return (scheme, root)
    }

    /// A new year's scheme, starting from the default indicators.
    static func createScheme(_ input: SchemeForm.Valid, _ change: ChangeContext, on db: any Database) async throws -> EvaluationScheme {
        let (year, title) = (input.year, input.title)
        let root = try await cityRoot(change, on: db)
        guard try await EvaluationScheme.query(on: db).filter(\.$year == year).count() == 0 else {
            throw Refusal("\(year) 年度的考核已经存在", field: "year")
        }
        let scheme = EvaluationScheme()
        scheme.year = year
        scheme.title = title
        scheme.status = .draft
        scheme.createdAt = change.now
        try await scheme.create(on: db)
        for (index, indicator) in Indicator.defaults.enumerated() {
            try await add(indicator, position: index + 1, to: scheme.id!, on: db)
        }
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(root),
                               action: "evaluation.create", entityType: "evaluation_scheme", entityID: String(scheme.id!),
                               summary: "新建 \(year) 年度考核「\(title)」",
                               changes: Indicator.defaults.map { FieldChange(field: $0.name, old: "", new: "权重 \($0.weight)") })
        return scheme
    }

    private static func add(_ indicator: Indicator, position: Int, to schemeID: Int, on db: any Database) async throws {
        let row = EvaluationIndicator()
        row.schemeID = schemeID
        row.position = position
        row.name = indicator.name
        row.weight = indicator.weight
        row.source = indicator.source
        try await row.create(on: db)
    }

    static func addIndicator(_ schemeID: Int, _ indicator: Indicator, _ change: ChangeContext, on db: any Database) async throws {
        let (scheme, root) = try await draft(schemeID, change, on: db)
        let existing = try await indicators(of: schemeID, on: db)
        guard !existing.contains(where: { $0.name == indicator.name }) else { throw Refusal("已有同名指标「\(indicator.name)」", field: "name") }
        guard existing.count < 30 else { throw Refusal("一个考核最多 30 项指标") }
        try await add(indicator, position: (existing.map(\.position).max() ?? 0) + 1, to: schemeID, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(root),
                               action: "evaluation.indicator", entityType: "evaluation_scheme", entityID: String(scheme.id!),
                               summary: "增加考核指标「\(indicator.name)」",
                               changes: [FieldChange(field: indicator.name, old: "", new: "权重 \(indicator.weight)，\(EvaluationSources.label(indicator.source))")])
    }

    static func removeIndicator(_ schemeID: Int, indicatorID: Int, _ change: ChangeContext, on db: any Database) async throws {
        let (scheme, root) = try await draft(schemeID, change, on: db)
        guard let indicator = try await EvaluationIndicator.query(on: db).filter(\.$id == indicatorID)
            .filter(\.$schemeID == schemeID).first() else { throw Abort(.notFound) }
        try await indicator.delete(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(root),
                               action: "evaluation.indicator", entityType: "evaluation_scheme", entityID: String(scheme.id!),
                               summary: "删除考核指标「\(indicator.name)」",
                               changes: [FieldChange(field: indicator.name, old: "权重 \(indicator.weight)", new: "")])
    }

    /// Publishes the scheme: every active unit directly below the city gets its sheet.
    static func open(_ schemeID: Int, _ change: ChangeContext, on db: any Database) async throws -> Int {
        let (scheme, root) = try await draft(schemeID, change, on: db)
        let indicators = try await indicators(of: schemeID, on: db)
        if let problem = EvaluationRules.weightProblem(indicators.map(\.weight)) { throw Refusal(problem) }
        let units = try await Scope.unrestricted.organizations(on: db).filter(\.$parentID == root.id!).filter(\.$status == .active)
            .sort(\.$code).all()
        guard !units.isEmpty else { throw Refusal("团市委下还没有下级单位，无法发布考核") }
        for unit in units {
            let sheet = EvaluationSheet()
            sheet.schemeID = schemeID
            sheet.unitID = unit.id!
            sheet.unitPath = unit.path
            sheet.status = .draft
            sheet.summary = ""
            try await sheet.create(on: db)
            for indicator in indicators {
                let score = EvaluationScore()
                score.sheetID = sheet.id!
                score.indicatorID = indicator.id!
                try await score.create(on: db)
            }
        }
        scheme.status = .open
        try await scheme.save(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(root),
                               action: "evaluation.open", entityType: "evaluation_scheme", entityID: String(scheme.id!),
                               summary: "发布 \(scheme.year) 年度考核，\(units.count) 个单位参加",
                               changes: [FieldChange(field: "状态", old: SchemeStatus.draft.label, new: SchemeStatus.open.label)])
        return units.count
    }

    /// Ends the year's evaluation once every sheet is reviewed; the ranking is then final.
    static func close(_ schemeID: Int, _ change: ChangeContext, on db: any Database) async throws {
        let root = try await cityRoot(change, on: db)
        let scheme = try await scheme(schemeID, on: db)
        guard scheme.status == .open else { throw Refusal("只有考核中的年度可以结束") }
        let waiting = try await Scope.unrestricted.query(EvaluationSheet.self, on: db).filter(\.$schemeID == schemeID)
            .filter(\.$status != .reviewed).count()
        guard waiting == 0 else { throw Refusal("还有 \(waiting) 个单位未审核，不能结束考核") }
        scheme.status = .closed
        try await scheme.save(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(root),
                               action: "evaluation.close", entityType: "evaluation_scheme", entityID: String(scheme.id!),
                               summary: "结束 \(scheme.year) 年度考核",
                               changes: [FieldChange(field: "状态", old: SchemeStatus.open.label, new: SchemeStatus.closed.label)])
    }

    /// What a unit fills in for one rated indicator.
    struct SelfEntry: Sendable {
        let score: Int?
        let note: String?
    }

    /// The unit saves its self-report, and with `submit` hands it to the city. Submitting fixes
    /// the computed figures as they stand that day.
    static func saveSelf(_ sheetID: Int, _ input: SelfReportForm.Valid, _ change: ChangeContext, on db: any Database) async throws {
        let (summary, entries, submit) = (input.summary, input.entries, input.submit)
        let sheet = try await change.scope.find(EvaluationSheet.self, sheetID, on: db)
        guard change.scope.root == sheet.unitPath else { throw Refusal("自评由被考核单位自己填写") }
        let scheme = try await scheme(sheet.schemeID, on: db)
        let before = sheet.status
        sheet.status = try step(before, submit ? .submit : .saveSelf, scheme: scheme)
        let indicators = try await indicators(of: scheme.id!, on: db)
        let scores = try await scores(of: sheetID, on: db)
        var changes: [FieldChange] = []
        if sheet.summary != summary { changes.append(FieldChange(field: "自评报告", old: sheet.summary, new: summary)) }
        sheet.summary = summary
        for indicator in indicators {
            guard let score = scores[indicator.id!] else { continue }
            if indicator.source == .rated {
                let entry = entries[indicator.id!]
                if submit && entry?.score == nil { throw Refusal("请给「\(indicator.name)」打自评分后再提交", field: "score\(indicator.id!)") }
                if score.selfScore != entry?.score {
                    changes.append(FieldChange(field: "\(indicator.name)自评分", old: score.selfScore.map(String.init) ?? "",
                                               new: entry?.score.map(String.init) ?? ""))
                }
                score.selfScore = entry?.score
                score.selfNote = entry?.note
            } else if submit {
                score.computed = try await EvaluationFigures.score(indicator.source, year: scheme.year, unitID: sheet.unitID,
                                                                    today: change.today, on: db)
                changes.append(FieldChange(field: indicator.name, old: "", new: "系统计算 \(score.computed ?? 0)"))
            }
            try await score.save(on: db)
        }
        if submit { sheet.submittedAt = change.now }
        try await sheet.save(on: db)
        if before != sheet.status { changes.append(FieldChange(field: "状态", old: before.label, new: sheet.status.label)) }
        let unit = try await Scope.unrestricted.organization(sheet.unitID, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: submit ? "evaluation.submit" : "evaluation.self", entityType: "evaluation_sheet",
                               entityID: String(sheetID), summary: submit ? "提交 \(scheme.year) 年度考核自评" : "保存考核自评",
                               changes: changes)
    }

    /// The city scores each rated indicator and the total follows; or it sends the sheet back.
    static func review(_ sheetID: Int, _ input: ReviewSheetForm.Valid, _ change: ChangeContext, on db: any Database) async throws {
        let (entered, comment, sendBack) = (input.scores, input.comment, input.sendBack)
        _ = try await cityRoot(change, on: db)
        let sheet = try await change.scope.find(EvaluationSheet.self, sheetID, on: db)
        let scheme = try await scheme(sheet.schemeID, on: db)
        let before = sheet.status
        sheet.status = try step(before, sendBack ? .sendBack : .review, scheme: scheme)
        sheet.reviewComment = comment
        var changes: [FieldChange] = []
        if sendBack {
            guard comment != nil else { throw Refusal("退回时请写明原因", field: "comment") }
            sheet.total = nil
            sheet.reviewedAt = nil
        } else {
            let indicators = try await indicators(of: scheme.id!, on: db)
            let scores = try await scores(of: sheetID, on: db)
            var items: [(weight: Int, score: Int)] = []
            for indicator in indicators {
                guard let score = scores[indicator.id!] else { continue }
                if indicator.source == .rated {
                    guard let value = entered[indicator.id!] else {
                        throw Refusal("请给「\(indicator.name)」打审核分（0–100 的整数）", field: "review\(indicator.id!)")
                    }
                    if score.reviewScore != value {
                        changes.append(FieldChange(field: "\(indicator.name)审核分", old: score.reviewScore.map(String.init) ?? "",
                                                   new: String(value)))
                    }
                    score.reviewScore = value
                    try await score.save(on: db)
                }
                items.append((indicator.weight, (indicator.source == .rated ? score.reviewScore : score.computed) ?? 0))
            }
            let total = EvaluationRules.total(items)
            changes.append(FieldChange(field: "总分", old: sheet.total.map { EvaluationRules.text(hundredths: $0) } ?? "",
                                       new: EvaluationRules.text(hundredths: total)))
            sheet.total = total
            sheet.reviewedAt = change.now
        }
        try await sheet.save(on: db)
        if before != sheet.status { changes.append(FieldChange(field: "状态", old: before.label, new: sheet.status.label)) }
        let unit = try await Scope.unrestricted.organization(sheet.unitID, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: sendBack ? "evaluation.sendBack" : "evaluation.review", entityType: "evaluation_sheet",
                               entityID: String(sheetID), summary: sendBack ? "退回考核自评：\(comment ?? "")" : "审核考核自评",
                               changes: changes)
    }

    static func scores(of sheetID: Int, on db: any Database) async throws -> [Int: EvaluationScore] {
        let rows = try await EvaluationScore.query(on: db).filter(\.$sheetID == sheetID).all()
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.indicatorID, $0) })
    }

    private static func step(_ status: SheetStatus, _ step: SheetStatus.Step, scheme: EvaluationScheme) throws -> SheetStatus {
        do {
            return try status.after(step, schemeOpen: scheme.status == .open)
        } catch {
            throw Refusal(error.message)
        }
    }
}
