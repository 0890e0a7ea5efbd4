import Fluent
import LeagueCore
import Vapor

/// One post as its organiser runs it: sign-ups to approve, the rotating check-in code with its
/// QR image, and honour hours for those who served without clocking.
struct VolunteerPostController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let posts = routes.grouped("volunteering", "posts")
        posts.get(":id", use: post)
        posts.get(":id", "qr.svg", use: qr)
        posts.post(":id", "honor", use: addHonor)
        routes.post("volunteering", "signups", ":id", ":decision", use: decide)
    }

    struct SignUpRow: Encodable {
        let id: Int
        let volunteerID: Int
        let name: String
        let number: String
        let status: String
        let requestedAt: String
        let checkedIn: String
        let checkedOut: String
        let canApprove: Bool
        let canReject: Bool
        let canCancel: Bool
    }

    struct PostPage: Encodable {
        let post: VolunteerViews.PostRow
        let projectID: Int
        let published: Bool
        let code: String
        /// What the QR code holds, for an organiser to send on.
        let checkInLink: String
        let secondsLeft: Int
        let window: Int
        let signUps: [SignUpRow]
        let hasSignUps: Bool
        let accepted: [Choice]
        let hasAccepted: Bool
        let form: FormState
    }

    /// The link a phone opens by scanning: the configured public address, never the Host header
    /// the request happened to carry.
    private func checkInURL(_ req: Request, post: VolunteerPost) -> String {
        "\(req.application.settings.publicBaseURL)/volunteer/checkin?post=\(post.id!)&code=\(CheckInCode.code(secret: post.codeSecret, at: req.now))"
    }

    private func postPage(_ req: Request, id: Int, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        guard let post = try await req.scope.query(VolunteerPost.self, on: req.db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        let signUps = try await req.scope.query(VolunteerSignUp.self, on: req.db).filter(\.$postID == id).sort(\.$requestedAt).sort(\.$id).range(0..<2000).all()
        let volunteers = try await req.scope.signedUpVolunteers(signUps.map(\.volunteerID), on: req.db)
        let rows = signUps.map { signUp in
            SignUpRow(id: signUp.id!, volunteerID: signUp.volunteerID, name: volunteers[signUp.volunteerID]?.name ?? "",
                      number: volunteers[signUp.volunteerID]?.volunteerNumber ?? "", status: signUp.status.label,
                      requestedAt: ChinaTime.dateTimeString(signUp.requestedAt),
                      checkedIn: signUp.checkedInAt.map(ChinaTime.dateTimeString) ?? "", checkedOut: signUp.checkedOutAt.map(ChinaTime.dateTimeString) ?? "",
                      canApprove: signUp.status == .applied, canReject: [.applied, .waiting].contains(signUp.status),
                      canCancel: SignUps.canCancel(signUp, post, now: req.now, byVolunteer: false))
        }
        let accepted = signUps.filter { $0.status == .accepted }.map {
            Choice(value: String($0.volunteerID), label: "\(volunteers[$0.volunteerID]?.name ?? "")（\(volunteers[$0.volunteerID]?.volunteerNumber ?? "")）")
        }
        let now = req.now
        return try await req.page("volunteering/post", title: post.title, PostPage(
            post: try await VolunteerViews.rows([post], on: req.db)[0], projectID: post.projectID, published: post.published,
            code: CheckInCode.code(secret: post.codeSecret, at: now), checkInLink: checkInURL(req, post: post),
            secondsLeft: CheckInCode.secondsLeft(at: now),
            window: Int(now.timeIntervalSince1970 / CheckInCode.period),
            signUps: rows, hasSignUps: !rows.isEmpty, accepted: accepted, hasAccepted: !accepted.isEmpty, form: state), status: status)
    }

    @Sendable func post(req: Request) async throws -> Response {
        try await postPage(req, id: try req.id(), FormState(), status: .ok)
    }

    /// The check-in link with the current code, as a QR image for phones to scan.
    @Sendable func qr(req: Request) async throws -> Response {
        guard let post = try await req.scope.query(VolunteerPost.self, on: req.db).filter(\.$id == (try req.id())).first() else { throw Abort(.notFound) }
        // A configured address too long for a code leaves nothing to draw.
        guard let code = try? QRCode(checkInURL(req, post: post)) else { throw Abort(.internalServerError) }
        let response = Response(status: .ok, body: .init(string: code.svg(pixelsPerModule: 6)))
        response.headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml")
        return response
    }

    @Sendable func decide(req: Request) async throws -> Response {
        let id = try req.id()
        guard let decision = SignUps.Decision(rawValue: req.parameters.get("decision") ?? "") else { throw Abort(.notFound) }
        guard let signUp = try await req.scope.query(VolunteerSignUp.self, on: req.db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        let postID = signUp.postID
        return try await req.submit(FormState(), back: { _ in "/volunteering/posts/\(postID)" }, flash: { "报名状态：\($0.status.label)" },
                                    page: { try await postPage(req, id: postID, $0, status: .unprocessableEntity) }) { db, change in
            try await SignUps.decide(id, decision, change, on: db)
        }
    }

    @Sendable func addHonor(req: Request) async throws -> Response {
        let id = try req.id()
        let form = try req.form()
        var state = FormState(values: form)
        let volunteerID = state.check("volunteer") { try FormField.id(form["volunteer"], label: "志愿者") }
        let minutes = ServiceTime.minutes(hoursText: form["hours"] ?? "")
        if minutes == nil { state.errors["hours"] = "时长应为小时数，最多一位小数，如 1.5" }
        let reason = state.check("reason") { try FormField.text(form["reason"], label: "补录理由", required: false, max: 200) } ?? nil
        return try await req.submit(state, back: { _ in "/volunteering/posts/\(id)" }, flash: { "已补录荣誉时长 \(ServiceTime.hoursText($0.minutes)) 小时" },
                                    page: { try await postPage(req, id: id, $0, status: .unprocessableEntity) }) { db, change in
            try await ServiceHours.addHonor(postID: id, volunteerID: volunteerID!, minutes: minutes!, reason: reason, change, on: db)
        }
    }
}
