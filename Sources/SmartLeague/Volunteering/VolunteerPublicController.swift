import Fluent
import LeagueCore
import Vapor

/// The public face of the volunteer platform: post search (岗位互通), real-name registration,
/// certificate verification, and the library of past projects. No sign-in needed.
struct VolunteerPublicController: RouteCollection {
    static let registerCSRFCookie = "sl_register_csrf"

    func boot(routes: any RoutesBuilder) throws {
        let volunteer = routes.grouped("volunteer")
        volunteer.get("posts", use: search)
        volunteer.get("posts", ":id", use: post)
        volunteer.get("register", use: showRegister)
        volunteer.post("register", use: register)
        volunteer.get("verify", use: verify)
        volunteer.get("library", use: library)
    }

    struct SearchPage: Encodable {
        let posts: [VolunteerViews.PostRow]
        let hasPosts: Bool
        let districts: [Choice]
        let categories: [Choice]
        let filter: [String: String]
        let pagination: Pagination
        let signedIn: Bool
    }

    static let pageSize = 20

    @Sendable func search(req: Request) async throws -> Response {
        let raw = (try? req.query.decode([String: String].self)) ?? [:]
        var filter = VolunteerQueries.PostFilter()
        filter.districtID = raw["district"].flatMap { Int($0) }
        filter.category = raw["category"].flatMap { VolunteerCategories.all.contains($0) ? $0 : nil }
        filter.day = raw["day"].flatMap { CalendarDate($0) }
        filter.openOnly = raw["open"] == "1"
        filter.keyword = raw["q"].map { String($0.trimmingCharacters(in: .whitespaces).prefix(30)) }.flatMap { $0.isEmpty ? nil : $0 }
        let requested = Pagination.requestedPage(req)
        let found = try await VolunteerQueries.searchPosts(filter, today: req.today, limit: Self.pageSize,
                                                           offset: (requested - 1) * Self.pageSize, on: req.db)
        let keep = raw.filter { ["district", "category", "day", "open", "q"].contains($0.key) }
        return try await req.page("volunteer/posts", title: "志愿服务岗位", SearchPage(
            posts: try await VolunteerViews.rows(found.posts, on: req.db), hasPosts: !found.posts.isEmpty,
            districts: try await VolunteerViews.districtOptions(on: req.db), categories: VolunteerViews.categoryOptions,
            filter: keep, pagination: Pagination(page: requested, pageSize: Self.pageSize, total: found.total, keep: keep),
            signedIn: req.actor != nil))
    }

    struct PostPage: Encodable {
        let post: VolunteerViews.PostRow
        let project: String
        let summary: String
        let group: String
        let signedIn: Bool
        let needsRegistration: Bool
        let signUpStatus: String?
        let signUpID: Int?
        let canCancel: Bool
        let canSignUp: Bool
        let started: Bool
    }

    @Sendable func post(req: Request) async throws -> Response {
        guard let (post, project, group) = try await VolunteerPublic.publishedPost(try req.id(), on: req.db) else {
            throw Abort(.notFound)
        }
        let own = try await VolunteerRegistration.own(req.scope, on: req.db)
        var signUp: VolunteerSignUp?
        if let own { signUp = try await req.scope.query(VolunteerSignUp.self, on: req.db).filter(\.$postID == post.id!).filter(\.$volunteerID == own.id!).first() }
        return try await req.page("volunteer/post", title: post.title, PostPage(
            post: try await VolunteerViews.rows([post], on: req.db)[0], project: project.title, summary: project.summary, group: group.name,
            signedIn: req.actor != nil, needsRegistration: req.actor != nil && own == nil, signUpStatus: signUp?.status.label, signUpID: signUp?.id,
            canCancel: signUp.map { SignUps.canCancel($0, post, now: req.now, byVolunteer: true) } ?? false,
            canSignUp: own != nil && req.now < post.startsAt && !(signUp?.status.isActive ?? false), started: req.now >= post.startsAt))
    }

    struct RegisterPage: Encodable {
        let csrf: String
        let districts: [Choice]
        let form: FormState
    }

    private func registerPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let token = SessionStore.randomToken()
        let response = try await req.page("volunteer/register", title: "志愿者注册", RegisterPage(
            csrf: token, districts: try await VolunteerViews.districtOptions(on: req.db), form: state), status: status)
        response.cookies[Self.registerCSRFCookie] = HTTPCookies.Value(
            string: token, maxAge: 3600, path: "/volunteer/register", isSecure: req.application.settings.secureCookies,
            isHTTPOnly: true, sameSite: .strict)
        return response
    }

    @Sendable func showRegister(req: Request) async throws -> Response {
        // A signed-in member registers from their own page, with the ID already on record.
        if req.actor != nil { return req.redirect(to: "/volunteer/me") }
        return try await registerPage(req, FormState(), status: .ok)
    }

    /// Public registrations from one address in an hour.
    static let registrationsPerAddress = RateLimit(limit: 10, window: 3600)

    /// Answers alike whatever the ID number belongs to: the account is opened, and what the number
    /// already has on record is settled later by the people who can check (`VolunteerRegistration`).
    @Sendable func register(req: Request) async throws -> Response {
        if req.actor != nil { return req.redirect(to: "/volunteer/me") }
        let form = try req.form()
        var state = FormState(values: form.filter { !["password", "confirm", "csrf"].contains($0.key) })
        guard CSRFProtection.matches(form["csrf"] ?? "", req.cookies[Self.registerCSRFCookie]?.string ?? "") else {
            state.errors["_form"] = "页面已过期，请重新填写后提交"
            return try await registerPage(req, state, status: .forbidden)
        }
        let taken = try await RateCounters.take([RateCounters.Key("register-address:" + req.clientAddress, limit: Self.registrationsPerAddress)],
                                                now: req.now, writer: req.application.writer, on: req.db)
        guard taken.allowed else {
            state.errors["_form"] = "提交过于频繁，请 \(RateLimit.minutesLeft(windowEnds: taken.windowEnds, now: Int(req.now.timeIntervalSince1970))) 分钟后再试"
            return try await registerPage(req, state, status: .tooManyRequests)
        }
        let name = state.check("name") { try FormField.requiredText(form["name"], label: "姓名", max: 30) }
        let today = req.today
        let residentID = state.check("residentID") { () throws -> ResidentID in
            switch ResidentID.parse(form["residentID"] ?? "", today: today) {
            case .success(let id): return id
            case .failure(let problem): throw FormField.Problem(problem.message)
            }
        }
        let phone = state.check("phone") { try FormField.phone(form["phone"], label: "手机") } ?? nil
        let districtID = state.check("district") { try FormField.id(form["district"], label: "所在区县（市）") }
        let username = state.check("username") { try Username.check(form["username"]) }
        let password = form["password"] ?? ""
        if let problem = PasswordPolicy.problem(with: password) {
            state.errors["password"] = problem.message
        } else if password != form["confirm"] {
            state.errors["confirm"] = PasswordPolicy.Problem.confirmationMismatch.message
        }
        guard state.isValid, let name, let residentID, let username else {
            return try await registerPage(req, state, status: .unprocessableEntity)
        }
        let applicant = VolunteerRegistration.Applicant(name: name, residentID: residentID, phone: phone, districtID: districtID,
                                                        username: username, passwordHash: try await Passwords.hash(password, app: req.application))
        let vault = req.application.vault
        let change = req.changeContext
        return try await req.submit(state, write: { db in
            try await VolunteerRegistration.registerPublicly(applicant, vault: vault, change, on: db)
        }, then: { account in
            try await req.page("volunteer/registered", title: "注册成功", ["username": account.username, "name": account.displayName])
        }, otherwise: { try await registerPage(req, $0, status: .unprocessableEntity) })
    }

    struct VerifyPage: Encodable {
        let number: String
        let searched: Bool
        let found: VolunteerViews.CertificateView?
    }

    /// Anyone may check a certificate by its number; the identity shows masked.
    @Sendable func verify(req: Request) async throws -> Response {
        let number = ((try? req.query.get(String.self, at: "number")) ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        var found: VolunteerViews.CertificateView?
        if !number.isEmpty, number.count <= 40,
           let (certificate, volunteer) = try await VolunteerPublic.certificate(number: number, on: req.db) {
            found = VolunteerViews.publicCertificate(certificate, volunteer: volunteer)
        }
        return try await req.page("volunteer/verify", title: "志愿服务证明查验",
                                  VerifyPage(number: number, searched: !number.isEmpty, found: found))
    }

    struct LibraryRow: Encodable {
        let title: String
        let category: String
        let year: Int
        let group: String
        let summary: String
        let award: String
    }

    struct LibraryPage: Encodable {
        let rows: [LibraryRow]
        let hasRows: Bool
        let categories: [Choice]
        let filter: [String: String]
        let pagination: Pagination
    }

    /// Past projects (项目库): closed projects with their contest places, to learn from and reuse.
    @Sendable func library(req: Request) async throws -> Response {
        let raw = (try? req.query.decode([String: String].self)) ?? [:]
        var query = VolunteerPublic.library(on: req.db)
        if let category = raw["category"], VolunteerCategories.all.contains(category) { query = query.filter(\.$category == category) }
        if let keyword = raw["q"]?.trimmingCharacters(in: .whitespaces), !keyword.isEmpty {
            query = query.filter(\.$title, .contains(inverse: false, .anywhere), String(keyword.prefix(30)))
        }
        let keep = raw.filter { ["category", "q"].contains($0.key) }
        let pagination = Pagination(page: Pagination.requestedPage(req), pageSize: Self.pageSize, total: try await query.count(), keep: keep)
        let projects = try await query.sort(\.$year, .descending).sort(\.$id, .descending)
            .range(pagination.offset..<(pagination.offset + Self.pageSize)).all()
        let groups = try await VolunteerPublic.groups(projects.map(\.groupID), on: req.db)
        let groupNames = Dictionary(uniqueKeysWithValues: groups.map { ($0.id!, $0.name) })
        let awards = try await VolunteerPublic.awards(of: projects, on: req.db)
        return try await req.page("volunteer/library", title: "志愿服务项目库", LibraryPage(
            rows: projects.map { LibraryRow(title: $0.title, category: $0.category, year: $0.year, group: groupNames[$0.groupID] ?? "",
                                            summary: $0.summary, award: awards[$0.id!] ?? "") },
            hasRows: !projects.isEmpty, categories: VolunteerViews.categoryOptions, filter: keep, pagination: pagination))
    }
}
