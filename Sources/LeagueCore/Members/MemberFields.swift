import Foundation

/// A member record as typed into the form or read from one CSV row, checked field by field.
/// The branch is resolved by the caller, who knows the tree.
public struct MemberDraft: Sendable, Equatable {
    public var name: String
    public var gender: Gender
    public var ethnicity: String
    public var residentID: ResidentID
    public var phone: String?
    public var education: Education
    public var occupation: Occupation
    public var partyStatus: PartyStatus
    public var joinedOn: CalendarDate
    public var memberNumber: String
    public var developmentNumber: String?
    public var holdsLeaguePost: Bool

    public init(name: String, gender: Gender, ethnicity: String, residentID: ResidentID, phone: String?, education: Education,
                occupation: Occupation, partyStatus: PartyStatus, joinedOn: CalendarDate, memberNumber: String,
                developmentNumber: String?, holdsLeaguePost: Bool) {
        self.name = name
        self.gender = gender
        self.ethnicity = ethnicity
        self.residentID = residentID
        self.phone = phone
        self.education = education
        self.occupation = occupation
        self.partyStatus = partyStatus
        self.joinedOn = joinedOn
        self.memberNumber = memberNumber
        self.developmentNumber = developmentNumber
        self.holdsLeaguePost = holdsLeaguePost
    }
}

public enum MemberFields {
    /// Form field names, with the Chinese headers of the import template in the same order.
    public static let columns: [(field: String, header: String)] = [
        ("name", "姓名"), ("gender", "性别"), ("ethnicity", "民族"), ("residentID", "身份证号"),
        ("birthDate", "出生日期"), ("phone", "手机"), ("education", "学历"), ("occupation", "职业"),
        ("partyStatus", "政治面貌"), ("joinedOn", "入团日期"), ("memberNumber", "团员编号"),
        ("developmentNumber", "发展编号"), ("branch", "所在团支部"),
    ]

    public static func field(forHeader header: String) -> String? {
        let text = header.trimmingCharacters(in: .whitespaces)
        return columns.first { $0.header == text || $0.field == text }?.field
    }

    /// Checks every field; returns the draft or the message for each wrong field.
    public static func parse(_ values: [String: String], today: CalendarDate) -> Result<MemberDraft, Problems> {
        var errors: [String: String] = [:]
        func check<T>(_ field: String, _ body: () throws -> T) -> T? {
            do { return try body() } catch let problem as FormField.Problem { errors[field] = problem.message } catch {}
            return nil
        }
        let name = check("name") { try FormField.requiredText(values["name"], label: "姓名", min: 2, max: 30) }
        var id: ResidentID?
        if let raw = check("residentID", { try FormField.requiredText(values["residentID"], label: "身份证号", max: 30) }) {
            switch ResidentID.parse(raw, today: today) {
            case .success(let parsed): id = parsed
            case .failure(let problem): errors["residentID"] = problem.message
            }
        }
        var gender: Gender?
        if let raw = values["gender"]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            gender = Gender(input: raw)
            if gender == nil { errors["gender"] = "性别只能是“男”或“女”" }
        }
        if let id, let typed = gender, typed != id.gender {
            errors["gender"] = "性别与身份证号码不符（号码显示为\(id.gender.label)）"
        }
        if let id, let typed = check("birthDate", { try FormField.date(values["birthDate"], label: "出生日期") }) ?? nil,
           typed != id.birthDate {
            errors["birthDate"] = "出生日期与身份证号码不符（号码显示为 \(id.birthDate)）"
        }
        let ethnicity = check("ethnicity") { try FormField.requiredText(values["ethnicity"], label: "民族", max: 10) }
        if let ethnicity, !Ethnicity.isValid(ethnicity) {
            errors["ethnicity"] = Ethnicity.isValid(ethnicity + "族") ? "请写民族全称，如“\(ethnicity)族”" : "“\(ethnicity)”不是 56 个民族之一"
        }
        let phone = check("phone") { try FormField.phone(values["phone"], label: "手机") } ?? nil
        let education = choice(Education.self, values["education"], field: "education", label: "学历", errors: &errors)
        let occupation = choice(Occupation.self, values["occupation"], field: "occupation", label: "职业", errors: &errors)
        let party: PartyStatus? = (values["partyStatus"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty
            ? PartyStatus.none : choice(PartyStatus.self, values["partyStatus"], field: "partyStatus", label: "政治面貌", errors: &errors)
        let joined = check("joinedOn") { try FormField.date(values["joinedOn"], label: "入团日期", required: true) } ?? nil
        if let joined {
            if joined > today {
                errors["joinedOn"] = "入团日期不能晚于今天"
            } else if let id {
                let age = MembershipAge.age(born: id.birthDate, on: joined)
                if !MembershipAge.joining.contains(age) {
                    errors["joinedOn"] = "入团时须年满 14 周岁、未满 28 周岁（按此日期入团时为 \(age) 岁）"
                }
            }
        }
        let number = check("memberNumber") { try FormField.requiredText(values["memberNumber"], label: "团员编号", max: 20) }
        if let number, !number.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            errors["memberNumber"] = "团员编号只能包含字母、数字和 -"
        }
        let development = check("developmentNumber") { try FormField.text(values["developmentNumber"], label: "发展编号", required: false, max: 12) } ?? nil
        if let development, !(development.count == 12 && development.allSatisfy(\.isASCIIDigit)) {
            errors["developmentNumber"] = "发展编号应为 12 位数字"
        }
        let post = ["1", "true", "on", "是", "有"].contains((values["holdsLeaguePost"] ?? "").trimmingCharacters(in: .whitespaces))
        guard errors.isEmpty, let name, let id, let ethnicity, let education, let occupation, let party, let joined, let number else {
            return .failure(Problems(messages: errors))
        }
        return .success(MemberDraft(name: name, gender: id.gender, ethnicity: ethnicity, residentID: id, phone: phone,
                                    education: education, occupation: occupation, partyStatus: party, joinedOn: joined,
                                    memberNumber: number, developmentNumber: development, holdsLeaguePost: post))
    }

    public struct Problems: Error, Equatable, Sendable {
        public let messages: [String: String]
    }

    private static func choice<T: LabelledChoice>(_ type: T.Type, _ raw: String?, field: String, label: String,
                                                  errors: inout [String: String]) -> T? {
        let text = (raw ?? "").trimmingCharacters(in: .whitespaces)
        if text.isEmpty { errors[field] = "请选择\(label)"; return nil }
        guard let value = T(input: text) else {
            errors[field] = "\(label)应为：" + T.allCases.map(\.label).joined(separator: "、")
            return nil
        }
        return value
    }
}

