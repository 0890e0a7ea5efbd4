import LeagueCore

/// The registry's search form, sent in the address. A wrong field gets its message and the
/// search matches nothing.
struct MemberSearchForm: FormInput {
    var q: String?
    var number: String?
    var idNumber: String?
    var phone: String?
    var unit: String?
    var age: String?
    var gender: String?
    var education: String?
    var occupation: String?
    var sort: String?
    var dir: String?
    var overage: String?

    struct Valid: Sendable {
        let namePrefix: String?
        let memberNumber: String?
        /// A full ID number: searched for by its keyed hash (`MemberQueries.filter`).
        let residentID: ResidentID?
        let phone: String?
        /// A unit's code or full name, found within the caller's reach.
        let unit: String?
        let ageBand: AgeBand?
        let gender: Gender?
        let education: Education?
        let occupation: Occupation?
        let sort: MemberQueries.Sort
        let descending: Bool
        let overageOnly: Bool
    }

    /// Only members of 28 or more without a league post (超龄离团), asked for from the link or the form.
    var overageOnly: Bool { overage == "1" }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let name = check.check("q") { try FormField.text(q, label: "姓名", required: false, max: 30) }
        let number = check.check("number") { try FormField.text(self.number, label: "团员编号", required: false, max: 20) }
        let phone = check.check("phone") { try FormField.text(self.phone, label: "手机", required: false, max: 20) }
        var residentID: ResidentID?
        if let idNumber {
            switch ResidentID.parse(idNumber, today: today) {
            case .success(let id): residentID = id
            case .failure(let problem): check.errors["idNumber"] = problem.message
            }
        }
        func choice<T: RawRepresentable>(_ field: String, _ raw: String?) -> T?? where T.RawValue == String {
            guard let raw else { return .some(nil) }
            guard let value = T(rawValue: raw) else {
                check.errors[field] = "请从列表中选择"
                return nil
            }
            return value
        }
        let ageBand: AgeBand?? = choice("age", age)
        let gender: Gender?? = choice("gender", self.gender)
        let education: Education?? = choice("education", self.education)
        let occupation: Occupation?? = choice("occupation", self.occupation)
        let sort: MemberQueries.Sort?? = choice("sort", self.sort)
        guard let name, let number, let phone, let ageBand, let gender, let education, let occupation, let sort, check.isValid else {
            return nil
        }
        return Valid(namePrefix: name, memberNumber: number, residentID: residentID, phone: phone, unit: unit, ageBand: ageBand,
                     gender: gender, education: education, occupation: occupation, sort: sort ?? .name, descending: dir == "desc",
                     overageOnly: overageOnly)
    }
}

/// A member's record as registered or corrected; the fields are checked together by
/// `MemberFields`, the branch is found within the caller's reach by the write.
struct MemberForm: FormInput {
    var name: String?
    var gender: String?
    var ethnicity: String?
    var residentID: String?
    var birthDate: String?
    var phone: String?
    var education: String?
    var occupation: String?
    var partyStatus: String?
    var joinedOn: String?
    var memberNumber: String?
    var developmentNumber: String?
    var branch: String?
    var holdsLeaguePost: String?

    struct Valid: Sendable {
        let draft: MemberDraft
        /// The branch's code or full name.
        let branch: String
    }

    /// A correction leaves the ID field empty to keep the stored number.
    func keepingResidentID(_ stored: String) -> MemberForm {
        var form = self
        if (residentID ?? "").trimmingCharacters(in: .whitespaces).isEmpty { form.residentID = stored }
        return form
    }

    private var fields: [String: String] {
        let pairs: [(String, String?)] = [
            ("name", name), ("gender", gender), ("ethnicity", ethnicity), ("residentID", residentID), ("birthDate", birthDate),
            ("phone", phone), ("education", education), ("occupation", occupation), ("partyStatus", partyStatus),
            ("joinedOn", joinedOn), ("memberNumber", memberNumber), ("developmentNumber", developmentNumber),
            ("holdsLeaguePost", holdsLeaguePost),
        ]
        return Dictionary(uniqueKeysWithValues: pairs.compactMap { key, value in value.map { (key, $0) } })
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        var draft: MemberDraft?
        switch MemberFields.parse(fields, today: today) {
        case .success(let parsed): draft = parsed
        case .failure(let problems): check.errors.merge(problems.messages) { first, _ in first }
        }
        let branch = check.check("branch") { try FormField.requiredText(self.branch, label: "所在团支部（代码或全称）", max: 60) }
        guard let draft, let branch else { return nil }
        return Valid(draft: draft, branch: branch)
    }
}

/// The import's upload form besides its file: the branch of rows that name none.
struct MemberImportForm: FormInput {
    var branch: String?

    struct Valid: Sendable {
        let defaultBranch: String?
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let typed = (branch ?? "").trimmingCharacters(in: .whitespaces)
        return Valid(defaultBranch: typed.isEmpty ? nil : String(typed.prefix(60)))
    }
}

/// What to do with a checked file: import its good rows, or nothing.
struct MemberImportDecisionForm: FormInput {
    var mode: String?

    enum Mode: String, Sendable {
        case good
        case nothing = "none"
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Mode? {
        guard let mode = mode.flatMap(Mode.init) else {
            check.errors["mode"] = "请选择“只导入正确的行”或“全部不导入”"
            return nil
        }
        return mode
    }
}
