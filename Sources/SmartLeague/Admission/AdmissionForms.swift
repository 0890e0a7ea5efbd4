import LeagueCore

/// An application as a branch registers it: the person, as the member record will be made from
/// them, and the day they applied.
struct ApplicationForm: FormInput {
    var branch: String?
    var appliedOn: String?
    var name: String?
    var residentID: String?
    var gender: String?
    var ethnicity: String?
    var phone: String?
    var education: String?
    var occupation: String?
    var partyStatus: String?

    /// The branch the form was for, to show it again.
    var branchID: Int? { branch.flatMap { Int($0) } }

    struct Valid: Sendable {
        let branchID: Int?
        let appliedOn: CalendarDate
        /// The registration fields as typed, checked by the use case as a member's would be.
        let person: [String: String]
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let appliedOn = check.check("appliedOn") { try FormField.date(self.appliedOn, label: "申请日期", required: true) } ?? nil
        guard let appliedOn else { return nil }
        let person = ["name": name, "residentID": residentID, "gender": gender, "ethnicity": ethnicity, "phone": phone,
                      "education": education, "occupation": occupation, "partyStatus": partyStatus].compactMapValues { $0 }
        return Valid(branchID: branchID, appliedOn: appliedOn, person: person)
    }
}

/// One step of an application: its day and what the step carries beyond it.
struct AdmissionStepForm: FormInput {
    var day: String?
    var note: String?
    var source: String?
    var mentors: String?
    var sponsors: String?
    var expected: String?
    var present: String?
    var yes: String?
    var no: String?
    var abstain: String?

    /// Names or numbers typed in one field, however they are separated.
    private static func list(_ raw: String?) -> [String] {
        (raw ?? "").split(whereSeparator: { ",，、 \n".contains($0) }).map(String.init)
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> AdmissionWrites.Details? {
        let day = check.check("day") { try FormField.date(self.day, label: "日期", required: true) } ?? nil
        let note = check.check("note") { try FormField.text(self.note, label: "说明", required: false, max: 500) }
        // The figures of a vote come only with the vote, and then every one of them.
        let tally = [expected, present, yes, no, abstain]
        var vote: BranchVote?
        if tally.contains(where: { $0 != nil }) {
            vote = check.check("vote") {
                let numbers = tally.compactMap { $0.flatMap { Int($0) }.flatMap { (0...100_000).contains($0) ? $0 : nil } }
                guard numbers.count == 5 else { throw FormField.Problem("请把应到、实到和表决票数填写完整（0 到 100000 的整数）") }
                return BranchVote(expected: numbers[0], present: numbers[1], yes: numbers[2], no: numbers[3], abstain: numbers[4])
            }
            if vote == nil { return nil }
        }
        guard let day, let note else { return nil }
        return AdmissionWrites.Details(day: day, note: note, source: source, mentors: Self.list(mentors), sponsors: Self.list(sponsors),
                                       vote: vote)
    }
}

/// The city's plan for a year.
struct QuotaTotalForm: FormInput {
    var year: String?
    var amount: String?

    /// The year the form was for, to show its plan again.
    var typedYear: Int? { try? FormField.year(year) }

    struct Valid: Sendable {
        let year: Int
        let amount: Int
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let year = check.check("year") { try FormField.year(self.year) }
        let amount = check.check("amount") {
            guard let amount = Int(self.amount ?? ""), (0...100_000_000).contains(amount) else { throw FormField.Problem("计划数应为非负整数") }
            return amount
        }
        guard let year, let amount else { return nil }
        return Valid(year: year, amount: amount)
    }
}

/// A unit's plan split among its children, a line of "单位 数量" each.
struct QuotaSplitForm: FormInput {
    var year: String?
    var lines: String?

    /// The year the form was for, to show its plan again.
    var typedYear: Int? { try? FormField.year(year) }

    struct Valid: Sendable {
        let year: Int
        let lines: String
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let year = check.check("year") { try FormField.year(self.year) }
        let lines = check.check("lines") { try FormField.requiredText(self.lines, label: "分配", max: 20000) }
        guard let year, let lines else { return nil }
        return Valid(year: year, lines: lines)
    }
}

/// The headcount of a graduating class.
struct GraduatingClassForm: FormInput {
    var branch: String?
    var level: String?
    var pupils: String?

    struct Valid: Sendable {
        let branchID: Int
        let level: GraduatingLevel
        let pupils: Int
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        // The row's one message line sits under the headcount.
        let level = check.check("pupils") {
            guard let level = GraduatingLevel(rawValue: self.level ?? "") else { throw FormField.Problem("请选择初中或高中毕业年级") }
            return level
        }
        guard let level else { return nil }
        return Valid(branchID: branch.flatMap { Int($0) } ?? -1, level: level, pupils: pupils.flatMap { Int($0) } ?? 0)
    }
}
