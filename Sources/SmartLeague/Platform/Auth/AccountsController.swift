import Fluent
import LeagueCore
import Vapor

/// Accounts in the caller's scope: list, create (with a one-time password), unlock, reset, disable.
struct AccountsController: RouteCollection {
    static let pageSize = 50

    func boot(routes: any RoutesBuilder) throws {
        let accounts = routes.grouped("accounts")
        accounts.get(use: index)
        accounts.get("new", use: new)
        accounts.post(use: create)
        accounts.post(":id", ":action", use: act)
    }

    struct Row: Encodable {
        let id: Int
        let username: String
        let displayName: String
        let kindLabel: String
        let unitName: String
        let status: String
        let isLocked: Bool
        let disabled: Bool
        let isSelf: Bool
    }

    struct IndexPage: Encodable {
        let rows: [Row]
        let pagination: Pagination
        let q: String
    }

    @Sendable func index(req: Request) async throws -> Response {
        let scope = req.scope
        let actor = try req.requireActor()
        let q = String(((try? req.query.get(String.self, at: "q")) ?? "").trimmingCharacters(in: .whitespaces).prefix(40))
        func query() -> QueryBuilder<Account> {
            let base = scope.accounts(on: req.db)
            guard !q.isEmpty else { return base }
            return base.group(.or) { $0.filter(\.$username ~~ q.lowercased()).filter(\.$displayName ~~ q) }
        }
        let total = try await query().count()
        let pagination = Pagination(page: Pagination.requestedPage(req), pageSize: Self.pageSize, total: total, keep: ["q": q])
        let accounts = try await query().sort(\.$username).range(pagination.offset..<(pagination.offset + Self.pageSize)).all()
        let names = try await scope.unitNames(accounts.map(\.organizationID), on: req.db)
        let lockedSubjects = try await RateCounters.refusing(subjects: accounts.map { SignIn.subject($0.username) },
                                                             limit: SignInThrottle.perNameAndAddress, now: req.now, on: req.db)
        let rows = accounts.map { account in
            let locked = lockedSubjects.contains(SignIn.subject(account.username))
            return Row(id: account.id!, username: account.username, displayName: account.displayName,
                       kindLabel: account.kind.label, unitName: names[account.organizationID] ?? "",
                       status: account.disabled ? "已停用" : (locked ? "已锁定" : (account.mustChangePassword ? "待首次登录" : "正常")),
                       isLocked: locked, disabled: account.disabled, isSelf: account.id == actor.accountID)
        }
        return try await req.page("accounts/index", title: "账号管理", IndexPage(rows: rows, pagination: pagination, q: q))
    }

    struct NewPage: Encodable {
        let form: FormState
        let kinds: [Choice]
    }

    private func newPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let kinds = AccountKind.assignable.map { Choice(value: $0.rawValue, label: $0.label) }
        return try await req.page("accounts/new", title: "创建账号", NewPage(form: state, kinds: kinds), status: status)
    }

    @Sendable func new(req: Request) async throws -> Response {
        var values = ["kind": AccountKind.administrator.rawValue]
        if let unitID = try? req.query.get(Int.self, at: "unit"),
           let unit = try? await req.scope.activeOrganization(unitID, on: req.db) {
            values["unit"] = unit.code
        }
        return try await newPage(req, FormState(values: values), status: .ok)
    }

    struct CreatedPage: Encodable {
        let username: String
        let displayName: String
        let unitName: String
        let password: String
        let reset: Bool
    }

    @Sendable func create(req: Request) async throws -> Response {
        let form = try req.form()
        var state = FormState(values: form)
        let username = state.check("username") { try Username.check(form["username"]) }
        let displayName = state.check("displayName") { try FormField.requiredText(form["displayName"], label: "姓名", max: 30) }
        let kind = AccountKind(rawValue: form["kind"] ?? "").flatMap { AccountKind.assignable.contains($0) ? $0 : nil }
        if kind == nil { state.errors["kind"] = "请选择账号类型" }
        // An administrator is bound to a unit; a member's account to their member record.
        var unit: Organization?
        var member: MemberEntry?
        if kind == .member {
            if let number = state.check("memberNumber", { try FormField.requiredText(form["memberNumber"], label: "团员编号", max: 20) }) {
                member = try await PartRegistry.memberDirectory?.member(number: number, in: req.scope, on: req.db)
                if member == nil { state.errors["memberNumber"] = "找不到该团员，或不在您的管理范围内" }
            }
            if let member { unit = try await req.scope.organization(member.branchID, on: req.db) }
        } else if let key = state.check("unit", { try FormField.requiredText(form["unit"], label: "所属组织（代码或全称）", max: 60) }) {
            unit = try await req.scope.activeOrganization(codeOrName: key, on: req.db)
            if unit == nil { state.errors["unit"] = "找不到该组织，或它不在您的管理范围内" }
        }
        guard state.isValid, let username, let displayName, let kind, let unit else {
            return try await newPage(req, state, status: .unprocessableEntity)
        }
        let password = PasswordPolicy.generateOneTime()
        let hash = try await Passwords.hash(password, app: req.application)
        let change = req.changeContext
        let new = AccountWrites.NewAccount(username: username, displayName: displayName, kind: kind, unitID: unit.id!,
                                           memberID: member?.id)
        return try await req.submit(state, write: { db in
            try await AccountWrites.create(new, passwordHash: hash, change, on: db)
        }, then: { _ in
            try await req.page("accounts/created", title: "账号已创建",
                               CreatedPage(username: username, displayName: displayName, unitName: unit.name,
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
            let account = try await req.application.writer.write(req.db) { db in
                try await AccountWrites.apply(action, to: id, newPasswordHash: hash, change, on: db)
            }
            if let password {
                let unit = try await req.scope.organization(account.organizationID, on: req.db)
                return try await req.page("accounts/created", title: "密码已重置",
                                          CreatedPage(username: account.username, displayName: account.displayName,
                                                      unitName: unit.name, password: password, reset: true))
            }
            return try await req.redirect(to: "/accounts", flash: "\(AuditActions.label(action.auditAction)):\(account.username)。")
        } catch let refusal as Refusal {
            return try await req.redirect(to: "/accounts", flash: refusal.message)
        }
    }
}
