/// Ways of leaving the league (RULES.md §5).
public enum LeavingKind: String, Codable, Sendable, CaseIterable {
    /// 超龄离团: at 28, unless holding a league post.
    case overage
    /// 退团: on written request, by decision of the branch meeting, filed upward.
    case withdrawal
    /// 自行脱团: six months without dues, meetings or work; the branch decides, the level above approves.
    case lapse

    public var label: String {
        switch self {
        case .overage: "超龄离团"
        case .withdrawal: "退团"
        case .lapse: "自行脱团"
        }
    }
}

public enum LeavingRules {
    /// Why a member may not leave as overage on `day`, or nil.
    public static func overageProblem(born: CalendarDate, holdsPost: Bool, on day: CalendarDate) -> String? {
        if holdsPost { return "担任团内职务，年满 28 周岁仍保留团籍" }
        let age = MembershipAge.age(born: born, on: day)
        return age < MembershipAge.leavingAge ? "未满 28 周岁（\(age) 岁）" : nil
    }

    /// The lapse condition: six months in a row without dues, and no meeting attended in the
    /// last six months.
    public static let lapseMonths = 6

    public static func lapseProblem(unpaidRun: Int, meetingsInSixMonths: Int) -> String? {
        if unpaidRun < lapseMonths { return "连续未交团费不足 \(lapseMonths) 个月（\(unpaidRun) 个月）" }
        if meetingsInSixMonths > 0 { return "近 6 个月参加过 \(meetingsInSixMonths) 次组织生活" }
        return nil
    }
}
