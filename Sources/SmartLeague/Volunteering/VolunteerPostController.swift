import Fluent
import LeagueCore
import Vapor

/// One post as its organiser runs it: sign-ups to approve, the rotating check-in code with its
/// QR image, and honour hours for those who served without clocking.
struct VolunteerPostController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(VolunteeringRoute.post(.key), use: post)
        routes.get(VolunteeringRoute.qr(.key), use: qr)
        routes.post(VolunteeringRoute.honor(.key), use: addHonor)
        routes.post(VolunteeringRoute.decideSignUp(.key, .key), use: decide)
    }

    private func postPage(_ req: Request, id: Int, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let found = try await VolunteeringQueries.organisedPost(id, scope: req.scope, on: req.db)
        return try await req.page("volunteering/post", title: found.post.title, OrganisedPostPage(
            found, publicBaseURL: req.application.settings.publicBaseURL, now: req.now, form: state), status: status)
    }

    @Sendable func post(req: Request) async throws -> Response {
        try await postPage(req, id: try req.id(), FormState(), status: .ok)
    }

    /// The check-in link with the current code, as a QR image for phones to scan.
    @Sendable func qr(req: Request) async throws -> Response {
        let post = try await VolunteeringQueries.post(try req.id(), scope: req.scope, on: req.db)
        // A configured address too long for a code leaves nothing to draw.
        guard let code = try? QRCode(CheckInCode.link(publicBaseURL: req.application.settings.publicBaseURL, post: post, at: req.now)) else {
            throw Abort(.internalServerError)
        }
        let response = Response(status: .ok, body: .init(string: code.svg(pixelsPerModule: 6)))
        response.headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml")
        return response
    }

    /// A write from the post's page: back to it with a message, or the page again with the refusal.
    private func write<T: Sendable>(_ req: Request, postID: Int, _ state: FormState, flash: @escaping @Sendable (T) -> String,
                                    _ body: @escaping @Sendable (any Database, ChangeContext) async throws -> T) async throws -> Response {
        try await req.submit(state, back: { _ in VolunteeringRoute.post(.value(postID)).url }, flash: flash,
                             page: { try await postPage(req, id: postID, $0, status: .unprocessableEntity) }, body)
    }

    @Sendable func decide(req: Request) async throws -> Response {
        let id = try req.id()
        guard let decision = SignUps.Decision(rawValue: req.parameters.get("decision") ?? "") else { throw Abort(.notFound) }
        let signUp = try await VolunteeringQueries.signUp(id, scope: req.scope, on: req.db)
        return try await write(req, postID: signUp.postID, FormState(), flash: { (signUp: VolunteerSignUp) in "报名状态：\(signUp.status.label)" }) {
            db, change in
            try await SignUps.decide(id, decision, change, on: db)
        }
    }

    @Sendable func addHonor(req: Request) async throws -> Response {
        let id = try req.id()
        let (input, state) = try req.validated(HonorHoursForm.self)
        return try await write(req, postID: id, state, flash: { (record: ServiceRecord) in "已补录荣誉时长 \(ServiceTime.hoursText(record.minutes)) 小时" }) {
            db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await ServiceHours.addHonor(postID: id, volunteerID: input.volunteerID, minutes: input.minutes, reason: input.reason,
                                                   change, on: db)
        }
    }
}
