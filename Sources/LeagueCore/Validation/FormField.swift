import Foundation

/// Checks on what people type into forms; each failure carries the Chinese message shown beside the field.
public enum FormField {
    public struct Problem: Error, Equatable, Sendable {
        public let message: String
        public init(_ message: String) { self.message = message }
    }

    /// Trims the text and checks its length; an empty optional field becomes nil.
    public static func text(_ raw: String?, label: String, required: Bool, min: Int = 1, max: Int) throws(Problem) -> String? {
        let value = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty {
            if required { throw Problem("请填写\(label)") }
            return nil
        }
        if value.contains(where: { $0.isNewline }) && max <= 200 { throw Problem("\(label)不能换行") }
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\r" && $0 != "\t" }) {
            throw Problem("\(label)含有不可见的控制字符")
        }
        if value.count < min { throw Problem("\(label)至少 \(min) 个字") }
        if value.count > max { throw Problem("\(label)不能超过 \(max) 个字") }
        return value
    }

    /// A year as typed in a form: four digits, 2000–2100.
    public static func year(_ raw: String?) throws(Problem) -> Int {
        guard let year = Int((raw ?? "").trimmingCharacters(in: .whitespaces)), (2000...2100).contains(year) else {
            throw Problem("年度应为四位年份")
        }
        return year
    }

    public static func requiredText(_ raw: String?, label: String, min: Int = 1, max: Int) throws(Problem) -> String {
        guard let value = try text(raw, label: label, required: true, min: min, max: max) else { throw Problem("请填写\(label)") }
        return value
    }

    /// A mainland mobile number (11 digits starting with 1) or a landline such as 0574-87654321.
    public static func phone(_ raw: String?, label: String = "联系电话") throws(Problem) -> String? {
        guard let value = try text(raw, label: label, required: false, max: 20) else { return nil }
        let mobile = value.count == 11 && value.hasPrefix("1") && value.allSatisfy(\.isASCIIDigit)
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        let landline = parts.count == 2 && parts[0].hasPrefix("0") && (3...4).contains(parts[0].count)
            && (7...8).contains(parts[1].count) && parts.allSatisfy { $0.allSatisfy(\.isASCIIDigit) }
        guard mobile || landline else { throw Problem("\(label)格式不正确（手机 11 位，或如 0574-87654321 的固定电话）") }
        return value
    }

    /// A calendar date written YYYY-MM-DD (as an HTML date input sends it), checked to exist.
    public static func date(_ raw: String?, label: String, required: Bool = false) throws(Problem) -> CalendarDate? {
        guard let value = try text(raw, label: label, required: required, max: 10) else { return nil }
        guard let date = CalendarDate(value) else { throw Problem("\(label)不是有效日期（格式：年-月-日）") }
        return date
    }

    /// A time of day written HH:MM (as an HTML time input sends it), in minutes after midnight.
    public static func minuteOfDay(_ raw: String?, label: String) throws(Problem) -> Int {
        let parts = (raw ?? "").trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute) else {
            throw Problem("\(label)格式应为 09:00")
        }
        return hour * 60 + minute
    }

    /// A positive whole number, such as an id chosen in a form.
    public static func id(_ raw: String?, label: String) throws(Problem) -> Int {
        guard let raw, let value = Int(raw.trimmingCharacters(in: .whitespaces)), value > 0 else {
            throw Problem("请选择\(label)")
        }
        return value
    }
}

extension Character {
    /// One of 0–9 and nothing else: a Character range would also take a digit with a combining
    /// mark ("1\u{301}" sorts between "1" and "2"), which `Int(_:)` then refuses.
    var isASCIIDigit: Bool { asciiValue.map(ASCIIDigits.isDigit) ?? false }
}
