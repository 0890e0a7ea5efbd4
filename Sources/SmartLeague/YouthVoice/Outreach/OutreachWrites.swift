import Fluent
import LeagueCore
import Vapor

/// The writes of 代表委员联系青年, each in the caller's transaction, within their reach, audited.
enum OutreachWrites {
    private static func audit(_ unit: (id: Int, path: TreePath), _ action: String, _ entity: String, _ id: Int?, _ summary: String,
                              _ change: ChangeContext, on db: any Database) async throws {
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: unit.id, path: unit.path), action: action,
                               entityType: entity, entityID: String(id ?? 0), summary: summary)
    }

    /// The unit a record is kept by: the caller's own unit, or one below it named in the form.
    private static func unit(_ id: Int, _ change: ChangeContext, on db: any Database) async throws -> Organization {
        guard let unit = try? await change.scope.activeOrganization(id, on: db) else { throw Refusal("请选择本单位或下级单位", field: "unit") }
        return unit
    }

    struct NewDeputy: Sendable {
        let unitID: Int
        let name: String
        let role: DeputyRole
        let level: String
        let sector: String
        let phone: String?
        /// The 工作室 they sit in: one in the caller's reach whose committee's area holds their unit.
        var studioID: Int?
    }

    static func addDeputy(_ new: NewDeputy, _ change: ChangeContext, on db: any Database) async throws -> Deputy {
        let unit = try await unit(new.unitID, change, on: db)
        var studio: Studio?
        if let studioID = new.studioID {
            guard let found = try? await change.scope.find(Studio.self, studioID, on: db) else { throw Refusal("请选择工作室", field: "studio") }
            guard StudioRules.maySeat(deputyOf: unit.path, inStudioOf: found.unitPath) else {
                throw Refusal("「\(found.name)」是其他区县（市）的工作室，请选择联系单位所在地的工作室", field: "studio")
            }
            studio = found
        }
        let deputy = Deputy()
        deputy.unitID = unit.id ?? new.unitID
        deputy.unitPath = unit.path
        deputy.name = new.name
        deputy.role = new.role
        deputy.level = new.level
        deputy.sector = new.sector
        deputy.phone = new.phone
        deputy.studioID = studio?.id
        deputy.active = true
        try await deputy.create(on: db)
        try await audit((deputy.unitID, unit.path), "deputy.add", "deputy", deputy.id,
                        "登记\(new.role.label)\(new.name)（\(new.level)，\(new.sector)）\(studio.map { "，\($0.name)" } ?? "")", change, on: db)
        return deputy
    }

    struct NewStudio: Sendable {
        let unitID: Int
        let name: String
        let foundedOn: CalendarDate
    }

    /// A 代表委员青少年工作室 founded by the city's or a district's committee in the caller's reach.
    static func foundStudio(_ new: NewStudio, _ change: ChangeContext, on db: any Database) async throws -> Studio {
        let unit = try await unit(new.unitID, change, on: db)
        guard StudioRules.mayFound(at: unit.path) else { throw Refusal("工作室由团市委或区县（市）团委设立", field: "unit") }
        // Two foundings of one name at once on PostgreSQL: the second checks once the first has committed.
        try await OrganizationWrites.lock(unitID: unit.id ?? new.unitID, on: db)
        guard try await change.scope.query(Studio.self, on: db).filter(\.$unitID == new.unitID).filter(\.$name == new.name).count() == 0 else {
            throw Refusal("本单位已有名为「\(new.name)」的工作室", field: "name")
        }
        let studio = Studio()
        studio.unitID = unit.id ?? new.unitID
        studio.unitPath = unit.path
        studio.name = new.name
        studio.foundedOn = new.foundedOn.description
        try await studio.create(on: db)
        try await audit((studio.unitID, unit.path), "studio.found", "studio", studio.id, "设立\(new.name)（\(unit.name)，\(new.foundedOn)）", change, on: db)
        return studio
    }

    /// A deputy whose term ended leaves the roster; their proposals stay.
    static func retireDeputy(_ id: Int, _ change: ChangeContext, on db: any Database) async throws -> Deputy {
        let deputy = try await change.scope.find(Deputy.self, id, on: db)
        guard deputy.active else { throw Refusal("\(deputy.name)已不在名册中") }
        deputy.active = false
        try await deputy.save(on: db)
        try await audit((deputy.unitID, deputy.unitPath), "deputy.retire", "deputy", id, "\(deputy.role.label)\(deputy.name)移出名册", change, on: db)
        return deputy
    }

    struct NewMeeting: Sendable {
        let unitID: Int
        let heldOn: CalendarDate
        let title: String
        let deputies: String
        let youthCount: Int
        let topics: String
        let needs: String
    }

    static func recordMeeting(_ new: NewMeeting, today: CalendarDate, _ change: ChangeContext, on db: any Database) async throws -> OutreachMeeting {
        guard new.heldOn <= today else { throw Refusal("活动日期不能晚于今天", field: "heldOn") }
        let unit = try await unit(new.unitID, change, on: db)
        let meeting = OutreachMeeting()
        meeting.unitID = unit.id ?? new.unitID
        meeting.unitPath = unit.path
        meeting.heldOn = new.heldOn.description
        meeting.title = new.title
        meeting.deputies = new.deputies
        meeting.youthCount = new.youthCount
        meeting.topics = new.topics
        meeting.needs = new.needs
        meeting.recordedBy = change.actor.name
        try await meeting.create(on: db)
        try await audit((meeting.unitID, unit.path), "meeting.record", "voice_meeting", meeting.id,
                        "记录面对面活动「\(new.title)」（\(new.heldOn)，青年 \(new.youthCount) 人）", change, on: db)
        return meeting
    }

    struct NewProposal: Sendable {
        let deputyID: Int
        let title: String
        let body: String
        let session: String
        /// 青年之声 item numbers the proposal was built from.
        let itemNumbers: [String]
    }

    /// A proposal through a deputy of the caller's reach, from needs (items) within it.
    static func createProposal(_ new: NewProposal, _ change: ChangeContext, on db: any Database) async throws -> Proposal {
        guard let deputy = try? await change.scope.find(Deputy.self, new.deputyID, on: db), deputy.active else {
            throw Refusal("请选择提出建议（提案）的代表委员", field: "deputy")
        }
        guard deputy.role == .peoplesCongress || deputy.role == .politicalConsultative else {
            throw Refusal("建议由人大代表、提案由政协委员提出", field: "deputy")
        }
        var items: [VoiceItem] = []
        for number in new.itemNumbers {
            guard let item = try await change.scope.query(VoiceItem.self, on: db).filter(\.$number == number).first() else {
                throw Refusal("没有找到本单位可见的诉求 \(number)", field: "items")
            }
            items.append(item)
        }
        let proposal = Proposal()
        proposal.unitID = deputy.unitID
        proposal.unitPath = deputy.unitPath
        proposal.title = new.title
        proposal.body = new.body
        proposal.deputyID = deputy.id ?? new.deputyID
        proposal.deputyName = deputy.name
        proposal.kind = deputy.role == .peoplesCongress ? "建议" : "提案"
        proposal.session = new.session
        proposal.status = .submitted
        proposal.createdAt = change.now
        proposal.updatedAt = change.now
        try await proposal.create(on: db)
        for item in items {
            let need = ProposalNeed()
            need.proposalID = proposal.id ?? 0
            need.itemID = item.id ?? 0
            try await need.create(on: db)
        }
        try await audit((proposal.unitID, proposal.unitPath), "proposal.create", "voice_proposal", proposal.id,
                        "\(deputy.name)提出\(proposal.kind)「\(new.title)」，来自诉求 \(new.itemNumbers.joined(separator: "、"))", change, on: db)
        return proposal
    }

    struct Step: Sendable {
        let status: ProposalStatus
        let handlingUnit: String?
        let reply: String?
        let outcome: String?
    }

    static func advanceProposal(_ id: Int, _ step: Step, _ change: ChangeContext, on db: any Database) async throws -> Proposal {
        let proposal = try await change.scope.find(Proposal.self, id, on: db)
        do { try proposal.status.advance(to: step.status, reply: step.reply, outcome: step.outcome) }
        catch { throw Refusal(error.message, field: step.status == .concluded ? "outcome" : (step.status == .replied ? "reply" : "status")) }
        if step.status == .assigned {
            guard let handling = step.handlingUnit, !handling.isEmpty else { throw Refusal("请填写承办单位", field: "handlingUnit") }
            proposal.handlingUnit = handling
        }
        if step.status == .replied { proposal.reply = step.reply }
        if step.status == .concluded { proposal.outcome = step.outcome }
        proposal.status = step.status
        proposal.updatedAt = change.now
        try await proposal.save(on: db)
        try await audit((proposal.unitID, proposal.unitPath), "proposal.advance", "voice_proposal", id,
                        "\(proposal.kind)「\(proposal.title)」\(step.status.label)", change, on: db)
        return proposal
    }

    struct NewContact: Sendable {
        let name: String
        let phone: String?
        let note: String
    }

    /// A young person the signed-in cadre keeps in touch with, kept by the cadre's own unit.
    static func addContact(_ new: NewContact, cadre: (accountID: Int, name: String, unitID: Int), _ change: ChangeContext,
                           on db: any Database) async throws -> YouthContact {
        let unit = try await unit(cadre.unitID, change, on: db)
        let contact = YouthContact()
        contact.cadreAccountID = cadre.accountID
        contact.cadreName = cadre.name
        contact.unitID = cadre.unitID
        contact.unitPath = unit.path
        contact.name = new.name
        contact.phone = new.phone
        contact.note = new.note
        contact.createdAt = change.now
        try await contact.create(on: db)
        try await audit((cadre.unitID, unit.path), "contact.add", "voice_contact", contact.id, "\(cadre.name)联系青年\(new.name)", change, on: db)
        return contact
    }

    /// One more time in touch, only for the cadre's own young people.
    static func logVisit(_ contactID: Int, on day: CalendarDate, way: ContactWay, note: String, cadreAccountID: Int, today: CalendarDate,
                         _ change: ChangeContext, on db: any Database) async throws -> ContactVisit {
        let contact = try await change.scope.find(YouthContact.self, contactID, on: db)
        guard contact.cadreAccountID == cadreAccountID else { throw Abort(.notFound) }
        guard day <= today else { throw Refusal("日期不能晚于今天", field: "visitedOn") }
        let visit = ContactVisit()
        visit.contactID = contactID
        visit.unitPath = contact.unitPath
        visit.visitedOn = day.description
        visit.way = way
        visit.note = note
        try await visit.create(on: db)
        try await audit((contact.unitID, contact.unitPath), "contact.visit", "voice_contact", contactID,
                        "\(contact.cadreName)\(way.label)联系\(contact.name)（\(day)）", change, on: db)
        return visit
    }

    /// The cadence of 面对面 and the contact target, by the city.
    static func setPolicy(city: OutreachCadence, district: OutreachCadence, contactTarget: Int, _ change: ChangeContext,
                          on db: any Database) async throws -> OutreachPolicyRow {
        guard change.scope.isCityWide else { throw Refusal("只有团市委可以修改青年之声的设置") }
        let row = try await OutreachScope.policy(on: db)
        row.cityCadence = city
        row.districtCadence = district
        row.contactTarget = contactTarget
        try await row.save(on: db)
        guard let root = try await Scope.unrestricted.organizations(on: db).filter(\.$parentID == nil).first(), let rootID = root.id else { return row }
        try await audit((rootID, root.path), "outreach.policy", "voice_setting", row.id,
                        "面对面：团市委\(city.label)、区县\(district.label)；每名团干部联系青年 \(contactTarget) 名", change, on: db)
        return row
    }
}
