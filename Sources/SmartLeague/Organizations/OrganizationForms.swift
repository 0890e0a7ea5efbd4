import LeagueCore

/// A new unit below the one whose page it is: its name, short name and type.
struct NewChildForm: FormInput {
    var name: String?
    var shortName: String?
    var type: String?

    func validate(_ check: inout FormState, today: CalendarDate) -> OrganizationWrites.NewUnit? {
        let name = check.check("name") { try FormField.requiredText(self.name, label: "组织全称", min: 2, max: 60) }
        let shortName = check.check("shortName") { try FormField.requiredText(self.shortName, label: "简称", max: 20) }
        let type = OrganizationType(input: self.type ?? "")
        if type == nil { check.errors["type"] = "请选择组织类型" }
        guard let name, let shortName, let type else { return nil }
        return OrganizationWrites.NewUnit(name: name, shortName: shortName, type: type)
    }
}

/// The details a unit's administrator completes. The graduation date is kept only where the
/// caller may mark it (`UnitEdits.updateDetails`).
struct UnitDetailsForm: FormInput {
    var contactPerson: String?
    var contactPhone: String?
    var address: String?
    var establishedOn: String?
    var summary: String?
    var graduationDate: String?

    struct Valid: Sendable {
        let contactPerson: String?
        let contactPhone: String?
        let address: String?
        let establishedOn: CalendarDate?
        let summary: String?
        let graduationDate: CalendarDate?
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let person = check.check("contactPerson") { try FormField.text(contactPerson, label: "联系人", required: false, max: 30) }
        let phone = check.check("contactPhone") { try FormField.phone(contactPhone) }
        let address = check.check("address") { try FormField.text(self.address, label: "地址", required: false, max: 120) }
        let established = check.check("establishedOn") { try FormField.date(establishedOn, label: "成立日期") }
        let summary = check.check("summary") { try FormField.text(self.summary, label: "简介", required: false, max: 1000) }
        let graduation = check.check("graduationDate") { try FormField.date(graduationDate, label: "毕业日期") }
        if let day = established ?? nil, day > today {
            check.errors["establishedOn"] = "成立日期不能晚于今天"
        }
        guard let person, let phone, let address, let established, let summary, let graduation else { return nil }
        return Valid(contactPerson: person, contactPhone: phone, address: address, establishedOn: established, summary: summary,
                     graduationDate: graduation)
    }
}

/// A new name: given at once by an administrator above the unit, asked for by its own.
struct RenameUnitForm: FormInput {
    var name: String?
    var shortName: String?

    struct Valid: Sendable {
        let name: String
        let shortName: String
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let name = check.check("name") { try FormField.requiredText(self.name, label: "组织全称", min: 2, max: 60) }
        let shortName = check.check("shortName") { try FormField.requiredText(self.shortName, label: "简称", max: 20) }
        guard let name, let shortName else { return nil }
        return Valid(name: name, shortName: shortName)
    }
}

/// The unit to move a unit below, by code or full name.
struct MoveUnitForm: FormInput {
    var target: String?

    func validate(_ check: inout FormState, today: CalendarDate) -> String? {
        check.check("target") { try FormField.requiredText(self.target, label: "新上级组织的代码或全称", max: 60) }
    }
}

/// The branch a branch merges into, by code or full name.
struct MergeUnitForm: FormInput {
    var target: String?

    func validate(_ check: inout FormState, today: CalendarDate) -> String? {
        check.check("target") { try FormField.requiredText(self.target, label: "并入的团支部（代码或全称）", max: 60) }
    }
}

/// The unit's full name typed again, to confirm its dissolution.
struct DissolveUnitForm: FormInput {
    var confirm: String?

    struct Valid: Sendable {
        /// As typed: it must match the name exactly.
        let confirm: String
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        Valid(confirm: confirm ?? "")
    }
}

/// The reason of a rejected request; whether one is needed is the request's rule.
struct RejectRequestForm: FormInput {
    var reason: String?

    func validate(_ check: inout FormState, today: CalendarDate) -> String? {
        let reason = (self.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count <= 500 else {
            check.errors["reason"] = "驳回理由不能超过 500 个字。"
            return nil
        }
        return reason
    }
}
