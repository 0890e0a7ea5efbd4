import LeagueCore

/// A new year's scheme.
struct SchemeForm: FormInput {
    var year: String?
    var title: String?

    struct Valid: Sendable {
        let year: Int
        let title: String
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let year = check.check("year") { try FormField.year(self.year) }
        let title = check.check("title") { try FormField.requiredText(self.title, label: "考核名称", min: 4, max: 60) }
        guard let year, let title else { return nil }
        return Valid(year: year, title: title)
    }
}

/// An indicator added to a draft scheme.
struct IndicatorForm: FormInput {
    var name: String?
    var weight: String?
    var source: String?

    func validate(_ check: inout FormState, today: CalendarDate) -> Indicator? {
        let name = check.check("name") { try FormField.requiredText(self.name, label: "指标名称", max: 30) }
        let weight = check.check("weight") {
            guard let weight = Int(self.weight ?? ""), (1...100).contains(weight) else { throw FormField.Problem("权重须为 1 到 100 之间的整数") }
            return weight
        }
        let source = check.check("source") {
            guard let source = EvaluationSources.known(self.source) else { throw FormField.Problem("请选择计分方式") }
            return source
        }
        guard let name, let weight, let source else { return nil }
        return Indicator(name: name, weight: weight, source: source)
    }
}

/// A unit's self-report: the summary, and a score and a note per rated indicator, whose fields
/// are named after the indicators (`score12`, `note12`).
struct SelfReportForm: FormInput {
    var summary: String?
    /// "submit" hands the sheet to the city; anything else saves it.
    var action: String?
    var indicatorFields: [String: String]

    init(from decoder: any Decoder) throws {
        let fields = try decoder.singleValueContainer().decode([String: String].self)
        summary = fields["summary"]
        action = fields["action"]
        indicatorFields = fields.filter { $0.key.hasPrefix("score") || $0.key.hasPrefix("note") }
    }

    struct Valid: Sendable {
        let summary: String
        let entries: [Int: EvaluationWrites.SelfEntry]
        let submit: Bool
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let summary = check.check("summary") { try FormField.text(self.summary, label: "自评报告", required: false, max: 5000) }
        var entries: [Int: EvaluationWrites.SelfEntry] = [:]
        for (key, raw) in indicatorFields where key.hasPrefix("score") {
            guard let indicator = Int(key.dropFirst(5)) else { continue }
            let score = check.check(key) { () throws -> Int? in
                let trimmed = raw.trimmingCharacters(in: .whitespaces)
                let score = EvaluationRules.score(trimmed)
                if !trimmed.isEmpty && score == nil { throw FormField.Problem("自评分须为 0 到 100 之间的整数") }
                return score
            }
            let note = check.check("note\(indicator)") {
                try FormField.text(indicatorFields["note\(indicator)"], label: "说明", required: false, max: 1000)
            }
            entries[indicator] = .init(score: score ?? nil, note: note ?? nil)
        }
        guard let summary else { return nil }
        return Valid(summary: summary ?? "", entries: entries, submit: action == "submit")
    }
}

/// The city's review of a sheet: a score per rated indicator (`review12`), and a comment, which a
/// sending-back needs.
struct ReviewSheetForm: FormInput {
    var comment: String?
    /// "sendBack" sends the sheet back; anything else scores it.
    var action: String?
    var reviewFields: [String: String]

    init(from decoder: any Decoder) throws {
        let fields = try decoder.singleValueContainer().decode([String: String].self)
        comment = fields["comment"]
        action = fields["action"]
        reviewFields = fields.filter { $0.key.hasPrefix("review") }
    }

    struct Valid: Sendable {
        let scores: [Int: Int]
        let comment: String?
        let sendBack: Bool
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let comment = check.check("comment") { try FormField.text(self.comment, label: "审核意见", required: false, max: 2000) }
        var scores: [Int: Int] = [:]
        for (key, raw) in reviewFields {
            guard let indicator = Int(key.dropFirst(6)) else { continue }
            let score = check.check(key) { () throws -> Int? in
                if let score = EvaluationRules.score(raw) { return score }
                if !raw.trimmingCharacters(in: .whitespaces).isEmpty { throw FormField.Problem("审核分须为 0 到 100 之间的整数") }
                return nil
            }
            if let score = score ?? nil { scores[indicator] = score }
        }
        guard let comment else { return nil }
        return Valid(scores: scores, comment: comment, sendBack: action == "sendBack")
    }
}
