import Fluent
import LeagueCore
import Vapor

/// The public face of the volunteer platform: post search (岗位互通), real-name registration,
/// certificate verification, and the library of past projects. No sign-in needed.
struct VolunteerPublicController: RouteCollection {
    static let registerCSRFCookie = "sl_register_csrf"

    func boot(routes: any RoutesBuilder) throws {
        routes.get(VolunteerRoute.posts, use: search)
        routes.get(VolunteerRoute.post(.key), use: post)
        routes.get(VolunteerRoute.register, use: showRegister)
        routes.post(VolunteerRoute.register, use: register)
        routes.get(VolunteerRoute.verify, use: verify)
        routes.get(VolunteerRoute.library, use: library)
    }

    /// The query string as typed; what a filter cannot read it leaves out.
    private func typed(_ req: Request) -> [String: String] {
        (try? req.query.decode([String: String].self)) ?? [:]
    }

    @Sendable func search(req: Request) async throws -> Response {
        try await req.publicPage {
            let filter = VolunteerQueries.PostFilter(query: typed(req))
            let page = Pagination.requestedPage(req)
            let found = try await VolunteerQueries.postSearch(filter, today: req.today, page: page, pageSize: VolunteerPostsPage.pageSize, on: req.db)
            return try await req.page("volunteer/posts", title: "志愿服务岗位",
                                      VolunteerPostsPage(found, filter: filter, page: page, signedIn: req.actor != nil))
        }
    }

    @Sendable func post(req: Request) async throws -> Response {
        guard let found = try await VolunteerQueries.publicPost(try req.id(), scope: req.scope, on: req.db) else { throw Abort(.notFound) }
        return try await req.page("volunteer/post", title: found.post.title, VolunteerPostPage(found, signedIn: req.actor != nil, now: req.now))
    }

    static let registerToken = VisitorFormToken(cookie: registerCSRFCookie, path: VolunteerRoute.register.url)

    private func registerPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        try await Self.registerToken.issue(req) { token in
            try await req.page("volunteer/register", title: "志愿者注册", VolunteerRegisterPage(
                csrf: token, districts: try await Directory.cityAndDistricts(on: req.db), form: state), status: status)
        }
    }

    @Sendable func showRegister(req: Request) async throws -> Response {
        // A signed-in member registers from their own page, with the ID already on record.
        if req.actor != nil { return .redirect(to: VolunteerRoute.me, req) }
        return try await registerPage(req, FormState(), status: .ok)
    }

    /// Public registrations from one address in an hour.
    static let registrationsPerAddress = RateLimit(limit: 10, window: 3600)

    /// Answers alike whatever the ID number belongs to: the account is opened, and what the number
    /// already has on record is settled later by the people who can check (`VolunteerRegistration`).
    @Sendable func register(req: Request) async throws -> Response {
        if req.actor != nil { return .redirect(to: VolunteerRoute.me, req) }
        let (form, decoded) = try req.decode(VolunteerRegisterForm.self)
        var state = decoded
        state.values = state.values.filter { !VolunteerRegisterForm.notShownAgain.contains($0.key) }
        guard Self.registerToken.matches(req, sent: form.csrf) else {
            state.errors["_form"] = "页面已过期，请重新填写后提交"
            return try await registerPage(req, state, status: .forbidden)
        }
        let taken = try await RateCounters.take([RateCounters.Key("register-address:" + req.clientAddress, limit: Self.registrationsPerAddress)],
                                                now: req.now, writer: req.application.writer, on: req.db)
        guard taken.allowed else {
            state.errors["_form"] = "提交过于频繁，请 \(RateLimit.minutesLeft(windowEnds: taken.windowEnds, now: Int(req.now.timeIntervalSince1970))) 分钟后再试"
            return try await registerPage(req, state, status: .tooManyRequests)
        }
        guard let input = form.validate(&state, today: req.today), state.isValid else {
            return try await registerPage(req, state, status: .unprocessableEntity)
        }
        let applicant = VolunteerRegistration.Applicant(input, passwordHash: try await Passwords.hash(input.password, app: req.application))
        let vault = req.application.vault
        let change = req.changeContext
        return try await req.submit(state, write: { db in
            try await VolunteerRegistration.registerPublicly(applicant, vault: vault, change, on: db)
        }, then: { account in
            try await req.page("volunteer/registered", title: "注册成功", VolunteerRegisteredPage(account))
        }, otherwise: { try await registerPage(req, $0, status: .unprocessableEntity) })
    }

    /// Anyone may check a certificate by its number; the identity shows masked.
    @Sendable func verify(req: Request) async throws -> Response {
        let number = CertificateVerifyPage.number(typed: try? req.query.get(String.self, at: "number"))
        let found = try await VolunteerQueries.certificate(number: number, on: req.db)
        return try await req.page("volunteer/verify", title: "志愿服务证明查验", CertificateVerifyPage(number: number, found: found))
    }

    /// Past projects (项目库): closed projects with their contest places, to learn from and reuse.
    @Sendable func library(req: Request) async throws -> Response {
        try await req.publicPage {
            let filter = VolunteerQueries.LibraryFilter(query: typed(req))
            let page = Pagination.requestedPage(req)
            let library = try await VolunteerQueries.library(filter, page: page, pageSize: ProjectLibraryPage.pageSize, on: req.db)
            return try await req.page("volunteer/library", title: "志愿服务项目库", ProjectLibraryPage(library, filter: filter, page: page))
        }
    }
}
