import Foundation
import LeagueCore

// MARK: Public and own pages

/// The public real-name registration: who the person is, where they live, and the account to open.
struct VolunteerRegisterForm: FormInput {
    var name: String?
    var residentID: String?
    var phone: String?
    var district: String?
    var username: String?
    var password: String?
    var confirm: String?
    /// Checked against the form's own cookie: a visitor has no session to hold a token.
    var csrf: String?

    /// What the form shows again: never the passwords or the token.
    static let notShownAgain: Set<String> = ["password", "confirm", "csrf"]

    struct Valid: Sendable {
        let name: String
        let residentID: ResidentID
        let phone: String?
        let districtID: Int
        let username: String
        let password: String
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let name = check.check("name") { try FormField.requiredText(self.name, label: "姓名", max: 30) }
        let residentID = check.check("residentID") { () throws -> ResidentID in
            switch ResidentID.parse(self.residentID ?? "", today: today) {
            case .success(let id): return id
            case .failure(let problem): throw FormField.Problem(problem.message)
            }
        }
        let phone = check.check("phone") { try FormField.phone(self.phone, label: "手机") }
        let districtID = check.check("district") { try FormField.id(district, label: "所在区县（市）") }
        let username = check.check("username") { try Username.check(self.username) }
        let password = check.newPassword(self.password, confirm: confirm)
        guard let name, let residentID, let phone, let districtID, let username, let password else { return nil }
        return Valid(name: name, residentID: residentID, phone: phone, districtID: districtID, username: username, password: password)
    }
}

/// A member answers whether they made the registration that carries their ID number.
struct VolunteerTakeUpForm: FormInput {
    var mine: String?

    struct Valid: Sendable {
        let mine: Bool
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        Valid(mine: mine == "1")
    }
}

/// The code shown on site, typed or carried by the QR code's link.
struct CheckInCodeForm: FormInput {
    var code: String?

    struct Valid: Sendable {
        let code: String
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        Valid(code: code ?? "")
    }
}

/// A volunteer's objection to one of their records.
struct ServiceDisputeForm: FormInput {
    var reason: String?

    struct Valid: Sendable {
        let reason: String
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let reason = check.check("reason") { try FormField.requiredText(self.reason, label: "异议理由", max: 300) }
        return reason.map(Valid.init)
    }
}

// MARK: Cadres' pages

/// The hours for one to five stars, as typed: "2,3,6,10,15".
struct StarPolicyForm: FormInput {
    var stars: String?

    func validate(_ check: inout FormState, today: CalendarDate) -> StarPolicy? {
        let hours = (stars ?? "").split(whereSeparator: { $0 == "," || $0 == "，" || $0 == " " }).map { Int($0) }
        if hours.contains(where: { $0 == nil }) { check.errors["stars"] = "请填写五个整数小时，用逗号分隔" }
        return StarPolicy(hours: hours.compactMap { $0 })
    }
}

/// A group or team asked for: its unit is named by code or full name, its parent chosen.
struct VolunteerGroupForm: FormInput {
    var name: String?
    var contact: String?
    var unit: String?
    var parent: String?
    var independent: String?

    struct Valid: Sendable {
        let name: String
        let contact: String
        /// The league unit's code or full name, found by the write within the caller's reach.
        let unit: String
        let parentID: Int?
        let independent: Bool
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let name = check.check("name") { try FormField.requiredText(self.name, label: "组织名称", min: 2, max: 60) }
        let contact = check.check("contact") { try FormField.requiredText(self.contact, label: "联系人及电话", max: 60) }
        guard let name, let contact else { return nil }
        return Valid(name: name, contact: contact, unit: unit ?? "", parentID: parent.flatMap { Int($0) }, independent: independent == "1")
    }
}

/// Approving a group or not, with the note a refusal needs.
struct VolunteerGroupDecisionForm: FormInput {
    var note: String?
    var decision: String?

    struct Valid: Sendable {
        let approve: Bool
        let note: String?
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let note = check.check("note") { try FormField.text(self.note, label: "审批意见", required: false, max: 200) }
        guard let note else { return nil }
        return Valid(approve: decision == "approve", note: note)
    }
}

/// A project declared by an approved group.
struct VolunteerProjectForm: FormInput {
    var title: String?
    var summary: String?
    var year: String?
    var group: String?
    var district: String?
    var category: String?

    func validate(_ check: inout FormState, today: CalendarDate) -> VolunteerOrganizing.NewProject? {
        let title = check.check("title") { try FormField.requiredText(self.title, label: "项目名称", min: 2, max: 60) }
        let summary = check.check("summary") { try FormField.requiredText(self.summary, label: "项目简介", max: 1000) }
        let year = check.check("year") { try FormField.year(self.year) }
        let groupID = check.check("group") { try FormField.id(group, label: "志愿服务组织") }
        let districtID = check.check("district") { try FormField.id(district, label: "服务区县（市）") }
        guard let title, let summary, let year, let groupID, let districtID else { return nil }
        // The category is checked against the list by the write, beside the group's own checks.
        return VolunteerOrganizing.NewProject(groupID: groupID, title: title, category: category ?? "", summary: summary,
                                              districtID: districtID, year: year)
    }
}

/// Publishing, rejecting or closing a project. A decision not among these is not a form this
/// site sends: it is filed under `decision`, which the page answers as a bad request.
struct VolunteerProjectDecisionForm: FormInput {
    var note: String?
    var decision: String?

    struct Valid: Sendable {
        let decision: VolunteerOrganizing.ProjectDecision
        let note: String?
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let note = check.check("note") { try FormField.text(self.note, label: "审核意见", required: false, max: 200) }
        let decision = check.check("decision") { () throws -> VolunteerOrganizing.ProjectDecision in
            guard let chosen = VolunteerOrganizing.ProjectDecision(rawValue: self.decision ?? "") else { throw FormField.Problem("请选择审核结果") }
            return chosen
        }
        guard let note, let decision else { return nil }
        return Valid(decision: decision, note: note)
    }
}

/// Posts of a project: one slot a day, each day from `start` to `end`.
struct VolunteerPostsForm: FormInput {
    var title: String?
    var place: String?
    var requirements: String?
    var capacity: String?
    var start: String?
    var end: String?
    var days: String?
    var approval: String?

    struct Valid: Sendable {
        let title: String
        let place: String
        let requirements: String
        let capacity: Int
        let needsApproval: Bool
        let days: [CalendarDate]
        let startMinute: Int
        let endMinute: Int
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let title = check.check("title") { try FormField.requiredText(self.title, label: "岗位名称", min: 2, max: 60) }
        let place = check.check("place") { try FormField.requiredText(self.place, label: "服务地点", max: 100) }
        let requirements = check.check("requirements") { try FormField.text(self.requirements, label: "岗位要求", required: false, max: 500) }
        let capacity = check.check("capacity") { () throws -> Int in
            guard let number = Int((self.capacity ?? "").trimmingCharacters(in: .whitespaces)) else { throw FormField.Problem("招募人数应为整数") }
            return number
        }
        let start = check.check("start") { try FormField.minuteOfDay(self.start, label: "开始时间") }
        let end = check.check("end") { try FormField.minuteOfDay(self.end, label: "结束时间") }
        let days = check.check("days") { () throws -> [CalendarDate] in
            var days: [CalendarDate] = []
            for text in (self.days ?? "").split(whereSeparator: { $0.isNewline || $0 == "," || $0 == "，" || $0 == " " }) {
                guard let day = CalendarDate(String(text)) else { throw FormField.Problem("日期「\(text)」格式应为 2026-12-05") }
                days.append(day)
            }
            guard !days.isEmpty else { throw FormField.Problem("请填写服务日期") }
            return Array(Set(days)).sorted()
        }
        guard let title, let place, let requirements, let capacity, let start, let end, let days else { return nil }
        return Valid(title: title, place: place, requirements: requirements ?? "", capacity: capacity, needsApproval: approval == "1",
                     days: days, startMinute: start, endMinute: end)
    }
}

/// Who signs a certificate and the number to call.
struct VolunteerCertificateForm: FormInput {
    var personInCharge: String?
    var contact: String?

    struct Valid: Sendable {
        let personInCharge: String
        let contact: String
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let person = check.check("personInCharge") { try FormField.requiredText(personInCharge, label: "负责人", max: 30) }
        let contact = check.check("contact") { () throws -> String in
            guard let phone = try FormField.phone(self.contact, label: "联系电话") else { throw FormField.Problem("请填写联系电话") }
            return phone
        }
        guard let person, let contact else { return nil }
        return Valid(personInCharge: person, contact: contact)
    }
}

/// Settling a repeated ID number: granted to the new account or refused, with the note a refusal needs.
struct VolunteerIdentityDecisionForm: FormInput {
    var note: String?
    var decision: String?

    struct Valid: Sendable {
        let grant: Bool
        let note: String?
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let note = check.check("note") { try FormField.text(self.note, label: "核实说明", required: false, max: 200) }
        guard let note else { return nil }
        return Valid(grant: decision == "grant", note: note)
    }
}

/// Honour hours for an accepted volunteer who served without clocking.
struct HonorHoursForm: FormInput {
    var volunteer: String?
    var hours: String?
    var reason: String?

    struct Valid: Sendable {
        let volunteerID: Int
        let minutes: Int
        let reason: String?
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let volunteerID = check.check("volunteer") { try FormField.id(volunteer, label: "志愿者") }
        let minutes = check.check("hours") { try ServiceHoursText.minutes(hours, problem: "时长应为小时数，最多一位小数，如 1.5") }
        let reason = check.check("reason") { try FormField.text(self.reason, label: "补录理由", required: false, max: 200) }
        guard let volunteerID, let minutes, let reason else { return nil }
        return Valid(volunteerID: volunteerID, minutes: minutes, reason: reason)
    }
}

/// An honour record corrected in place.
struct HonorCorrectionForm: FormInput {
    var hours: String?
    var reason: String?

    struct Valid: Sendable {
        let minutes: Int
        let reason: String?
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let minutes = check.check("hours") { try ServiceHoursText.minutes(hours, problem: "时长应为小时数，最多一位小数") }
        let reason = check.check("reason") { try FormField.text(self.reason, label: "更正理由", required: false, max: 200) }
        guard let minutes, let reason else { return nil }
        return Valid(minutes: minutes, reason: reason)
    }
}

/// The recording unit's answer to an objection: the record stands, or its hours are corrected.
struct ServiceDisputeResolveForm: FormInput {
    var reply: String?
    var outcome: String?
    var hours: String?

    struct Valid: Sendable {
        let reply: String
        /// Nil when the record stands.
        let correctedMinutes: Int?
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let reply = check.check("reply") { try FormField.requiredText(self.reply, label: "处理意见", max: 200) }
        var corrected: Int?
        if outcome == "correct" {
            corrected = check.check("hours") { try ServiceHoursText.minutes(hours, problem: "更正时长应为小时数，最多一位小数") }
            if corrected == nil { return nil }
        }
        guard let reply else { return nil }
        return Valid(reply: reply, correctedMinutes: corrected)
    }
}

/// Hours as typed ("1.5"), with the message the field shows otherwise.
enum ServiceHoursText {
    static func minutes(_ raw: String?, problem: String) throws -> Int {
        guard let minutes = ServiceTime.minutes(hoursText: raw ?? "") else { throw FormField.Problem(problem) }
        return minutes
    }
}

// MARK: Contests

struct VolunteerContestForm: FormInput {
    var title: String?
    var year: String?

    struct Valid: Sendable {
        let title: String
        let year: Int
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let title = check.check("title") { try FormField.requiredText(self.title, label: "大赛名称", min: 2, max: 60) }
        let year = check.check("year") { try FormField.year(self.year) }
        guard let title, let year else { return nil }
        return Valid(title: title, year: year)
    }
}

/// A judge named by their sign-in name; whether there is such an administrator is the write's to say.
struct ContestJudgeForm: FormInput {
    var username: String?

    func validate(_ check: inout FormState, today: CalendarDate) -> String? {
        (username ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }
}

struct ContestEntryForm: FormInput {
    var project: String?

    func validate(_ check: inout FormState, today: CalendarDate) -> Int? {
        check.check("project") { try FormField.id(project, label: "参赛项目") }
    }
}

/// A judge's scores: one field `score<entry id>` an entry, so the fields are kept as sent.
struct ContestScoresForm: FormInput {
    let fields: [String: String]

    init(from decoder: any Decoder) throws {
        fields = try decoder.singleValueContainer().decode([String: String].self)
    }

    /// Scores by entry id; an empty field is no score.
    func validate(_ check: inout FormState, today: CalendarDate) -> [Int: Int]? {
        var scores: [Int: Int] = [:]
        for (key, value) in fields where key.hasPrefix("score") && !value.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let entryID = Int(key.dropFirst(5)) else { continue }
            guard let score = Int(value.trimmingCharacters(in: .whitespaces)) else { check.errors["_form"] = "评分应为 0 到 100 的整数"; continue }
            scores[entryID] = score
        }
        return scores
    }
}

/// Closing a contest asks for nothing but the button.
struct ContestCloseForm: FormInput {
    func validate(_ check: inout FormState, today: CalendarDate) -> Bool? { true }
}
