import Fluent
import LeagueCore
import Vapor

/// Opening a round, a branch's signed self-assessment, and the review that sets its star level.
enum GradingWrites {
    static func round(_ id: Int, on db: any Database) async throws -> GradingRound {
        guard let round = try await GradingRound.find(id, on: db) else { throw Abort(.notFound) }
        return round
    }

    /// The city opens the year's round: every active branch at least six months old takes part.
    static func open(_ input: GradingRoundForm.Valid, today: CalendarDate, _ change: ChangeContext,
                     on db: any Database) async throws -> (GradingRound, Int) {
        let year = input.year, fiveStarCap = input.fiveStarCap, fourStarCap = input.fourStarCap
        guard change.scope.isCityWide else { throw Refusal("对标定级由团市委统一部署") }
        guard try await GradingRound.query(on: db).filter(\.$year == year).count() == 0 else {
            throw Refusal("\(year) 年度的对标定级已经开始", field: "year")
        }
        let round = GradingRound()
        round.year = year
        round.opensOn = today.description
        round.fiveStarCap = fiveStarCap
        round.fourStarCap = fourStarCap
        round.createdAt = change.now
        try await round.create(on: db)
        let branches = try await Scope.unrestricted.organizations(on: db).filter(\.$status == .active)
            .filter(\.$type ~~ OrganizationType.allCases.filter(\.isBranch)).all()
            .filter { branch in OrgLifeQueries.start(of: branch).map { GradingRules.takesPart(established: $0, roundOpens: today) } ?? false }
        let sheets = branches.map { branch -> GradingSheet in
            let sheet = GradingSheet()
            sheet.roundID = round.id!
            sheet.branchID = branch.id!
            sheet.branchPath = branch.path
            sheet.status = .draft
            sheet.selfScores = "{}"
            sheet.evidence = "{}"
            sheet.reviewScores = "{}"
            sheet.vetoes = ""
            sheet.facts = ""
            return sheet
        }
        for start in stride(from: 0, to: sheets.count, by: 500) {
            try await Array(sheets[start..<min(start + 500, sheets.count)]).create(on: db)
        }
        let root = try await Scope.unrestricted.organizations(on: db).filter(\.$parentID == nil).first()!
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(root),
                               action: "grading.open", entityType: "grading_round", entityID: String(round.id!),
                               summary: "启动 \(year) 年度团支部对标定级，\(sheets.count) 个团支部参加",
                               changes: FieldChange.created(["五星级上限": fiveStarCap.map { "\($0)%" } ?? "不设",
                                                             "四星级上限": fourStarCap.map { "\($0)%" } ?? "不设"]))
        return (round, sheets.count)
    }

    struct SelfAssessment: Sendable {
        let scores: [GradingItem: Int]
        let evidence: [GradingItem: String]
        let secretary: String?
        let representative: String?
        let submit: Bool
    }

    /// The branch's own admin fills in the five items; submitting needs every item and both signatures.
    static func assess(_ sheetID: Int, _ input: SelfAssessment, _ change: ChangeContext, on db: any Database) async throws {
        let sheet = try await change.scope.find(GradingSheet.self, sheetID, on: db)
        guard change.scope.root == sheet.branchPath else { throw Refusal("自评由团支部自己填写") }
        guard sheet.status == .draft else { throw Refusal("自评已提交，如需修改请上级退回") }
        if input.submit {
            if let missing = GradingItem.allCases.first(where: { input.scores[$0] == nil }) {
                throw Refusal("请填写「\(missing.label)」的自评分后再提交", field: "score-\(missing.rawValue)")
            }
            guard input.secretary != nil else { throw Refusal("提交前须由支部书记签名", field: "secretary") }
            guard input.representative != nil else { throw Refusal("提交前须由团员代表签名", field: "representative") }
        }
        let before = GradingSheet.decode(sheet.selfScores)
        sheet.selfScores = GradingSheet.encode(Dictionary(uniqueKeysWithValues: input.scores.map { ($0.key.rawValue, $0.value) }))
        sheet.evidence = GradingSheet.encode(Dictionary(uniqueKeysWithValues: input.evidence.map { ($0.key.rawValue, $0.value) }))
        sheet.secretarySignature = input.secretary
        sheet.representativeSignature = input.representative
        if input.submit { sheet.status = .submitted }
        try await sheet.save(on: db)
        let branch = try await Scope.unrestricted.organization(sheet.branchID, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(branch),
                               action: input.submit ? "grading.submit" : "grading.self", entityType: "grading_sheet",
                               entityID: String(sheetID), summary: input.submit ? "提交对标定级自评" : "保存对标定级自评",
                               changes: GradingItem.allCases.compactMap { item in
                                   let old = before[item.rawValue].map(String.init) ?? "", new = input.scores[item].map(String.init) ?? ""
                                   return old == new ? nil : FieldChange(field: item.label, old: old, new: new)
                               })
    }

    struct Review: Sendable {
        let scores: [GradingItem: Int]
        let vetoes: [GradingVeto]
        let comment: String?
        let sendBack: Bool
    }

    /// The level above checks the self-assessment against the system's own figures and scores it.
    static func review(_ sheetID: Int, _ input: Review, today: CalendarDate, _ change: ChangeContext, on db: any Database) async throws -> GradingSheet {
        let sheet = try await change.scope.find(GradingSheet.self, sheetID, on: db)
        let branch = try await Scope.unrestricted.organization(sheet.branchID, on: db)
        guard change.scope.isStrictlyAbove(branch) else { throw Refusal("对标定级由上级团组织审核，团支部不能给自己定级") }
        guard sheet.status != .draft else { throw Refusal("该团支部尚未提交自评") }
        let round = try await round(sheet.roundID, on: db)
        if input.sendBack {
            guard input.comment != nil else { throw Refusal("退回时请写明原因", field: "comment") }
            sheet.status = .draft
            sheet.score = nil
            sheet.level = nil
            sheet.reviewComment = input.comment
            try await sheet.save(on: db)
            try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(branch),
                                   action: "grading.sendBack", entityType: "grading_sheet", entityID: String(sheetID),
                                   summary: "退回对标定级自评：\(input.comment ?? "")")
            return sheet
        }
        if let missing = GradingItem.allCases.first(where: { input.scores[$0] == nil }) {
            throw Refusal("请给「\(missing.label)」评分（0–\(GradingItem.points) 分）", field: "review-\(missing.rawValue)")
        }
        let score = input.scores.values.reduce(0, +)
        let level = StarLevel(score: score, vetoed: !input.vetoes.isEmpty)
        try await checkCap(level, round: round, branch: branch, except: sheetID, on: db)
        let facts = try await GradingFacts.of(branch, year: round.year, today: today, on: db)
        let before = sheet.level
        sheet.reviewScores = GradingSheet.encode(Dictionary(uniqueKeysWithValues: input.scores.map { ($0.key.rawValue, $0.value) }))
        sheet.vetoes = input.vetoes.map(\.rawValue).joined(separator: ",")
        sheet.score = score
        sheet.level = level
        sheet.reviewComment = input.comment
        sheet.facts = facts.map { "\($0.label)：\($0.value)" }.joined(separator: "；")
        sheet.status = .reviewed
        try await sheet.save(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(branch),
                               action: "grading.review", entityType: "grading_sheet", entityID: String(sheetID),
                               summary: "对标定级：\(score) 分，\(level.label)",
                               changes: [FieldChange(field: "等级", old: before?.label ?? "", new: level.label)]
                                   + input.vetoes.map { FieldChange(field: "否决项", old: "", new: $0.label) })
        return sheet
    }

    /// Caps apply among the branches of the nearest committee above the branch.
    private static func checkCap(_ level: StarLevel, round: GradingRound, branch: Organization, except sheetID: Int,
                                 on db: any Database) async throws {
        let cap = level == .fiveStar ? round.fiveStarCap : level == .fourStar ? round.fourStarCap : nil
        guard cap != nil else { return }
        let committee = try await grassrootsCommittee(of: branch, on: db)
        let within = Scope(reach: .subtree(committee.path))
        let sheets = within.within(Scope.unrestricted.query(GradingSheet.self, on: db), \GradingSheet.$branchPath).filter(\.$roundID == round.id!)
        let taking = try await sheets.count()
        let already = try await within.within(Scope.unrestricted.query(GradingSheet.self, on: db), \GradingSheet.$branchPath).filter(\.$roundID == round.id!)
            .filter(\.$level == level).filter(\.$id != sheetID).count()
        if let problem = GradingRules.capProblem(level: level, alreadyAtLevel: already, takingPart: taking, capPercent: cap) {
            throw Refusal("\(committee.name)：\(problem)")
        }
    }

    static func grassrootsCommittee(of branch: Organization, on db: any Database) async throws -> Organization {
        let ancestors = try await Scope.unrestricted.organizations(on: db).filter(\.$id ~~ branch.path.ids.dropLast()).all()
        return ancestors.filter { !$0.type.isBranch && $0.type != .generalBranch }.max { $0.depth < $1.depth } ?? branch
    }
}

/// What the system already knows of a branch, for the reviewer to check the self-assessment by.
enum GradingFacts {
    struct Fact: Sendable {
        let label: String
        let value: String
    }

    static func of(_ branch: Organization, year: Int, today: CalendarDate, on db: any Database) async throws -> [Fact] {
        let within = Scope(reach: .subtree(branch.path))
        let compliance = try await OrgLifeQueries.compliance(of: branch, year: year, today: min(today, CalendarDate(year: year, month: 12, day: 31) ?? today),
                                                             on: db)
        let meetings = try await within.within(Scope.unrestricted.query(Meeting.self, on: db), \Meeting.$branchPath)
            .filter(\.$heldOn >= "\(year)-01-01").filter(\.$heldOn <= "\(year)-12-31").count()
        let members = try await Scope.unrestricted.members(on: db).filter(\.$branchID == branch.id!).count()
        let cadres = try await Scope.unrestricted.query(Cadre.self, on: db).filter(\.$unitID == branch.id!).filter(\.$leftOn == nil).all()
        return [
            Fact(label: "团员人数", value: "\(members) 名"),
            Fact(label: "\(year) 年三会一课", value: "\(meetings) 次，落实率 \(compliance?.percent ?? 0)%"),
            Fact(label: "在任支部书记", value: cadres.first { $0.post == .secretary }?.name ?? "空缺"),
            Fact(label: "\(year) 年团费", value: "登记 \(try await within.within(Scope.unrestricted.query(DuesPayment.self, on: db), \DuesPayment.$branchPath).filter(\.$month >= "\(year)-01").filter(\.$month <= "\(year)-12").count()) 笔"),
        ]
    }
}
