/// Signing in and out, and one's own password.
enum AuthRoute: SiteRoute {
    case login
    case logout
    /// Changing one's own password (forced after a one-time password).
    case password

    static let namespace = "auth"

    var segments: [Segment] {
        switch self {
        case .login: ["login"]
        case .logout: ["logout"]
        case .password: ["account", "password"]
        }
    }
}

/// 账号管理: the accounts in the caller's scope.
enum AccountRoute: SiteRoute {
    /// The list (GET) and creating an account (POST).
    case index
    case new
    /// unlock, resetPassword, disable or enable one account.
    case act(Param<Int>, Param<String>)

    static let namespace = "accounts"

    var segments: [Segment] {
        switch self {
        case .index: ["accounts"]
        case .new: ["accounts", "new"]
        case .act(let id, let action): ["accounts", .id(id), .word("action", action)]
        }
    }
}
