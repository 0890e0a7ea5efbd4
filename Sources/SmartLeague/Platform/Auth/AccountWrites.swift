import Fluent
import LeagueCore
import Vapor

/// Creating accounts and the admin actions on them; each write audited in its own transaction.
enum AccountWrites {
    struct NewAccount: Sendable {
        let username: String
        let displayName: String
        let kind: AccountKind
        /// An administrator's unit; a member's account takes the branch of `memberID`.
        let unitID: Int?
        var memberID: Int? = nil
    }

    /// Creates an account with a one-time password that must be changed at first sign-in.
    /// `passwordHash` is computed by the caller outside the transaction (bcrypt is slow).
    static func create(_ new: NewAccount, passwordHash: String, _ change: ChangeContext, on db: any Database) async throws -> Account {
        var unitID = new.unitID
        if new.kind == .member {
            guard let id = new.memberID, let member = try await PartRegistry.memberDirectory?.member(id: id, in: change.scope, on: db) else {
                throw Refusal("找不到该团员，或不在您的管理范围内", field: "memberNumber")
            }
            if try await Scope.unrestricted.accounts(on: db).filter(\.$memberID == member.id).count() > 0 {
                throw Refusal("团员 \(member.name) 已有账号", field: "memberNumber")
            }
            unitID = member.branchID
        }
        guard let unit = try? await change.scope.activeOrganization(unitID, on: db) else {
            throw Refusal("找不到该组织，或它不在您的管理范围内", field: "unit")
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
        account.memberID = new.kind == .member ? new.memberID : nil
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

    private static func fields(_ account: Account) -> [String: String] {
        ["状态": account.disabled ? "已停用" : "正常", "须修改密码": account.mustChangePassword ? "是" : "否"]
    }
}
