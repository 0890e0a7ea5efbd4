/// Age rules of membership (团章 art. 1): young people from 14 to 28 join; at 28 a member without a
/// league post leaves (超龄离团).
public enum MembershipAge {
    public static let joining = 14...27
    public static let leavingAge = 28

    /// Whole years from `birth` to `day`.
    public static func age(born birth: CalendarDate, on day: CalendarDate) -> Int {
        let years = day.year - birth.year
        return (day.month, day.day) < (birth.month, birth.day) ? years - 1 : years
    }

    public static func isOverage(born birth: CalendarDate, on day: CalendarDate) -> Bool {
        age(born: birth, on: day) >= leavingAge
    }

    /// The latest birth date of someone who is at least `years` old on `day` (29 February rolls to 28).
    public static func latestBirthDate(forAge years: Int, on day: CalendarDate) -> CalendarDate {
        let year = max(1900, day.year - years)
        return CalendarDate(year: year, month: day.month, day: day.day) ?? CalendarDate(year: year, month: day.month, day: day.day - 1)!
    }
}

/// Age bands used by statistics and filters.
public enum AgeBand: String, CaseIterable, Codable, Sendable {
    case under18, from18to22, from23to25, from26to27, from28

    public var label: String {
        switch self {
        case .under18: "14–17 岁"
        case .from18to22: "18–22 岁"
        case .from23to25: "23–25 岁"
        case .from26to27: "26–27 岁"
        case .from28: "28 岁及以上"
        }
    }

    /// Inclusive ages; the last band is open-ended.
    public var ages: ClosedRange<Int> {
        switch self {
        case .under18: 0...17
        case .from18to22: 18...22
        case .from23to25: 23...25
        case .from26to27: 26...27
        case .from28: 28...120
        }
    }

    public static func of(age: Int) -> AgeBand {
        allCases.first { $0.ages.contains(age) } ?? .from28
    }

    /// Birth dates (inclusive) of those in this band on `day`.
    public func birthDates(on day: CalendarDate) -> ClosedRange<CalendarDate> {
        let latest = MembershipAge.latestBirthDate(forAge: ages.lowerBound, on: day)
        let before = MembershipAge.latestBirthDate(forAge: ages.upperBound + 1, on: day)
        let earliest = before.next
        return earliest...latest
    }
}

extension CalendarDate {
    /// The following day.
    public var next: CalendarDate {
        if let d = CalendarDate(year: year, month: month, day: day + 1) { return d }
        if let d = CalendarDate(year: year, month: month + 1, day: 1) { return d }
        return CalendarDate(year: year + 1, month: 1, day: 1)!
    }
}

/// Phones show only their first three and last four digits in lists.
public enum PhoneMask {
    public static func mask(_ phone: String) -> String {
        guard phone.count >= 8 else { return String(repeating: "*", count: phone.count) }
        return String(phone.prefix(3)) + String(repeating: "*", count: phone.count - 7) + String(phone.suffix(4))
    }
}
