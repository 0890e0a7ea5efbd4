import Fluent
import LeagueCore
import Vapor

/// 身份核实 for cadres: registrations that repeat an ID number on record in their reach, to be
/// settled with the person in front of them; and a member's registration to confirm.
struct VolunteerIdentityController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("volunteering", "identity", use: index)
        routes.post("volunteering", "identity", ":id", "decide", use: decide)
        routes.post("members", ":id", "volunteer", "take-up", use: takeUp)
    }

    struct Row: Encodable {
        let id: Int
        let volunteerNumber: String
        let volunteerName: String
        let idMasked: String
        let heldBy: String
        let newAccount: String
        let typedName: String
        let phone: String
        let at: String
        let status: String
        let note: String
        let isPending: Bool
    }

    struct IndexPage: Encodable {
        let rows: [Row]
        let hasRows: Bool
        let form: FormState
    }

    private func indexPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let checks = try await req.scope.identityChecks(on: req.db).sort(\.$status).sort(\.$id, .descending).range(0..<200).all()
        let volunteers = try await req.scope.query(Volunteer.self, on: req.db).filter(\.$id ~~ Set(checks.map(\.volunteerID))).all()
        let byID = Dictionary(uniqueKeysWithValues: volunteers.map { ($0.id!, $0) })
        let usernames = try await req.scope.accountsNamed(on: checks, holders: volunteers, on: req.db)
        let rows = checks.compactMap { check -> Row? in
            guard let volunteer = byID[check.volunteerID] else { return nil }
            return Row(id: check.id!, volunteerNumber: volunteer.volunteerNumber, volunteerName: volunteer.name, idMasked: volunteer.idMasked,
                       heldBy: volunteer.accountID.flatMap { usernames[$0] } ?? "（无账号）", newAccount: usernames[check.accountID] ?? "",
                       typedName: check.name, phone: check.phone.map(PhoneMask.mask) ?? "", at: ChinaTime.dateTimeString(check.createdAt),
                       status: check.status.label, note: check.note ?? "", isPending: check.status == .pending)
        }
        return try await req.page("volunteering/identity", title: "志愿者身份核实",
                                  IndexPage(rows: rows, hasRows: !rows.isEmpty, form: state), status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await indexPage(req, FormState(), status: .ok)
    }

    @Sendable func decide(req: Request) async throws -> Response {
        let id = try req.id()
        let form = try req.form()
        var state = FormState(values: form)
        let note = state.check("note") { try FormField.text(form["note"], label: "核实说明", required: false, max: 200) } ?? nil
        let grant = form["decision"] == "grant"
        return try await req.submit(state, back: { _ in "/volunteering/identity" }, flash: { "身份核实：\($0.status.label)" },
                                    page: { try await indexPage(req, $0, status: .unprocessableEntity) }) { db, change in
            try await VolunteerIdentity.decide(id, grant: grant, note: note, change, on: db)
        }
    }

    /// An administrator of the member's branch confirms that a registration made with the
    /// member's number is the member's.
    @Sendable func takeUp(req: Request) async throws -> Response {
        let id = try req.id()
        return try await req.submit(FormState(), back: { _ in "/members/\(id)" }, flash: { "志愿者记录 \($0.volunteerNumber) 已与该团员关联" },
                                    page: { state in try await req.redirect(to: "/members/\(id)", flash: state.errors.values.first) }) { db, change in
            try await VolunteerIdentity.takeUp(memberID: id, mine: true, change, on: db)
        }
    }
}
