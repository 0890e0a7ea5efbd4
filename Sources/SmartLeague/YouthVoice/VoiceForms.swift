import Foundation
import LeagueCore

/// A young person's question; a visitor adds the light account it opens (name, username, password).
struct VoiceAskForm: FormInput {
    var category: String?
    var district: String?
    var title: String?
    var body: String?
    var phone: String?
    var mayPublish: String?
    var anonymous: String?
    var name: String?
    var username: String?
    var password: String?
    var confirm: String?
    /// A visitor's form is checked against its own cookie: they have no session to hold a token.
    var csrf: String?

    /// What the form shows again: never the passwords or the token.
    static let notShownAgain: Set<String> = ["password", "confirm", "csrf"]

    struct Valid: Sendable {
        var question: VoiceWrites.Question
        /// The light account's fields, for a visitor.
        let name: String?
        let username: String?
        let password: String?
    }

    /// `visitor`: no one is signed in, so the light account's fields are required.
    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        validate(&check, visitor: false)
    }

    func validate(_ check: inout FormState, visitor: Bool) -> Valid? {
        let categoryID = check.check("category") { try FormField.id(category, label: "问题类别") }
        let districtID = check.check("district") { try FormField.id(district, label: "所在区县（市）") }
        let title = check.check("title") { try FormField.requiredText(self.title, label: "标题", min: 4, max: 40) }
        let body = check.check("body") { try FormField.requiredText(self.body, label: "问题或诉求", min: 10, max: 2000) }
        let phone = check.check("phone") { try FormField.phone(self.phone, label: "手机") } ?? nil
        var name: String?, username: String?, password: String?
        if visitor {
            name = check.check("name") { try FormField.requiredText(self.name, label: "称呼", max: 30) }
            username = check.check("username") { try Username.check(self.username) }
            password = check.newPassword(self.password, confirm: confirm)
        }
        guard let categoryID, let districtID, let title, let body, !visitor || (name != nil && username != nil && password != nil) else { return nil }
        return Valid(question: .init(categoryID: categoryID, districtID: districtID, title: title, body: body, phone: phone,
                                     mayPublish: FormState.ticked(mayPublish), anonymous: FormState.ticked(anonymous)),
                     name: name, username: username, password: password)
    }
}

/// The asker's rating, and whether they ask for the item to be handled again.
struct VoiceRatingForm: FormInput {
    var rating: String?
    var reopen: String?

    struct Valid: Sendable {
        let rating: VoiceRating
        let reopen: Bool
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        guard let rating = rating.flatMap(VoiceRating.init(rawValue:)) else {
            check.errors["rating"] = "请选择满意、基本满意或不满意"
            return nil
        }
        return Valid(rating: rating, reopen: FormState.ticked(reopen))
    }
}

/// A cadre's answer, published with the question when the asker allowed it and the cadre ticks it.
struct VoiceAnswerForm: FormInput {
    var answer: String?
    var publish: String?

    struct Valid: Sendable {
        let answer: String
        let publish: Bool
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        guard let answer = check.check("answer", { try FormField.requiredText(self.answer, label: "答复内容", min: 5, max: 2000) }) else { return nil }
        return Valid(answer: answer, publish: FormState.ticked(publish))
    }
}

/// Passing an item to a unit below, or back to the unit above with a reason.
struct VoicePassForm: FormInput {
    var unit: String?
    var reason: String?

    struct Valid: Sendable {
        let unitID: Int
        let reason: String?
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let unitID = check.check("unit") { try FormField.id(unit, label: "转办单位") }
        let reason = check.check("reason") { try FormField.text(self.reason, label: "理由", required: false, max: 200) } ?? nil
        guard let unitID else { return nil }
        return Valid(unitID: unitID, reason: reason)
    }
}

/// A new category of questions.
struct VoiceCategoryForm: FormInput {
    var name: String?

    func validate(_ check: inout FormState, today: CalendarDate) -> String? {
        check.check("name") { try FormField.requiredText(self.name, label: "类别名称", max: 12) }
    }
}

/// A routing rule: a district, a category or every category, and the unit its items go to.
struct VoiceRuleForm: FormInput {
    var ruleDistrict: String?
    var ruleCategory: String?
    var ruleUnit: String?

    struct Valid: Sendable {
        let districtID: Int
        let categoryID: Int?
        let unit: String
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let districtID = check.check("ruleDistrict") { try FormField.id(ruleDistrict, label: "区县（市）") }
        let categoryID: Int? = (ruleCategory ?? "").isEmpty ? nil : check.check("ruleCategory") { try FormField.id(ruleCategory, label: "问题类别") }
        let unit = check.check("ruleUnit") { try FormField.requiredText(ruleUnit, label: "承办单位（名称或代码）", max: 60) }
        guard let districtID, let unit else { return nil }
        return Valid(districtID: districtID, categoryID: categoryID, unit: unit)
    }
}

/// The deadlines in working days and the reopening limit.
struct VoicePolicyForm: FormInput {
    var acceptDays: String?
    var answerDays: String?
    var reopenLimit: String?

    func validate(_ check: inout FormState, today: CalendarDate) -> VoicePolicy? {
        func days(_ raw: String?, _ field: String, _ label: String, _ range: ClosedRange<Int>) -> Int? {
            guard let value = Int((raw ?? "").trimmingCharacters(in: .whitespaces)), range.contains(value) else {
                check.errors[field] = "\(label)应为 \(range.lowerBound)–\(range.upperBound) 之间的整数"
                return nil
            }
            return value
        }
        let accept = days(acceptDays, "acceptDays", "受理期限", 1...10)
        let answer = days(answerDays, "answerDays", "答复期限", 1...60)
        let reopen = days(reopenLimit, "reopenLimit", "可重新办理次数", 0...3)
        guard let accept, let answer, let reopen else { return nil }
        guard accept <= answer else {
            check.errors["answerDays"] = "答复期限不能短于受理期限"
            return nil
        }
        return VoicePolicy(acceptDays: accept, answerDays: answer, reopenLimit: reopen)
    }
}

/// A day of the working calendar: a weekday off, or a weekend day worked.
struct WorkingCalendarDayForm: FormInput {
    var day: String?
    var kind: String?
    var note: String?

    struct Valid: Sendable {
        let day: CalendarDate
        let kind: WorkingCalendarDay.Kind
        let note: String
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let day = check.check("day") { try FormField.date(self.day, label: "日期", required: true) } ?? nil
        let kind = kind.flatMap(WorkingCalendarDay.Kind.init(rawValue:))
        if kind == nil { check.errors["kind"] = "请选择放假或调休上班" }
        let note = check.check("note") { try FormField.requiredText(self.note, label: "说明（如：春节）", max: 20) }
        guard let day, let kind, let note else { return nil }
        if kind == .holiday && WorkingCalendar.weekday(day) > 5 {
            check.errors["day"] = "该日为周末，本就不上班；放假日请填写工作日"
            return nil
        }
        if kind == .workday && WorkingCalendar.weekday(day) <= 5 {
            check.errors["day"] = "调休上班日应为周六或周日"
            return nil
        }
        return Valid(day: day, kind: kind, note: note)
    }
}
