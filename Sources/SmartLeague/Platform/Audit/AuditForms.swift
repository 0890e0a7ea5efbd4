import LeagueCore

/// The log's search form, sent in the address: a date range, who, and which unit and below.
struct AuditFilterForm: FormInput {
    var from: String?
    var until: String?
    var actor: String?
    var unit: String?

    struct Valid: Sendable {
        let from: CalendarDate?
        let until: CalendarDate?
        let actor: String?
        /// A unit's code or full name, found within the caller's reach (`AuditQueries.filter`).
        let unit: String?
    }

    /// The fields that page along with the list.
    static let kept = ["from", "until", "actor", "unit"]

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let from = check.check("from") { try FormField.date(self.from, label: "开始日期") }
        let until = check.check("until") { try FormField.date(self.until, label: "结束日期") }
        let actor = check.check("actor") { try FormField.text(self.actor, label: "操作人", required: false, max: 40) }
        let unit = check.check("unit") { try FormField.text(self.unit, label: "组织", required: false, max: 60) }
        guard let from, let until, let actor, let unit else { return nil }
        return Valid(from: from, until: until, actor: actor, unit: unit)
    }
}
