import LeagueCore

/// The members of the age-28 list ticked to leave, and the day.
struct OverageForm: FormInput {
    var day: String?
    /// Ticked members arrive as member-<id>=1.
    var ticked: [String: String]

    init(from decoder: any Decoder) throws {
        let fields = try [String: String](from: decoder)
        day = fields["day"]
        ticked = fields.filter { $0.key.hasPrefix(Self.member) }
    }

    static let member = "member-"

    struct Valid: Sendable {
        let memberIDs: [Int]
        let day: CalendarDate
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let day = check.check("day") { try FormField.date(self.day, label: "离团日期", required: true) } ?? nil
        let ids = ticked.keys.compactMap { Int($0.dropFirst(Self.member.count)) }
        if ids.isEmpty { check.errors["_form"] = "请勾选办理超龄离团的团员" }
        guard let day, !ids.isEmpty else { return nil }
        return Valid(memberIDs: ids, day: day)
    }
}

/// 退团: the member by number, the day of the branch meeting and the reason.
struct WithdrawalForm: FormInput {
    var memberNumber: String?
    var withdrawDay: String?
    var reason: String?

    struct Valid: Sendable {
        let memberNumber: String?
        let day: CalendarDate
        let reason: String
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let day = check.check("withdrawDay") { try FormField.date(withdrawDay, label: "支部大会日期", required: true) } ?? nil
        let reason = check.check("reason") { try FormField.requiredText(self.reason, label: "退团理由", max: 200) }
        guard let day, let reason else { return nil }
        return Valid(memberNumber: memberNumber, day: day, reason: reason)
    }
}

/// A branch's lapse decision: the member by number and the day of the branch meeting.
struct LapseForm: FormInput {
    var lapseNumber: String?
    var lapseDay: String?

    struct Valid: Sendable {
        let memberNumber: String?
        let day: CalendarDate
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let day = check.check("lapseDay") { try FormField.date(lapseDay, label: "支部大会日期", required: true) } ?? nil
        guard let day else { return nil }
        return Valid(memberNumber: lapseNumber, day: day)
    }
}
