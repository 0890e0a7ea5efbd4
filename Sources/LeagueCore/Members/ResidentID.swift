/// The 18-digit resident identity number (居民身份证号码, GB 11643-1999): 6-digit area code,
/// 8-digit birth date, 3-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2
/// check character, which may be X.
public struct ResidentID: Hashable, Sendable, CustomStringConvertible {
    public let value: String
    public let birthDate: CalendarDate
    public let gender: Gender

    public enum Problem: Error, Equatable, Sendable {
        case length, characters, area, birthDate, futureBirthDate, checkDigit(expected: Character)

        public var message: String {
            switch self {
            case .length: "身份证号码应为 18 位"
            case .characters: "身份证号码前 17 位应为数字，最后一位为数字或 X"
            case .area: "身份证号码的地区码不存在"
            case .birthDate: "身份证号码中的出生日期不存在"
            case .futureBirthDate: "身份证号码中的出生日期晚于今天"
            case .checkDigit: "身份证号码校验位不正确，请核对"
            }
        }
    }

    /// Province-level prefixes of area codes in use (GB/T 2260).
    static let provinces: Set<String> = [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82", "83",
    ]

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// The check character for the first 17 digits.
    public static func checkCharacter(for first17: String) -> Character {
        let sum = zip(first17, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return checkCharacters[sum % 11]
    }

    /// Parses a typed number: spaces are dropped and a lowercase x is accepted.
    public init(_ raw: String, today: CalendarDate) throws(Problem) {
        let text = raw.filter { !$0.isWhitespace }.uppercased()
        guard text.count == 18 else { throw .length }
        let chars = Array(text)
        guard chars[0..<17].allSatisfy(\.isASCIIDigit), chars[17].isASCIIDigit || chars[17] == "X" else { throw .characters }
        guard Self.provinces.contains(String(chars[0..<2])) else { throw .area }
        guard let birth = CalendarDate(year: Int(String(chars[6..<10]))!, month: Int(String(chars[10..<12]))!,
                                       day: Int(String(chars[12..<14]))!) else { throw .birthDate }
        guard birth <= today else { throw .futureBirthDate }
        let expected = Self.checkCharacter(for: String(chars[0..<17]))
        guard chars[17] == expected else { throw .checkDigit(expected: expected) }
        value = text
        birthDate = birth
        gender = Int(String(chars[16]))! % 2 == 1 ? .male : .female
    }

    /// The same check as the initialiser, as a value (untyped `catch` blocks lose the problem's type).
    public static func parse(_ raw: String, today: CalendarDate) -> Result<ResidentID, Problem> {
        do { return .success(try ResidentID(raw, today: today)) } catch { return .failure(error) }
    }

    public var description: String { masked }

    /// As lists and exports show it: the area code and the last four characters (330203********1234).
    public var masked: String { Self.mask(value) }

    public static func mask(_ value: String) -> String {
        guard value.count == 18 else { return String(repeating: "*", count: value.count) }
        return String(value.prefix(6)) + String(repeating: "*", count: 8) + String(value.suffix(4))
    }
}

public enum Gender: String, Codable, Sendable, CaseIterable {
    case male, female

    public var label: String { self == .male ? "男" : "女" }

    public init?(input: String) {
        if let value = Self(rawValue: input) { self = value } else if let value = Self.allCases.first(where: { $0.label == input }) { self = value } else { return nil }
    }
}
