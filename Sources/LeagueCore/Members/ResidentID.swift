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

    /// The check character for the first 17 digits, or nil when `first17` is not 17 ASCII digits.
    public static func checkCharacter(for first17: String) -> Character? {
        let digits = Array(first17.utf8)
        guard digits.count == 17, digits.allSatisfy(ASCIIDigits.isDigit) else { return nil }
        return checkCharacter(digits: digits.map { Int($0 - UInt8(ascii: "0")) })
    }

    private static func checkCharacter(digits: [Int]) -> Character {
        checkCharacters[zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 } % 11]
    }

    /// Parses a typed number: spaces are dropped and a lowercase x is accepted. Read on Unicode
    /// scalars, so that a digit with a combining mark or a full-width digit is a wrong character,
    /// never a number.
    public init(_ raw: String, today: CalendarDate) throws(Problem) {
        let scalars = raw.unicodeScalars.filter { !$0.properties.isWhitespace }
        guard String(String.UnicodeScalarView(scalars)).count == 18 else { throw .length }
        guard scalars.count == 18 else { throw .characters }
        var digits: [Int] = []
        for scalar in scalars.prefix(17) {
            guard let digit = ASCIIDigits.value(of: scalar) else { throw .characters }
            digits.append(digit)
        }
        let last = scalars[scalars.index(before: scalars.endIndex)]
        let lastCharacter: Character
        if ASCIIDigits.value(of: last) != nil {
            lastCharacter = Character(last)
        } else if last == "X" || last == "x" {
            lastCharacter = "X"
        } else {
            throw .characters
        }
        func number(_ range: Range<Int>) -> Int { digits[range].reduce(0) { $0 * 10 + $1 } }
        guard Self.provinces.contains(String(number(0..<2))) else { throw .area }
        guard let birth = CalendarDate(year: number(6..<10), month: number(10..<12), day: number(12..<14)) else { throw .birthDate }
        guard birth <= today else { throw .futureBirthDate }
        let expected = Self.checkCharacter(digits: digits)
        guard lastCharacter == expected else { throw .checkDigit(expected: expected) }
        value = digits.map(String.init).joined() + String(lastCharacter)
        birthDate = birth
        gender = digits[16] % 2 == 1 ? .male : .female
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
