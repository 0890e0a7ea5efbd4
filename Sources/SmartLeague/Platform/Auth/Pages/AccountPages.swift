import LeagueCore

/// 账号管理: one page of the accounts in scope, with the actions each allows.
struct AccountListPage: Encodable {
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

    let rows: [Row]
    let pagination: Pagination
    let q: String

    init(_ list: AccountQueries.List, search: String, selfID: Int) {
        rows = list.accounts.map { account in
            let id = account.id
            let locked = list.locked.contains(SignIn.subject(account.username))
            return Row(id: id, username: account.username, displayName: account.displayName,
                       kindLabel: account.kind.label, unitName: list.unitNames[account.organizationID] ?? "",
                       status: account.disabled ? "已停用" : (locked ? "已锁定" : (account.mustChangePassword ? "待首次登录" : "正常")),
                       isLocked: locked, disabled: account.disabled, isSelf: id == selfID)
        }
        pagination = list.pagination
        q = search
    }
}

/// The form for a new account.
struct NewAccountPage: Encodable {
    let form: FormState
    let kinds: [Choice]

    init(form: FormState) {
        self.form = form
        kinds = AccountKind.assignable.map { Choice(value: $0.rawValue, label: $0.label) }
    }
}

/// A new account or a reset, with the one-time password shown this once.
struct AccountCreatedPage: Encodable {
    let username: String
    let displayName: String
    let unitName: String
    let password: String
    let reset: Bool
}

/// Sign-in: the token the form carries and what was typed, with the reason it was refused.
struct SignInPage: Encodable {
    let csrf: String
    let next: String
    let username: String
    let error: String?
}

/// Changing one's own password; `forced` after signing in with a one-time password.
struct PasswordPage: Encodable {
    let forced: Bool
    let form: FormState
    let rules = PasswordChangeForm.rules
}
