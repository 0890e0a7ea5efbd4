import Fluent
import LeagueCore
import Vapor

/// 代表委员联系青年 for cadres: the roster, 面对面 with its compliance, proposals from needs, and
/// each cadre's direct contact with young people.
struct OutreachController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(OutreachRoute.deputies, use: deputies)
        routes.post(OutreachRoute.deputies, use: addDeputy)
        routes.post(OutreachRoute.retireDeputy(.key), use: retireDeputy)
        routes.post(OutreachRoute.studios, use: foundStudio)
        routes.get(OutreachRoute.meetings, use: meetings)
        routes.post(OutreachRoute.meetings, use: recordMeeting)
        routes.get(OutreachRoute.proposals, use: proposals)
        routes.post(OutreachRoute.proposals, use: createProposal)
        routes.get(OutreachRoute.proposal(.key), use: proposal)
        routes.post(OutreachRoute.advance(.key), use: advance)
        routes.get(OutreachRoute.contacts, use: contacts)
        routes.post(OutreachRoute.contacts, use: addContact)
        routes.post(OutreachRoute.visit(.key), use: logVisit)
    }

    /// The caller's unit and the active units directly below it, to keep a record by.
    private func ownUnits(_ req: Request) async throws -> [Choice] {
        try await ownOrganizations(req).map(Self.choice)
    }

    private func ownOrganizations(_ req: Request) async throws -> [Organization] {
        let actor = try req.requireActor()
        let own = try await req.scope.organization(actor.unitID, on: req.db)
        let below = try await req.scope.organizations(on: req.db).filter(\.$parentID == actor.unitID).filter(\.$status == .active)
            .sort(\.$code).range(0..<300).all()
        return [own] + below
    }

    private static func choice(_ unit: Organization) -> Choice {
        Choice(value: String(unit.id ?? 0), label: unit.name)
    }

    /// A write from one of the pages: back to it with a message, or the page again with the refusal.
    private func write<T: Sendable>(_ req: Request, _ state: FormState, back: String, flash: @escaping @Sendable (T) -> String,
                                    page: (FormState) async throws -> Response,
                                    _ body: @escaping @Sendable (any Database, ChangeContext) async throws -> T) async throws -> Response {
        try await req.submit(state, back: { _ in back }, flash: flash, page: page, body)
    }

    // MARK: Roster

    private func deputiesPage(_ req: Request, form: FormState, studioForm: FormState = FormState(), status: HTTPResponseStatus) async throws -> Response {
        let deputies = try await OutreachQueries.deputies(scope: req.scope, on: req.db)
        let studios = try await OutreachQueries.studios(scope: req.scope, on: req.db)
        let names = try await req.scope.unitNames(deputies.map(\.unitID) + studios.map(\.unitID), on: req.db)
        let studioNames = try await OutreachQueries.studioNames(deputies.compactMap(\.studioID), on: req.db)
        let members = try await OutreachQueries.members(of: studios.compactMap(\.id), scope: req.scope, on: req.db)
        let own = try await ownOrganizations(req)
        let units = own.map(Self.choice)
        let hosts = own.filter { StudioRules.mayFound(at: $0.path) }.map(Self.choice)
        return try await req.page("voice/deputies", title: "代表委员", DeputiesPage(
            rows: deputies.map {
                .init(name: $0.name, role: $0.role.label, level: $0.level, sector: $0.sector, phone: $0.phone ?? "",
                      studio: $0.studioID.flatMap { studioNames[$0] } ?? "",
                      unitName: names[$0.unitID] ?? "", retireURL: OutreachRoute.retireDeputy(.value($0.id ?? 0)).url)
            }, hasRows: !deputies.isEmpty, units: units,
            roles: DeputyRole.allCases.map { Choice(value: $0.rawValue, label: $0.label) },
            levels: DeputyForm.levels.map { Choice(value: $0, label: $0) },
            studios: studios.map { studio in
                let sitting = members[studio.id ?? 0] ?? []
                return .init(name: studio.name, unitName: names[studio.unitID] ?? "", foundedOn: studio.foundedOn, memberCount: sitting.count,
                             members: sitting.map { "\($0.name)（\($0.role.label)）" }.joined(separator: "、"))
            }, hasStudios: !studios.isEmpty,
            studioChoices: studios.map { Choice(value: String($0.id ?? 0), label: "\($0.name)（\(names[$0.unitID] ?? "")）") },
            // Only the city's and the districts' committees found studios.
            studioUnits: hosts, canFoundStudio: !hosts.isEmpty, form: form, studioForm: studioForm), status: status)
    }

    @Sendable func deputies(req: Request) async throws -> Response {
        try await deputiesPage(req, form: FormState(), status: .ok)
    }

    @Sendable func addDeputy(req: Request) async throws -> Response {
        let (input, state) = try req.validated(DeputyForm.self)
        return try await write(req, state, back: OutreachRoute.deputies.url, flash: { (d: Deputy) in "已登记\(d.role.label)\(d.name)。" },
                               page: { try await deputiesPage(req, form: $0, status: .unprocessableEntity) }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await OutreachWrites.addDeputy(input, change, on: db)
        }
    }

    @Sendable func retireDeputy(req: Request) async throws -> Response {
        let id = try req.id()
        return try await write(req, FormState(), back: OutreachRoute.deputies.url, flash: { (d: Deputy) in "\(d.name)已移出名册。" },
                               page: { try await deputiesPage(req, form: $0, status: .unprocessableEntity) }) { db, change in
            try await OutreachWrites.retireDeputy(id, change, on: db)
        }
    }

    @Sendable func foundStudio(req: Request) async throws -> Response {
        let (input, state) = try req.validated(StudioForm.self)
        return try await write(req, state, back: OutreachRoute.deputies.url, flash: { (s: Studio) in "已设立\(s.name)。" },
                               page: { try await deputiesPage(req, form: FormState(), studioForm: $0, status: .unprocessableEntity) }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await OutreachWrites.foundStudio(input, change, on: db)
        }
    }

    // MARK: 面对面

    private func meetingsPage(_ req: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let actor = try req.requireActor()
        let today = req.today
        let year = (try? req.query.get(Int.self, at: "year")).flatMap { (2018...today.year).contains($0) ? $0 : nil } ?? today.year
        let unit = try await req.scope.organization(actor.unitID, on: req.db)
        let found = try await OutreachQueries.meetings(of: unit, year: year, today: today, scope: req.scope, on: req.db)
        let names = try await req.scope.unitNames(found.meetings.map(\.unitID), on: req.db)
        return try await req.page("voice/meetings", title: "面对面", MeetingsPage(
            year: year,
            compliance: found.compliance.map { row in
                .init(unitName: row.unitName, cadence: row.cadence.label,
                      periods: row.periods.map { .init(label: $0.label, state: $0.held.map { $0 ? "held" : "missed" } ?? "due") })
            }, hasCompliance: !found.compliance.isEmpty,
            rows: found.meetings.map {
                .init(heldOn: $0.heldOn, title: $0.title, unitName: names[$0.unitID] ?? "", deputies: $0.deputies, youthCount: $0.youthCount,
                      topics: $0.topics, needs: $0.needs)
            }, hasRows: !found.meetings.isEmpty, units: try await ownUnits(req), today: today.description, form: form), status: status)
    }

    @Sendable func meetings(req: Request) async throws -> Response {
        try await meetingsPage(req, form: FormState(), status: .ok)
    }

    @Sendable func recordMeeting(req: Request) async throws -> Response {
        let (input, state) = try req.validated(OutreachMeetingForm.self)
        let today = req.today
        return try await write(req, state, back: OutreachRoute.meetings.url, flash: { (m: OutreachMeeting) in "已记录面对面活动「\(m.title)」。" },
                               page: { try await meetingsPage(req, form: $0, status: .unprocessableEntity) }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await OutreachWrites.recordMeeting(input, today: today, change, on: db)
        }
    }

    // MARK: Proposals

    private func proposalsPage(_ req: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let proposals = try await OutreachQueries.proposals(scope: req.scope, on: req.db)
        let deputies = try await OutreachQueries.deputies(scope: req.scope, on: req.db)
            .filter { $0.role == .peoplesCongress || $0.role == .politicalConsultative }
        return try await req.page("voice/proposals", title: "建议提案", ProposalsPage(
            rows: proposals.map {
                .init(url: OutreachRoute.proposal(.value($0.id ?? 0)).url, title: $0.title, kind: $0.kind, deputy: $0.deputyName,
                      session: $0.session, status: $0.status.label)
            }, hasRows: !proposals.isEmpty,
            deputies: deputies.map { Choice(value: String($0.id ?? 0), label: "\($0.name)（\($0.role.label)）") }, form: form), status: status)
    }

    @Sendable func proposals(req: Request) async throws -> Response {
        try await proposalsPage(req, form: FormState(), status: .ok)
    }

    @Sendable func createProposal(req: Request) async throws -> Response {
        let (input, state) = try req.validated(ProposalForm.self)
        return try await req.submit(state, back: { (p: Proposal) in OutreachRoute.proposal(.value(p.id ?? 0)).url },
                                    flash: { "已登记\($0.kind)「\($0.title)」。" },
                                    page: { try await proposalsPage(req, form: $0, status: .unprocessableEntity) }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await OutreachWrites.createProposal(input, change, on: db)
        }
    }

    private func proposalPage(_ req: Request, _ id: Int, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let proposal = try await req.scope.find(Proposal.self, id, on: req.db)
        let needs = try await OutreachQueries.needs(of: id, scope: req.scope, on: req.db)
        let next = proposal.status.next.map { Choice(value: $0.rawValue, label: $0.label) }
        return try await req.page("voice/proposal", title: proposal.title, ProposalPage(
            title: proposal.title, body: proposal.body, kind: proposal.kind, deputy: proposal.deputyName, session: proposal.session,
            status: proposal.status.label, handlingUnit: proposal.handlingUnit ?? "", reply: proposal.reply ?? "", outcome: proposal.outcome ?? "",
            needs: needs.map { .init(number: $0.number, title: $0.title, url: VoiceAdminRoute.item(.value($0.id ?? 0)).url) },
            advanceURL: OutreachRoute.advance(.value(id)).url, next: next, hasNext: next != nil, form: form), status: status)
    }

    @Sendable func proposal(req: Request) async throws -> Response {
        try await proposalPage(req, try req.id(), form: FormState(), status: .ok)
    }

    @Sendable func advance(req: Request) async throws -> Response {
        let id = try req.id()
        let (input, state) = try req.validated(ProposalStepForm.self)
        return try await write(req, state, back: OutreachRoute.proposal(.value(id)).url, flash: { (p: Proposal) in "\(p.kind)已更新为「\(p.status.label)」。" },
                               page: { try await proposalPage(req, id, form: $0, status: .unprocessableEntity) }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await OutreachWrites.advanceProposal(id, input, change, on: db)
        }
    }

    // MARK: 大脚掌

    private func contactsPage(_ req: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let actor = try req.requireActor()
        let policy = try await OutreachScope.policy(on: req.db)
        let mine = try await OutreachQueries.contacts(of: actor.accountID, scope: req.scope, on: req.db)
        let unit = try await req.scope.organization(actor.unitID, on: req.db)
        let coverage = try await OutreachQueries.coverage(of: unit, target: policy.contactTarget, scope: req.scope, on: req.db)
        return try await req.page("voice/contacts", title: "联系青年", ContactsPage(
            target: policy.contactTarget,
            contacts: mine.map { contact, visits in
                .init(name: contact.name, phone: contact.phone ?? "", note: contact.note,
                      visits: visits.map { "\($0.visitedOn) \($0.way.label)：\($0.note)" },
                      visitURL: OutreachRoute.visit(.value(contact.id ?? 0)).url, id: contact.id ?? 0)
            }, hasContacts: !mine.isEmpty,
            coverage: coverage.map {
                .init(unitName: $0.unit.name, cadres: $0.cadres, covered: $0.covered, share: $0.share.map { String(format: "%.0f%%", $0 * 100) } ?? "—")
            },
            ways: ContactWay.allCases.map { Choice(value: $0.rawValue, label: $0.label) }, today: req.today.description, form: form), status: status)
    }

    @Sendable func contacts(req: Request) async throws -> Response {
        try await contactsPage(req, form: FormState(), status: .ok)
    }

    @Sendable func addContact(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let (input, state) = try req.validated(ContactForm.self)
        let cadre = (accountID: actor.accountID, name: actor.displayName, unitID: actor.unitID)
        return try await write(req, state, back: OutreachRoute.contacts.url, flash: { (c: YouthContact) in "已添加联系青年\(c.name)。" },
                               page: { try await contactsPage(req, form: $0, status: .unprocessableEntity) }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await OutreachWrites.addContact(input, cadre: cadre, change, on: db)
        }
    }

    @Sendable func logVisit(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.id()
        let (input, state) = try req.validated(VisitForm.self)
        let today = req.today
        return try await write(req, state, back: OutreachRoute.contacts.url, flash: { (_: ContactVisit) in "已记录联系情况。" },
                               page: { try await contactsPage(req, form: $0, status: .unprocessableEntity) }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await OutreachWrites.logVisit(id, on: input.day, way: input.way, note: input.note, cadreAccountID: actor.accountID,
                                                     today: today, change, on: db)
        }
    }
}
