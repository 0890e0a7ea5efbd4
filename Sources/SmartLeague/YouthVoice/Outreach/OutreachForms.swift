import Foundation
import LeagueCore

/// A deputy for the roster.
struct DeputyForm: FormInput {
    var unit: String?
    var name: String?
    var role: String?
    var level: String?
    var sector: String?
    var phone: String?
    var studio: String?

    static let levels = ["全国", "省", "市", "区县（市）"]

    func validate(_ check: inout FormState, today: CalendarDate) -> OutreachWrites.NewDeputy? {
        let unitID = check.check("unit") { try FormField.id(unit, label: "所属单位") }
        let name = check.check("name") { try FormField.requiredText(self.name, label: "姓名", max: 30) }
        let role = role.flatMap(DeputyRole.init(rawValue:))
        if role == nil { check.errors["role"] = "请选择身份" }
        let level = level.flatMap { Self.levels.contains($0) ? $0 : nil }
        if level == nil { check.errors["level"] = "请选择层级" }
        let sector = check.check("sector") { try FormField.requiredText(self.sector, label: "界别或行业", max: 30) }
        let phone = check.check("phone") { try FormField.phone(self.phone) } ?? nil
        // No studio is a choice of its own (民意代表 and 成长导师 often sit in none).
        let studioID = (studio ?? "").isEmpty ? nil : check.check("studio") { try FormField.id(studio, label: "工作室") }
        guard let unitID, let name, let role, let level, let sector, check.errors["studio"] == nil else { return nil }
        return .init(unitID: unitID, name: name, role: role, level: level, sector: sector, phone: phone, studioID: studioID)
    }
}

/// A 代表委员青少年工作室 to found.
struct StudioForm: FormInput {
    var unit: String?
    var name: String?
    var foundedOn: String?

    func validate(_ check: inout FormState, today: CalendarDate) -> OutreachWrites.NewStudio? {
        let unitID = check.check("unit") { try FormField.id(unit, label: "设立单位") }
        let name = check.check("name") { try FormField.requiredText(self.name, label: "工作室名称", min: 2, max: 40) }
        var foundedOn = check.check("foundedOn") { try FormField.date(self.foundedOn, label: "设立日期", required: true) } ?? nil
        if let day = foundedOn, day > today {
            check.errors["foundedOn"] = "设立日期不能晚于今天"
            foundedOn = nil
        }
        guard let unitID, let name, let foundedOn else { return nil }
        return .init(unitID: unitID, name: name, foundedOn: foundedOn)
    }
}

/// A 面对面 meeting as recorded.
struct OutreachMeetingForm: FormInput {
    var unit: String?
    var heldOn: String?
    var title: String?
    var deputies: String?
    var youthCount: String?
    var topics: String?
    var needs: String?

    func validate(_ check: inout FormState, today: CalendarDate) -> OutreachWrites.NewMeeting? {
        let unitID = check.check("unit") { try FormField.id(unit, label: "举办单位") }
        let heldOn = check.check("heldOn") { try FormField.date(self.heldOn, label: "活动日期", required: true) } ?? nil
        let title = check.check("title") { try FormField.requiredText(self.title, label: "活动名称", max: 60) }
        let deputies = check.check("deputies") { try FormField.requiredText(self.deputies, label: "参加的代表委员", max: 200) }
        var count: Int?
        if let value = Int((youthCount ?? "").trimmingCharacters(in: .whitespaces)), (1...10_000).contains(value) { count = value }
        else { check.errors["youthCount"] = "参加青年人数应为 1–10000 的整数" }
        let topics = check.check("topics") { try FormField.requiredText(self.topics, label: "主题", max: 200) }
        let needs = check.check("needs") { try FormField.requiredText(self.needs, label: "青年提出的诉求", max: 2000) }
        guard let unitID, let heldOn, let title, let deputies, let count, let topics, let needs else { return nil }
        return .init(unitID: unitID, heldOn: heldOn, title: title, deputies: deputies, youthCount: count, topics: topics, needs: needs)
    }
}

/// A proposal from needs, given by their numbers.
struct ProposalForm: FormInput {
    var deputy: String?
    var title: String?
    var body: String?
    var session: String?
    var items: String?

    func validate(_ check: inout FormState, today: CalendarDate) -> OutreachWrites.NewProposal? {
        let deputyID = check.check("deputy") { try FormField.id(deputy, label: "代表委员") }
        let title = check.check("title") { try FormField.requiredText(self.title, label: "标题", max: 60) }
        let body = check.check("body") { try FormField.requiredText(self.body, label: "内容", min: 10, max: 5000) }
        let session = check.check("session") { try FormField.requiredText(self.session, label: "会议（如：市人大十七届三次会议）", max: 60) }
        let numbers = (items ?? "").split(whereSeparator: { " ,，、\n\r\t".contains($0) }).map(String.init)
        if numbers.isEmpty { check.errors["items"] = "请填写来源诉求的编号（QS 开头），多个用逗号分隔" }
        else if numbers.count > 50 || numbers.contains(where: { $0.count > 20 }) { check.errors["items"] = "诉求编号有误，最多 50 个" }
        guard let deputyID, let title, let body, let session, !numbers.isEmpty, check.errors["items"] == nil else { return nil }
        return .init(deputyID: deputyID, title: title, body: body, session: session, itemNumbers: Array(Set(numbers)).sorted())
    }
}

/// The next step of a proposal.
struct ProposalStepForm: FormInput {
    var status: String?
    var handlingUnit: String?
    var reply: String?
    var outcome: String?

    func validate(_ check: inout FormState, today: CalendarDate) -> OutreachWrites.Step? {
        guard let status = status.flatMap(ProposalStatus.init(rawValue:)) else {
            check.errors["status"] = "请选择办理状态"
            return nil
        }
        let handling = check.check("handlingUnit") { try FormField.text(handlingUnit, label: "承办单位", required: false, max: 60) } ?? nil
        let reply = check.check("reply") { try FormField.text(self.reply, label: "答复内容", required: false, max: 2000) } ?? nil
        let outcome = check.check("outcome") { try FormField.text(self.outcome, label: "办理结果", required: false, max: 2000) } ?? nil
        return .init(status: status, handlingUnit: handling, reply: reply, outcome: outcome)
    }
}

/// A young person a cadre keeps in touch with.
struct ContactForm: FormInput {
    var name: String?
    var phone: String?
    var note: String?

    func validate(_ check: inout FormState, today: CalendarDate) -> OutreachWrites.NewContact? {
        let name = check.check("name") { try FormField.requiredText(self.name, label: "姓名", max: 30) }
        let phone = check.check("phone") { try FormField.phone(self.phone) } ?? nil
        let note = check.check("note") { try FormField.requiredText(self.note, label: "基本情况（学校、单位或社区）", max: 200) }
        guard let name, let note else { return nil }
        return .init(name: name, phone: phone, note: note)
    }
}

/// One time in touch.
struct VisitForm: FormInput {
    var visitedOn: String?
    var way: String?
    var visitNote: String?

    struct Valid: Sendable {
        let day: CalendarDate
        let way: ContactWay
        let note: String
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let day = check.check("visitedOn") { try FormField.date(visitedOn, label: "日期", required: true) } ?? nil
        let way = way.flatMap(ContactWay.init(rawValue:))
        if way == nil { check.errors["way"] = "请选择联系方式" }
        let note = check.check("visitNote") { try FormField.requiredText(visitNote, label: "联系情况", max: 500) }
        guard let day, let way, let note else { return nil }
        return Valid(day: day, way: way, note: note)
    }
}

/// The cadence of 面对面 at the city and the districts, and the contact target per cadre.
struct OutreachPolicyForm: FormInput {
    var cityCadence: String?
    var districtCadence: String?
    var contactTarget: String?

    struct Valid: Sendable {
        let city: OutreachCadence
        let district: OutreachCadence
        let target: Int
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let city = cityCadence.flatMap(OutreachCadence.init(rawValue:))
        if city == nil { check.errors["cityCadence"] = "请选择团市委面对面的频次" }
        let district = districtCadence.flatMap(OutreachCadence.init(rawValue:))
        if district == nil { check.errors["districtCadence"] = "请选择区县面对面的频次" }
        var target: Int?
        if let value = Int((contactTarget ?? "").trimmingCharacters(in: .whitespaces)), (1...200).contains(value) { target = value }
        else { check.errors["contactTarget"] = "每名团干部联系青年数应为 1–200 的整数" }
        guard let city, let district, let target else { return nil }
        return Valid(city: city, district: district, target: target)
    }
}
