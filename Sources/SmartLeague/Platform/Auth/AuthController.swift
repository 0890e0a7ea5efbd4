import Fluent
import LeagueCore
import Vapor

/// Sign-in with throttling, sign-out, and changing one's own password.
struct AuthController: RouteCollection {
    static let loginCSRFCookie = "sl_login_csrf"

    func boot(routes: any RoutesBuilder) throws {
        routes.get(AuthRoute.login, use: showLogin)
        routes.post(AuthRoute.login, use: login)
        let signedIn = routes.grouped(RequireSignIn(), CSRFProtection())
        signedIn.post(AuthRoute.logout, use: logout)
        signedIn.get(AuthRoute.password, use: showPassword)
        signedIn.post(AuthRoute.password, use: changePassword)
    }

    @Sendable func showLogin(req: Request) async throws -> Response {
        if req.actor != nil { return .redirect(to: HomeRoute.index, req) }
        return try await loginPage(req, username: "", next: SafeRedirect.localPath(try? req.query.get(String.self, at: "next")),
                                   error: nil, status: .ok)
    }

    private func loginPage(_ req: Request, username: String, next: String, error: String?, status: HTTPResponseStatus) async throws -> Response {
        let token = SessionStore.randomToken()
        let response = try await req.page("auth/login", title: "登录",
                                          SignInPage(csrf: token, next: next, username: username, error: error), status: status)
        response.cookies[Self.loginCSRFCookie] = HTTPCookies.Value(
            string: token, maxAge: 3600, path: AuthRoute.login.url, isSecure: req.application.settings.secureCookies,
            isHTTPOnly: true, sameSite: .strict)
        return response
    }

    @Sendable func login(req: Request) async throws -> Response {
        let form = try FormFields.decode(SignInForm.self, from: try req.form())
        let username = form.name, next = form.redirect
        guard CSRFProtection.matches(form.csrf ?? "", req.cookies[Self.loginCSRFCookie]?.string ?? "") else {
            return try await loginPage(req, username: username, next: next, error: "页面已过期，请重新输入后登录。", status: .forbidden)
        }
        guard !username.isEmpty, let password = form.password, !password.isEmpty else {
            return try await loginPage(req, username: username, next: next, error: "请输入用户名和密码。", status: .unprocessableEntity)
        }
        switch try await SignIn.attempt(username: username, password: password, req: req) {
        case .refused(let message):
            return try await loginPage(req, username: username, next: next, error: message, status: .unprocessableEntity)
        case .signedIn(let token, let mustChangePassword):
            let response = req.redirect(to: mustChangePassword ? AuthRoute.password.url : next)
            response.cookies[SessionStore.cookieName] = HTTPCookies.Value(
                string: token, path: "/", isSecure: req.application.settings.secureCookies,
                isHTTPOnly: true, sameSite: .lax)
            response.cookies[Self.loginCSRFCookie] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0),
                                                                       path: AuthRoute.login.url)
            return response
        }
    }

    @Sendable func logout(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let change = req.changeContext
        try await req.application.writer.write(req.db) { try await AccountWrites.signOut(actor, change, on: $0) }
        let response = Response.redirect(to: AuthRoute.login, req)
        response.cookies[SessionStore.cookieName] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), path: "/")
        return response
    }

    private func passwordPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        try await req.page("auth/password", title: "修改密码",
                           PasswordPage(forced: try req.requireActor().mustChangePassword, form: state), status: status)
    }

    @Sendable func showPassword(req: Request) async throws -> Response {
        try await passwordPage(req, FormState(), status: .ok)
    }

    @Sendable func changePassword(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let (valid, state) = try req.validated(PasswordChangeForm.self)
        // The typed passwords are never shown again.
        let blank = FormState(values: [:], errors: state.errors)
        guard let valid else { return try await passwordPage(req, blank, status: .unprocessableEntity) }
        do {
            try await AccountWrites.changeOwnPassword(valid, of: actor, req.changeContext, app: req.application, on: req.db)
        } catch let refusal as Refusal {
            return try await passwordPage(req, refusal.filed(in: blank), status: .unprocessableEntity)
        }
        return try await req.redirect(to: HomeRoute.index.url, flash: "密码已修改。")
    }
}
