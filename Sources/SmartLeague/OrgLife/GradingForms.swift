import LeagueCore

/// The city opens a year's round, with optional caps on the top levels.
struct GradingRoundForm: FormInput {
    var year: String?
    var fiveStarCap: String?
    var fourStarCap: String?

    struct Valid: Sendable {
        let year: Int
        let fiveStarCap: Int?
        let fourStarCap: Int?
    }

    /// A cap in percent, or none when left empty.
    private static func cap(_ raw: String?) throws(FormField.Problem) -> Int? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let value = Int(raw), (1...100).contains(value) else { throw FormField.Problem("上限应为 1 到 100 的整数（百分比）") }
        return value
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let year = check.check("year") { try FormField.year(self.year) }
        let five = check.check("fiveStarCap") { try Self.cap(fiveStarCap) }
        let four = check.check("fourStarCap") { try Self.cap(fourStarCap) }
        guard let year, let five, let four else { return nil }
        return Valid(year: year, fiveStarCap: five, fourStarCap: four)
    }
}

/// Item scores typed in fields named a prefix and the item (`score-impact`), each filed under
/// its own field when wrong.
private func itemScores(_ fields: [String: String], prefix: String, _ check: inout FormState) -> [GradingItem: Int] {
    var scores: [GradingItem: Int] = [:]
    for item in GradingItem.allCases {
        let key = "\(prefix)-\(item.rawValue)"
        guard let raw = fields[key]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { continue }
        if let value = GradingRules.itemScore(raw) { scores[item] = value } else {
            check.errors[key] = "每项 0 到 \(GradingItem.points) 分的整数"
        }
    }
    return scores
}

/// A branch's self-assessment: a score and evidence per item, two signatures, saved or submitted.
struct SelfAssessmentForm: FormInput {
    var action: String?
    var secretary: String?
    var representative: String?
    /// The per-item fields, `score-<item>` and `evidence-<item>`.
    var items: [String: String]

    init(from decoder: any Decoder) throws {
        let fields = try [String: String](from: decoder)
        action = fields["action"]
        secretary = fields["secretary"]
        representative = fields["representative"]
        items = fields.filter { $0.key.hasPrefix("score-") || $0.key.hasPrefix("evidence-") }
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> GradingWrites.SelfAssessment? {
        let scores = itemScores(items, prefix: "score", &check)
        var evidence: [GradingItem: String] = [:]
        for item in GradingItem.allCases {
            let key = "evidence-\(item.rawValue)"
            if let text = check.check(key, { try FormField.text(items[key], label: "佐证材料说明", required: false, max: 2000) }) ?? nil {
                evidence[item] = text
            }
        }
        let secretary = check.check("secretary") { try FormField.text(self.secretary, label: "支部书记签名", required: false, max: 30) }
        let representative = check.check("representative") {
            try FormField.text(self.representative, label: "团员代表签名", required: false, max: 30)
        }
        guard check.isValid, let secretary, let representative else { return nil }
        return GradingWrites.SelfAssessment(scores: scores, evidence: evidence, secretary: secretary, representative: representative,
                                            submit: action == "submit")
    }
}

/// The level above scores each item and ticks the vetoes found, or sends the sheet back.
struct GradingReviewForm: FormInput {
    var action: String?
    var comment: String?
    /// The per-item fields, `review-<item>` and `veto-<veto>`.
    var items: [String: String]

    init(from decoder: any Decoder) throws {
        let fields = try [String: String](from: decoder)
        action = fields["action"]
        comment = fields["comment"]
        items = fields.filter { $0.key.hasPrefix("review-") || $0.key.hasPrefix("veto-") }
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> GradingWrites.Review? {
        let scores = itemScores(items, prefix: "review", &check)
        let vetoes = GradingVeto.allCases.filter { items["veto-\($0.rawValue)"] == "1" }
        let comment = check.check("comment") { try FormField.text(self.comment, label: "审核意见", required: false, max: 2000) }
        guard check.isValid, let comment else { return nil }
        return GradingWrites.Review(scores: scores, vetoes: vetoes, comment: comment, sendBack: action == "sendBack")
    }
}
