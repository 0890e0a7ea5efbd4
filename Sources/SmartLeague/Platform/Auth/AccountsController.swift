import Fluent
import LeagueCore
import Vapor

/// Accounts in the caller's scope: list, create (with a one-time password), unlock, reset, disable.
struct AccountsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(AccountRoute.index, use: index)
        routes.get(AccountRoute.new, use: new)
        routes.post(AccountRoute.index, use: create)
        routes.post(AccountRoute.act(.key, .key), use: act)
    }

    @Sendable func index(req: Request) async throws -> Response {
        let (search, _) = try req.validatedQuery(AccountSearchForm.self)
        let list = try await AccountQueries.list(search: search ?? "", page: Pagination.requestedPage(req), scope: req.scope, now: req.now, on: req.db)
        return try await req.page("accounts/index", title: "账号管理",
                                  AccountListPage(list, search: search ?? "", selfID: try req.requireActor().accountID))
    }

    private func newPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        try await req.page("accounts/new", title: "创建账号", NewAccountPage(form: state), status: status)
    }

    @Sendable func new(req: Request) async throws -> Response {
        var values = ["kind": AccountKind.administrator.rawValue]
        if let unitID = try? req.query.get(Int.self, at: "unit"),
           let unit = try? await req.scope.activeOrganization(unitID, on: req.db) {
            values["unit"] = unit.code
        }
        return try await newPage(req, FormState(values: values), status: .ok)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let (new, state) = try req.validated(NewAccountForm.self)
        guard let new else { return try await newPage(req, state, status: .unprocessableEntity) }
        let password = PasswordPolicy.generateOneTime()
        let hash = try await Passwords.hash(password, app: req.application)
        let change = req.changeContext
        return try await req.submit(state, write: { db in
            let account = try await AccountWrites.create(new, passwordHash: hash, change, on: db)
            return (account, try await change.scope.organization(account.organizationID, on: db).name)
        }, then: { (created: (account: Account, unitName: String)) in
            let (account, unitName) = created
            return try await req.page("accounts/created", title: "账号已创建",
                               AccountCreatedPage(username: account.username, displayName: account.displayName, unitName: unitName,
                                                  password: password, reset: false))
        }, otherwise: { state in
            try await newPage(req, state, status: .unprocessableEntity)
        })
    }

    @Sendable func act(req: Request) async throws -> Response {
        let id = try req.id()
        guard let action = AccountWrites.Action(rawValue: req.parameters.get("action") ?? "") else { throw Abort(.notFound) }
        let password = action == .resetPassword ? PasswordPolicy.generateOneTime() : nil
        let hash: String? = if let password { try await Passwords.hash(password, app: req.application) } else { nil }
        let change = req.changeContext
        do {
            let (account, unitName) = try await req.application.writer.write(req.db) { db in
                let account = try await AccountWrites.apply(action, to: id, newPasswordHash: hash, change, on: db)
                return (account, try await change.scope.organization(account.organizationID, on: db).name)
            }
            if let password {
                return try await req.page("accounts/created", title: "密码已重置",
                                          AccountCreatedPage(username: account.username, displayName: account.displayName,
                                                             unitName: unitName, password: password, reset: true))
            }
            return try await req.redirect(to: AccountRoute.index.url, flash: "\(AuditActions.label(action.auditAction)):\(account.username)。")
        } catch let refusal as Refusal {
            return try await req.redirect(to: AccountRoute.index.url, flash: refusal.message)
        }
    }
}
