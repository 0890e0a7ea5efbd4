import LeagueCore

/// A member's dues category and, for the salaried, their monthly income.
struct DuesProfileForm: FormInput {
    var member: String?
    var category: String?
    var income: String?

    struct Valid: Sendable {
        /// -1 when none was chosen: then no member is found.
        let memberID: Int
        let category: DuesCategory
        let incomeFen: Int
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let category = check.check("category") {
            guard let category = DuesCategory(rawValue: self.category ?? "") else { throw FormField.Problem("请选择团费类别") }
            return category
        }
        let income = check.check("income") {
            guard let fen = (self.income ?? "").isEmpty ? 0 : Money.fen(self.income ?? "") else { throw FormField.Problem("收入应为金额，如 3456.78") }
            return fen
        }
        guard let category, let income else { return nil }
        return Valid(memberID: Int(member ?? "") ?? -1, category: category, incomeFen: income)
    }
}

/// A month of a member's dues as the treasurer records it: paid, reduced or waived.
struct DuesPaymentForm: FormInput {
    var member: String?
    var month: String?
    var kind: String?
    var amount: String?
    var reason: String?

    struct Valid: Sendable {
        /// -1 when none was chosen: then no member is found.
        let memberID: Int
        /// As typed: the write checks it against the member and today.
        let month: String
        let kind: DuesPayment.Kind
        /// Nil for a payment at the member's due.
        let amountFen: Int?
        let reason: String?
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let kind = check.check("kind") {
            guard let kind = DuesPayment.Kind(rawValue: self.kind ?? "") else { throw FormField.Problem("请选择缴纳、减缴或免缴") }
            return kind
        }
        let amount = check.check("amount") { () throws -> Int? in
            guard let raw = self.amount, !raw.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            guard let fen = Money.fen(raw) else { throw FormField.Problem("金额应如 3.00，最多两位小数") }
            return fen
        }
        let reason = check.check("reason") { try FormField.text(self.reason, label: "理由", required: false, max: 200) }
        guard let kind, let amount, let reason else { return nil }
        return Valid(memberID: Int(member ?? "") ?? -1, month: month ?? "", kind: kind, amountFen: amount, reason: reason)
    }
}

/// The city's dues table: the flat rates, the income threshold, the rate above it and the cap.
struct DuesPolicyForm: FormInput {
    var flat: String?
    var farmer: String?
    var lowIncome: String?
    var threshold: String?
    var perMille: String?
    var cap: String?

    func validate(_ check: inout FormState, today: CalendarDate) -> DuesPolicy? {
        func money(_ field: String, _ raw: String?) -> Int? {
            check.check(field) {
                guard let fen = Money.fen(raw ?? "") else { throw FormField.Problem("应为金额，如 3.00") }
                return fen
            }
        }
        let flat = money("flat", self.flat), farmer = money("farmer", self.farmer), low = money("lowIncome", lowIncome)
        let threshold = money("threshold", self.threshold), cap = money("cap", self.cap)
        let perMille = check.check("perMille") {
            guard let perMille = Int(self.perMille ?? "") else { throw FormField.Problem("比例应为整数（‰）") }
            return perMille
        }
        guard let flat, let farmer, let low, let threshold, let perMille, let cap else { return nil }
        return DuesPolicy(flatFen: flat, farmerFen: farmer, lowIncomeFen: low, thresholdFen: threshold, perMille: perMille, capFen: cap)
    }
}
