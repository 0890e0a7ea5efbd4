import Fluent
import LeagueCore
import Vapor

/// Sign-in with throttling, sign-out, and changing one's own password.
struct AuthController: RouteCollection {
    static let loginCSRFCookie = "sl_login_csrf"

    func boot(routes: any RoutesBuilder) throws {
        routes.get("login", use: showLogin)
        routes.post("login", use: login)
        let signedIn = routes.grouped(RequireSignIn(), CSRFProtection())
        signedIn.post("logout", use: logout)
        signedIn.get("account", "password", use: showPassword)
        signedIn.post("account", "password", use: changePassword)
    }

    struct LoginForm: Encodable {
        let csrf: String
        let next: String
        let username: String
        let error: String?
    }

    @Sendable func showLogin(req: Request) async throws -> Response {
        if req.actor != nil { return req.redirect(to: "/") }
        let next = SafeRedirect.localPath(try? req.query.get(String.self, at: "next"))
        return try await loginPage(req, username: "", next: next, error: nil, status: .ok)
    }

    private func loginPage(_ req: Request, username: String, next: String, error: String?, status: HTTPResponseStatus) async throws -> Response {
        let token = SessionStore.randomToken()
        let response = try await req.page("auth/login", title: "登录",
                                          LoginForm(csrf: token, next: next, username: username, error: error), status: status)
        response.cookies[Self.loginCSRFCookie] = HTTPCookies.Value(
            string: token, maxAge: 3600, path: "/login", isSecure: req.application.settings.secureCookies,
            isHTTPOnly: true, sameSite: .strict)
        return response
    }

    @Sendable func login(req: Request) async throws -> Response {
        let form = try req.form()
        // Names are at most 32 characters; a longer one is only cut for counting and the message.
        let username = String((form["username"] ?? "").trimmingCharacters(in: .whitespaces).lowercased().prefix(64))
        let password = form["password"] ?? ""
        let next = SafeRedirect.localPath(form["next"])
        guard CSRFProtection.matches(form["csrf"] ?? "", req.cookies[Self.loginCSRFCookie]?.string ?? "") else {
            return try await loginPage(req, username: username, next: next, error: "页面已过期，请重新输入后登录。", status: .forbidden)
        }
        guard !username.isEmpty, !password.isEmpty else {
            return try await loginPage(req, username: username, next: next, error: "请输入用户名和密码。", status: .unprocessableEntity)
        }
        let outcome = try await SignIn.attempt(username: username, password: password, req: req)
        switch outcome {
        case .refused(let message):
            return try await loginPage(req, username: username, next: next, error: message, status: .unprocessableEntity)
        case .signedIn(let token, let mustChangePassword):
            let response = req.redirect(to: mustChangePassword ? "/account/password" : next)
            response.cookies[SessionStore.cookieName] = HTTPCookies.Value(
                string: token, path: "/", isSecure: req.application.settings.secureCookies,
                isHTTPOnly: true, sameSite: .lax)
            response.cookies[Self.loginCSRFCookie] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), path: "/login")
            return response
        }
    }

    @Sendable func logout(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let auditActor = req.auditActor
        let now = req.now
        try await req.application.writer.write(req.db) { db in
            try await SessionStore.close(sessionID: actor.sessionID, on: db)
            try await Audit.record(on: db, actor: auditActor, at: now,
                                   unit: AuditUnit(id: actor.unitID, path: actor.unitPath),
                                   action: "account.sign_out", entityType: "account", entityID: String(actor.accountID),
                                   summary: "退出登录")
        }
        let response = req.redirect(to: "/login")
        response.cookies[SessionStore.cookieName] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), path: "/")
        return response
    }

    struct PasswordPage: Encodable {
        let forced: Bool
        let form: FormState
        let rules: String
    }

    @Sendable func showPassword(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        return try await req.page("auth/password", title: "修改密码",
                                  PasswordPage(forced: actor.mustChangePassword, form: FormState(), rules: Self.rules))
    }

    static let rules = "至少 \(PasswordPolicy.minimumLength) 位，须同时包含字母和数字。"

    @Sendable func changePassword(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.form()
        let current = form["current"] ?? "", new = form["new"] ?? "", confirm = form["confirm"] ?? ""
        var state = FormState()
        let account = try await actor.scope.account(actor.accountID, on: req.db)
        if !(try await Passwords.verify(current, hash: account.passwordHash, app: req.application)) {
            state.errors["current"] = "当前密码不正确"
        }
        if let problem = PasswordPolicy.problem(with: new) {
            state.errors["new"] = problem.message
        } else if new == current {
            state.errors["new"] = PasswordPolicy.Problem.sameAsCurrent.message
        }
        if new != confirm { state.errors["confirm"] = PasswordPolicy.Problem.confirmationMismatch.message }
        guard state.isValid else {
            return try await req.page("auth/password", title: "修改密码",
                                      PasswordPage(forced: actor.mustChangePassword, form: state, rules: Self.rules),
                                      status: .unprocessableEntity)
        }
        let hash = try await Passwords.hash(new, app: req.application)
        let auditActor = req.auditActor
        let now = req.now
        try await req.application.writer.write(req.db) { db in
            let account = try await actor.scope.account(actor.accountID, on: db)
            account.passwordHash = hash
            account.mustChangePassword = false
            try await account.save(on: db)
            try await SessionStore.closeOthers(accountID: actor.accountID, keeping: actor.sessionID, on: db)
            try await Audit.record(on: db, actor: auditActor, at: now,
                                   unit: AuditUnit(id: actor.unitID, path: actor.unitPath),
                                   action: "account.change_password", entityType: "account", entityID: String(actor.accountID),
                                   summary: "修改了自己的密码", changes: [FieldChange(field: "密码", old: "(已隐藏)", new: "(已修改)")])
        }
        return try await req.redirect(to: "/", flash: "密码已修改。")
    }
}
