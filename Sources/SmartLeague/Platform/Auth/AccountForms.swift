import LeagueCore

/// The sign-in form. Its token is checked against the sign-in cookie, not the session's, since
/// nobody is signed in yet.
struct SignInForm: Decodable, Sendable {
    var username: String?
    var password: String?
    var next: String?
    var csrf: String?

    /// Names are at most 32 characters; a longer one is only cut for counting and the message.
    var name: String { String((username ?? "").trimmingCharacters(in: .whitespaces).lowercased().prefix(64)) }
    var redirect: String { SafeRedirect.localPath(next) }
}

/// Changing one's own password. That the current password is right is the write's to check.
struct PasswordChangeForm: FormInput {
    var current: String?
    var new: String?
    var confirm: String?

    struct Valid: Sendable {
        let current: String
        let new: String
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let current = current ?? "", new = new ?? ""
        if current.isEmpty { check.errors["current"] = "请输入当前密码" }
        if let problem = PasswordPolicy.problem(with: new) {
            check.errors["new"] = problem.message
        } else if new == current {
            check.errors["new"] = PasswordPolicy.Problem.sameAsCurrent.message
        }
        if new != (confirm ?? "") { check.errors["confirm"] = PasswordPolicy.Problem.confirmationMismatch.message }
        return Valid(current: current, new: new)
    }

    static let rules = "至少 \(PasswordPolicy.minimumLength) 位，须同时包含字母和数字。"
}

/// A new account: an administrator names a unit, a member's account a member number.
struct NewAccountForm: FormInput {
    var username: String?
    var displayName: String?
    var kind: String?
    var unit: String?
    var memberNumber: String?

    func validate(_ check: inout FormState, today: CalendarDate) -> AccountWrites.NewAccount? {
        let username = check.check("username") { try Username.check(self.username) }
        let displayName = check.check("displayName") { try FormField.requiredText(self.displayName, label: "姓名", max: 30) }
        let kind = AccountKind(rawValue: self.kind ?? "").flatMap { AccountKind.assignable.contains($0) ? $0 : nil }
        if kind == nil { check.errors["kind"] = "请选择账号类型" }
        var holder: AccountWrites.Holder?
        if kind == .member {
            holder = check.check("memberNumber") { .memberNumber(try FormField.requiredText(memberNumber, label: "团员编号", max: 20)) }
        } else if kind != nil {
            holder = check.check("unit") { .unitNamed(try FormField.requiredText(unit, label: "所属组织（代码或全称）", max: 60)) }
        }
        guard let username, let displayName, let kind, let holder else { return nil }
        return AccountWrites.NewAccount(username: username, displayName: displayName, kind: kind, holder: holder)
    }
}

/// The account list's search, in the address.
struct AccountSearchForm: FormInput {
    var q: String?

    /// A longer text is cut rather than refused: the list has no place for a message, and a refused
    /// search would list everyone.
    func validate(_ check: inout FormState, today: CalendarDate) -> String? {
        String((q ?? "").trimmingCharacters(in: .whitespaces).prefix(40))
    }
}
