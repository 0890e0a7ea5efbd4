import Fluent
import LeagueCore
import Vapor

/// Applications and each dated step of them, one transaction and one audit entry a step.
enum AdmissionWrites {
    /// The registration fields that the member record will be made from, typed at application.
    static let personFields = ["name", "residentID", "gender", "ethnicity", "phone", "education", "occupation", "partyStatus"]

    static func apply(branchID: Int, fields: [String: String], appliedOn: CalendarDate, today: CalendarDate, vault: PersonalDataVault,
                      _ change: ChangeContext, on db: any Database) async throws -> AdmissionApplication {
        let branch = try await MemberWrites.branch(branchID, change, on: db)
        guard appliedOn <= today else { throw Refusal("申请日期不能晚于今天", field: "appliedOn") }
        var values = fields.filter { personFields.contains($0.key) }
        values["joinedOn"] = appliedOn.description
        // A placeholder until the oath issues the number; the rest is checked as it will be then.
        values["memberNumber"] = "PENDING"
        let draft: MemberDraft
        switch MemberFields.parse(values, today: today) {
        case .success(let parsed): draft = parsed
        case .failure(let problems):
            guard let first = problems.messages.min(by: { $0.key < $1.key }) else { throw Refusal("请检查填写的内容") }
            let (field, message) = first
            // The joining-age check reads as the application's age check here.
            let age = ResidentIDAge.age(values["residentID"], on: appliedOn)
            if field == "joinedOn" { throw Refusal("申请入团须年满 14 周岁、未满 28 周岁（申请日为 \(age ?? 0) 岁）", field: "residentID") }
            throw Refusal(message, field: personFields.contains(field) ? field : nil)
        }
        let hash = vault.hash(draft.residentID.value)
        try await DuplicateTelling.requireAllowance(change, unit: AuditUnit(branch), on: db)
        if let found = try await Scope.unrestricted.everyMember(on: db).filter(\.$idHash == hash).first() {
            guard change.scope.contains(found.branchPath) else {
                throw try await DuplicateTelling.elsewhere(field: "residentID", change, unit: AuditUnit(branch), on: db)
            }
            throw Refusal(found.leftOn.map { "此人曾为团员，已于 \($0) 离团（\(found.name)）" } ?? "该身份证号码已登记为团员：\(found.name)",
                          field: "residentID")
        }
        if let open = try await Scope.unrestricted.query(AdmissionApplication.self, on: db).filter(\.$idHash == hash)
            .filter(\.$stage ~~ AdmissionStage.allCases.filter(\.isOpen)).first() {
            guard change.scope.contains(open.branchPath) else {
                throw try await DuplicateTelling.elsewhere(field: "residentID", change, unit: AuditUnit(branch), on: db)
            }
            throw Refusal("此人已有正在办理的入团申请（\(open.name)）", field: "residentID")
        }
        let application = AdmissionApplication()
        application.branchID = branch.id!
        application.branchPath = branch.path
        application.name = draft.name
        application.fieldsSealed = try vault.seal(String(decoding: try JSONEncoder().encode(values.filter { personFields.contains($0.key) }),
                                                         as: UTF8.self))
        application.idHash = hash
        application.idMasked = draft.residentID.masked
        application.stage = .applied
        application.appliedOn = appliedOn.description
        application.updatedAt = change.now
        try await application.create(on: db)
        try await log(application, step: "apply", label: "递交入团申请书", day: appliedOn, note: "", change, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(branch),
                               action: "admission.apply", entityType: "admission", entityID: String(application.id!),
                               summary: "\(draft.name)递交入团申请书", changes: FieldChange.created(
                                ["姓名": draft.name, "身份证号": draft.residentID.masked, "申请日期": appliedOn.description]))
        return application
    }

    /// What a step carries beyond its date.
    struct Details: Sendable {
        var day: CalendarDate
        var note: String?
        var source: String?
        var mentors: [String] = []
        var sponsors: [String] = []
        var vote: BranchVote?
    }

    static func step(_ id: Int, _ step: AdmissionStep, _ details: Details, today: CalendarDate, vault: PersonalDataVault,
                     _ change: ChangeContext, on db: any Database) async throws -> AdmissionApplication {
        let application = try await change.scope.find(AdmissionApplication.self, id, on: db)
        let branch = try await Scope.unrestricted.organization(application.branchID, on: db)
        if step.isUpperLevel || (step == .reject && [.prechecked, .voted, .approved].contains(application.stage)) {
            guard change.scope.isStrictlyAbove(branch) else { throw Refusal("“\(step.label)”由团支部的上级团组织办理") }
        }
        let next: AdmissionStage
        switch step.apply(to: application.stage) {
        case .success(let stage): next = stage
        case .failure(let problem): throw Refusal(problem.message)
        }
        let day = details.day
        guard day <= today else { throw Refusal("日期不能晚于今天", field: "day") }
        if let last = lastDay(of: application), day < last { throw Refusal("日期不能早于上一步的 \(last)", field: "day") }
        var note = details.note ?? ""
        var finalStage = next
        switch step {
        case .talk:
            if let problem = AdmissionRules.talkProblem(applied: CalendarDate(application.appliedOn)!, talk: day) { throw Refusal(problem, field: "day") }
            application.talkedOn = day.description
        case .nameActivist:
            guard let source = details.source, ["团员推荐", "少先队推优"].contains(source) else {
                throw Refusal("请选择积极分子的产生方式（团员推荐或少先队推优）", field: "source")
            }
            guard (1...2).contains(details.mentors.count) else { throw Refusal("请确定 1 至 2 名培养联系人", field: "mentors") }
            application.activistOn = day.description
            application.activistSource = source
            let mentors = details.mentors.joined(separator: "、")
            application.mentors = mentors
            note = "\(source)；培养联系人：\(mentors)"
        case .nameCandidate:
            let hours = try await MeetingWrites.classHours(applicant: id, on: db)
            if let problem = AdmissionRules.trainingProblem(activistSince: CalendarDate(application.activistOn!)!, on: day, classHours: hours) {
                throw Refusal(problem, field: "day")
            }
            let sponsors = try await self.sponsors(details.sponsors, change, on: db)
            application.candidateOn = day.description
            application.sponsors = sponsors.map(\.memberNumber).joined(separator: ",")
            note = "团课 \(hours) 学时；入团介绍人：\(sponsors.map(\.name).joined(separator: "、"))"
        case .precheck:
            application.precheckedOn = day.description
        case .vote:
            guard let vote = details.vote else { throw Refusal("请填写表决结果", field: "vote") }
            if let problem = vote.problem { throw Refusal(problem, field: "vote") }
            guard vote.isQuorate else { throw Refusal(vote.outcome, field: "vote") }
            application.votedOn = day.description
            application.vote = "\(vote.expected),\(vote.present),\(vote.yes),\(vote.no),\(vote.abstain)"
            note = "应到 \(vote.expected)，实到 \(vote.present)，赞成 \(vote.yes)，反对 \(vote.no)，弃权 \(vote.abstain)：\(vote.outcome)"
            if !vote.passes {
                finalStage = .rejected
                application.rejectedReason = vote.outcome
            }
        case .approve:
            try await AdmissionQuotas.consume(year: day.year, branch: branch, on: db)
            application.approvedOn = day.description
        case .swear:
            let member = try await makeMember(application, branch: branch, vault: vault, today: today, change, on: db)
            application.swornOn = day.description
            application.memberID = member.id
            note = "团员编号 \(member.memberNumber)，入团时间 \(member.joinedOn)"
        case .certify:
            guard try await Attachments.list(ownerType: AdmissionApplication.formOwner, ownerIDs: [id], on: db)[id]?.isEmpty == false else {
                throw Refusal("入团志愿书尚未上传，不能认证")
            }
            application.certifiedOn = day.description
        case .reject:
            guard let reason = details.note else { throw Refusal("请写明不予通过的理由", field: "note") }
            application.rejectedReason = reason
            if application.stage == .approved, let approved = application.approvedOn.flatMap(CalendarDate.init) {
                try await AdmissionQuotas.release(year: approved.year, branch: branch, on: db)
            }
        }
        let before = application.stage
        application.stage = finalStage
        application.updatedAt = change.now
        try await application.save(on: db)
        try await log(application, step: step.rawValue, label: step.label, day: day, note: note, change, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(branch),
                               action: "admission.\(step.rawValue)", entityType: "admission", entityID: String(id),
                               summary: "\(application.name)：\(step.label)\(note.isEmpty ? "" : "（\(note)）")",
                               changes: [FieldChange(field: "阶段", old: before.label, new: finalStage.label)])
        return application
    }

    /// The latest date of a step taken so far.
    static func lastDay(of application: AdmissionApplication) -> CalendarDate? {
        [application.appliedOn, application.talkedOn, application.activistOn, application.candidateOn, application.precheckedOn,
         application.votedOn, application.approvedOn, application.swornOn, application.certifiedOn]
            .compactMap { $0.flatMap(CalendarDate.init) }.max()
    }

    /// Two sponsors: members in reach, two different people, in the order they were given.
    static func sponsors(_ numbers: [String], _ change: ChangeContext, on db: any Database) async throws -> [Member] {
        var seen = Set<String>()
        let distinct = numbers.filter { seen.insert($0).inserted }
        guard distinct.count == 2 else { throw Refusal("请填写两名不同的入团介绍人（团员编号）", field: "sponsors") }
        let found = try await change.scope.members(on: db).filter(\.$memberNumber ~~ distinct).all()
        for number in distinct where !found.contains(where: { $0.memberNumber == number }) {
            throw Refusal("入团介绍人「\(number)」不是您管理范围内的团员", field: "sponsors")
        }
        return distinct.compactMap { number in found.first { $0.memberNumber == number } }
    }

    /// The oath makes the applicant a member: league age counts from the branch meeting.
    private static func makeMember(_ application: AdmissionApplication, branch: Organization, vault: PersonalDataVault,
                                   today: CalendarDate, _ change: ChangeContext, on db: any Database) async throws -> Member {
        var values = try JSONDecoder().decode([String: String].self, from: Data(try vault.open(application.fieldsSealed).utf8))
        values["joinedOn"] = application.votedOn
        values["memberNumber"] = "\(branch.code.suffix(6))\(String(format: "%06d", application.id!))"
        values["developmentNumber"] = application.developmentNumber
        let draft: MemberDraft
        switch MemberFields.parse(values, today: today) {
        case .success(let parsed): draft = parsed
        case .failure(let problems): throw Refusal("申请人信息需要更正：\(problems.messages.values.sorted().joined(separator: "；"))")
        }
        return try await MemberWrites.create(draft, branchID: branch.id, vault: vault, change, on: db)
    }

    private static func log(_ application: AdmissionApplication, step: String, label: String, day: CalendarDate, note: String,
                            _ change: ChangeContext, on db: any Database) async throws {
        let event = AdmissionEvent()
        event.applicationID = application.id!
        event.step = label
        event.onDay = day.description
        event.note = note
        event.by = change.actor.name
        event.at = change.now
        try await event.create(on: db)
    }

    /// The signed application form (入团志愿书) as a PDF, within 30 days of the oath.
    static func fileForm(_ id: Int, _ upload: Upload, today: CalendarDate, _ change: ChangeContext, on db: any Database) async throws {
        let application = try await change.scope.find(AdmissionApplication.self, id, on: db)
        guard application.stage == .member, let sworn = application.swornOn.flatMap(CalendarDate.init) else {
            throw Refusal("入团宣誓后才能上传入团志愿书")
        }
        let due = AdmissionRules.formDue(sworn: sworn)
        guard today <= due else { throw Refusal("入团志愿书应在宣誓后 30 天内（\(due) 前）上传，已逾期，请联系上级团组织", field: "file") }
        let stored = try await Attachments.store(upload, ownerType: AdmissionApplication.formOwner, ownerID: id, change, on: db)
        try await log(application, step: "form", label: "上传入团志愿书", day: today, note: stored.fileName, change, on: db)
        let branch = try await Scope.unrestricted.organization(application.branchID, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(branch),
                               action: "admission.form", entityType: "admission", entityID: String(id),
                               summary: "\(application.name)：上传入团志愿书", changes: [FieldChange(field: "附件", old: "", new: stored.fileName)])
    }
}

/// The age a resident ID gives on a day, for messages.
enum ResidentIDAge {
    static func age(_ raw: String?, on day: CalendarDate) -> Int? {
        guard let raw, case .success(let id) = ResidentID.parse(raw, today: day) else { return nil }
        return MembershipAge.age(born: id.birthDate, on: day)
    }
}
