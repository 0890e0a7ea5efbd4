import LeagueCore

/// An administrator names a member by number and name and where they go.
struct StartTransferForm: FormInput {
    var memberNumber: String?
    var memberName: String?
    var target: String?
    var graduate: String?

    struct Valid: Sendable {
        let memberNumber: String
        let memberName: String
        let target: String
        let graduate: Bool
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let number = check.check("memberNumber") { try FormField.requiredText(memberNumber, label: "团员编号", max: 20) }
        let name = check.check("memberName") { try FormField.requiredText(memberName, label: "姓名", max: 30) }
        let target = check.check("target") { try FormField.requiredText(self.target, label: "接收单位（代码或全称）", max: 60) }
        guard let number, let name, let target else { return nil }
        return Valid(memberNumber: number, memberName: name, target: target, graduate: FormState.ticked(graduate))
    }
}

/// Where a whole class, or a member asking for themselves, goes.
struct TransferTargetForm: FormInput {
    var branch: String?
    var target: String?
    var graduate: String?

    struct Valid: Sendable {
        let branchID: Int?
        let target: String
        let graduate: Bool
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let target = check.check("target") { try FormField.requiredText(self.target, label: "转至单位（代码或全称）", max: 60) }
        let branchID = branch.flatMap { ASCIIDigits.number($0.trimmingCharacters(in: .whitespaces)) }
        guard let target else { return nil }
        return Valid(branchID: branchID, target: target, graduate: FormState.ticked(graduate))
    }
}

/// A decision on a transfer or a request: the reason of a refusal, the branch of a placement.
struct TransferDecisionForm: FormInput {
    var reason: String?
    var branch: String?

    struct Valid: Sendable {
        let reason: String?
        let branchID: Int?
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let reason = check.check("reason") { try FormField.text(self.reason, label: "理由", required: false, max: 200) }
        guard let reason else { return nil }
        return Valid(reason: reason, branchID: branch.flatMap { ASCIIDigits.number($0.trimmingCharacters(in: .whitespaces)) })
    }
}
