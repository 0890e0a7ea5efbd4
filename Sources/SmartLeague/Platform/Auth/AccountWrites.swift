import Fluent
import LeagueCore
import Vapor

/// Creating accounts and the admin actions on them; each write audited in its own transaction.
enum AccountWrites {
    /// Whom an account belongs to: an administrator's unit, or a member's record (whose branch
    /// the account follows), named by id or as typed in the form.
    enum Holder: Sendable {
        case unitID(Int)
        /// A unit's code or full name.
        case unitNamed(String)
        case memberID(Int)
        case memberNumber(String)
    }

    struct NewAccount: Sendable {
        let username: String
        let displayName: String
        let kind: AccountKind
        let holder: Holder

        init(username: String, displayName: String, kind: AccountKind, holder: Holder) {
            self.username = username
            self.displayName = displayName
            self.kind = kind
            self.holder = holder
        }

        init(username: String, displayName: String, kind: AccountKind, unitID: Int, memberID: Int? = nil) {
            let holder: Holder = if kind == .member, let memberID { .memberID(memberID) } else { .unitID(unitID) }
            self.init(username: username, displayName: displayName, kind: kind, holder: holder)
        }
    }

    /// Creates an account with a one-time password that must be changed at first sign-in.
    /// `passwordHash` is computed by the caller outside the transaction (bcrypt is slow).
    static func create(_ new: NewAccount, passwordHash: String, _ change: ChangeContext, on db: any Database) async throws -> Account {
        let unit: Organization
        var memberID: Int?
        switch (new.kind, new.holder) {
        case (.member, .memberID(let id)):
            (unit, memberID) = try await holding(try await PartRegistry.memberDirectory?.member(id: id, in: change.scope, on: db), change, on: db)
        case (.member, .memberNumber(let number)):
            (unit, memberID) = try await holding(try await PartRegistry.memberDirectory?.member(number: number, in: change.scope, on: db),
                                                 change, on: db)
        case (.member, _):
            throw Refusal("团员账号须填写团员编号", field: "memberNumber")
        case (_, .unitID(let id)):
            unit = try await activeUnit(id, change, on: db)
        case (_, .unitNamed(let key)):
            guard let found = try await change.scope.activeOrganization(codeOrName: key, on: db) else {
                throw Refusal("找不到该组织，或它不在您的管理范围内", field: "unit")
            }
            unit = found
        case (_, .memberID), (_, .memberNumber):
            throw Refusal("请填写所属组织", field: "unit")
        }
        if try await Scope.unrestricted.accounts(on: db).filter(\.$username == new.username).count() > 0 {
            throw Refusal("用户名「\(new.username)」已被使用", field: "username")
        }
        let account = Account()
        account.username = new.username
        account.displayName = new.displayName
        account.passwordHash = passwordHash
        account.kind = new.kind
        account.organizationID = unit.id!
        account.memberID = memberID
        account.mustChangePassword = true
        account.disabled = false
        account.appointedByPath = change.scope.root
        try await account.create(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: "account.create", entityType: "account", entityID: String(account.id!),
                               summary: "为「\(unit.name)」创建\(new.kind.label)账号 \(new.username)",
                               changes: FieldChange.created(["用户名": new.username, "姓名": new.displayName,
                                                             "类型": new.kind.label, "所属组织": unit.name]))
        return account
    }

    enum Action: String, Sendable {
        case unlock, resetPassword, disable, enable

        var auditAction: String {
            switch self {
            case .unlock: "account.unlock"
            case .resetPassword: "account.reset_password"
            case .disable: "account.disable"
            case .enable: "account.enable"
            }
        }
    }

    /// Unlocks, resets, disables or enables an account in scope; never one's own.
    static func apply(_ action: Action, to accountID: Int, newPasswordHash: String?, _ change: ChangeContext, on db: any Database) async throws -> Account {
        let account = try await change.scope.account(accountID, on: db)
        guard account.id != change.actor.accountID else { throw Refusal("不能对自己的账号进行此操作") }
        let unit = try await change.scope.organization(account.organizationID, on: db)
        let before = fields(account)
        let wasLocked = try await RateCounters.isRefusing(subject: SignIn.subject(account.username), limit: SignInThrottle.perNameAndAddress,
                                                          now: change.now, on: db)
        switch action {
        case .unlock:
            try await RateCounters.clear(subject: SignIn.subject(account.username), on: db)
        case .resetPassword:
            guard let newPasswordHash else { throw Abort(.internalServerError) }
            account.passwordHash = newPasswordHash
            account.mustChangePassword = true
            try await RateCounters.clear(subject: SignIn.subject(account.username), on: db)
        case .disable:
            account.disabled = true
        case .enable:
            guard unit.isActive else { throw Refusal("所属组织已撤销，不能启用该账号") }
            account.disabled = false
        }
        try await account.save(on: db)
        if action == .disable || action == .resetPassword {
            try await SessionStore.closeOthers(accountID: accountID, keeping: nil, on: db)
        }
        var changes = FieldChange.between(before, fields(account))
        if wasLocked && (action == .unlock || action == .resetPassword) {
            changes.append(FieldChange(field: "登录限制", old: "已锁定", new: "已解除"))
        }
        if action == .resetPassword { changes.append(FieldChange(field: "密码", old: "(已隐藏)", new: "(已重置为一次性密码)")) }
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: action.auditAction, entityType: "account", entityID: String(accountID),
                               summary: "\(AuditActions.label(action.auditAction)):\(account.username)", changes: changes)
        return account
    }

    /// The branch of a member who may get an account: found in reach and without one yet.
    private static func holding(_ member: MemberEntry?, _ change: ChangeContext, on db: any Database) async throws -> (Organization, Int?) {
        guard let member else { throw Refusal("找不到该团员，或不在您的管理范围内", field: "memberNumber") }
        if try await Scope.unrestricted.accounts(on: db).filter(\.$memberID == member.id).count() > 0 {
            throw Refusal("团员 \(member.name) 已有账号", field: "memberNumber")
        }
        return (try await activeUnit(member.branchID, change, on: db), member.id)
    }

    private static func activeUnit(_ id: Int, _ change: ChangeContext, on db: any Database) async throws -> Organization {
        guard let unit = try? await change.scope.activeOrganization(id, on: db) else {
            throw Refusal("找不到该组织，或它不在您的管理范围内", field: "unit")
        }
        return unit
    }

    /// Changes the caller's own password: the current one must be right (checked outside the
    /// transaction, as bcrypt is slow), the other sessions end, and the change is audited.
    static func changeOwnPassword(_ input: PasswordChangeForm.Valid, of actor: Actor, _ change: ChangeContext,
                                  app: Application, on db: any Database) async throws {
        let account = try await actor.scope.account(actor.accountID, on: db)
        guard try await Passwords.verify(input.current, hash: account.passwordHash, app: app) else {
            throw Refusal("当前密码不正确", field: "current")
        }
        let hash = try await Passwords.hash(input.new, app: app)
        try await app.writer.write(db) { db in
            let account = try await actor.scope.account(actor.accountID, on: db)
            account.passwordHash = hash
            account.mustChangePassword = false
            try await account.save(on: db)
            try await SessionStore.closeOthers(accountID: actor.accountID, keeping: actor.sessionID, on: db)
            try await Audit.record(on: db, actor: change.actor, at: change.now,
                                   unit: AuditUnit(id: actor.unitID, path: actor.unitPath),
                                   action: "account.change_password", entityType: "account", entityID: String(actor.accountID),
                                   summary: "修改了自己的密码", changes: [FieldChange(field: "密码", old: "(已隐藏)", new: "(已修改)")])
        }
    }

    /// Ends the caller's session, audited.
    static func signOut(_ actor: Actor, _ change: ChangeContext, on db: any Database) async throws {
        try await SessionStore.close(sessionID: actor.sessionID, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: actor.unitID, path: actor.unitPath),
                               action: "account.sign_out", entityType: "account", entityID: String(actor.accountID), summary: "退出登录")
    }

    private static func fields(_ account: Account) -> [String: String] {
        ["状态": account.disabled ? "已停用" : "正常", "须修改密码": account.mustChangePassword ? "是" : "否"]
    }
}
