/// How many attempts of one kind a key (an account and an address, an address, a sign-up) may
/// make in a window of time. The counter is taken before the attempt is checked, so attempts that
/// arrive together cannot all pass: the first `limit` of a window go on, the rest are refused
/// until the window ends.
public struct RateLimit: Sendable, Equatable {
    /// Attempts allowed in one window.
    public let limit: Int
    /// Length of a window in seconds, counted from the first attempt in it.
    public let window: Int

    public init(limit: Int, window: Int) {
        self.limit = limit
        self.window = window
    }

    /// Whether the attempt that brought the window's count to `count` may go on.
    public func allows(count: Int) -> Bool { count <= limit }

    /// Whole minutes until a window ending at `windowEnds` (seconds since 1970) is over, at least one.
    public static func minutesLeft(windowEnds: Int, now: Int) -> Int {
        max(1, (windowEnds - now + 59) / 60)
    }
}

/// Sign-in (RULES.md §2, issue 15): failures are counted per typed name and client address, and
/// per client address, never per account alone, so that a stranger who guesses cannot lock a
/// cadre out from the cadre's own desk. A name that does not exist is counted and answered exactly
/// as one that does.
public enum SignInThrottle {
    /// Five attempts for one name from one address in fifteen minutes.
    public static let perNameAndAddress = RateLimit(limit: 5, window: 15 * 60)
    /// Thirty failures from one address in fifteen minutes, whatever the names: a school's
    /// shared address still signs in its class, a guesser trying many names is stopped.
    public static let perAddress = RateLimit(limit: 30, window: 15 * 60)

    public static let refusedMessage = "登录尝试过于频繁，请 15 分钟后再试；如忘记密码，请联系上级管理员重置。"
}

/// Uniqueness of people holds city-wide, but an administrator learns of a person outside their
/// reach only as "registered in another unit", and only so many times a day: past the limit the
/// account registers nobody new until the next day (decision 010).
public enum DuplicateChecks {
    /// Conflicts beyond the caller's reach an account is told of in 24 hours.
    public static let dailyLimit = 30

    public static let elsewhereMessage = "此人已在其他单位登记（团籍或入团申请），不能重复登记；如需转入本单位，请办理组织关系转接"
    public static let exhaustedMessage = "今日与其他单位登记重复的次数已达上限，为保护个人信息，本账号今日暂停登记新的人员；如确需办理，请联系上级团组织"
}

/// Check-in codes are six digits valid for two minutes: a million guesses cover them, a few do
/// not. Attempts are counted per sign-up and per account.
public enum CheckInAttempts {
    public static let perSignUp = RateLimit(limit: 5, window: 10 * 60)
    public static let perAccount = RateLimit(limit: 20, window: 60 * 60)
    public static let refusedMessage = "签到码尝试次数过多，请稍后再试，或请组织者现场为您登记"
}
