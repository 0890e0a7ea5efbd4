import Fluent
import LeagueCore
import Vapor

/// 身份核实 for cadres: registrations that repeat an ID number on record in their reach, to be
/// settled with the person in front of them; and a member's registration to confirm.
struct VolunteerIdentityController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(VolunteeringRoute.identity, use: index)
        routes.post(VolunteeringRoute.decideIdentity(.key), use: decide)
        routes.post(VolunteeringRoute.memberTakeUp(.key), use: takeUp)
    }

    private func indexPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let checks = try await VolunteeringQueries.identityChecks(scope: req.scope, on: req.db)
        return try await req.page("volunteering/identity", title: "志愿者身份核实", VolunteerIdentityChecksPage(checks, form: state), status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await indexPage(req, FormState(), status: .ok)
    }

    @Sendable func decide(req: Request) async throws -> Response {
        let id = try req.id()
        let (input, state) = try req.validated(VolunteerIdentityDecisionForm.self)
        return try await req.submit(state, back: { _ in VolunteeringRoute.identity.url }, flash: { (check: VolunteerIdentityCheck) in "身份核实：\(check.status.label)" },
                                    page: { try await indexPage(req, $0, status: .unprocessableEntity) }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await VolunteerIdentity.decide(id, grant: input.grant, note: input.note, change, on: db)
        }
    }

    /// An administrator of the member's branch confirms that a registration made with the
    /// member's number is the member's; back on the member's page of the Members part.
    @Sendable func takeUp(req: Request) async throws -> Response {
        let id = try req.id()
        let member = MemberRoute.show(.value(id)).url
        return try await req.submit(FormState(), back: { _ in member }, flash: { (volunteer: Volunteer) in "志愿者记录 \(volunteer.volunteerNumber) 已与该团员关联" },
                                    page: { state in try await req.redirect(to: member, flash: state.errors.values.first) }) { db, change in
            try await VolunteerIdentity.takeUp(memberID: id, mine: true, change, on: db)
        }
    }
}
