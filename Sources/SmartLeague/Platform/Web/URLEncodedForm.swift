import Foundation

/// The fields of a form as browsers post it (application/x-www-form-urlencoded): every name
/// once, the last value winning, `+` as a space and %XX as UTF-8 bytes. Parsed by hand, on the
/// bytes, because the burst of 青年大学习 completions spends more time in a general decoder than
/// in its write.
enum URLEncodedForm {
    /// The fields, or nil when an escape is not valid UTF-8 percent-encoding.
    static func fields(_ body: Substring) -> [String: String]? {
        var fields: [String: String] = [:]
        for pair in body.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.endIndex
            let value = equals == pair.endIndex ? pair[equals...] : pair[pair.index(after: equals)...]
            guard let name = decode(pair[..<equals]), let value = decode(value) else { return nil }
            fields[name] = value
        }
        return fields
    }

    /// Whether a Content-Type header names this format, parameters (`; charset=…`) aside.
    static func isMediaType(_ contentType: String) -> Bool {
        let type = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }
        let name = "application/x-www-form-urlencoded".utf8
        let trimmed = type.drop { $0 == UInt8(ascii: " ") }.reversed().drop { $0 == UInt8(ascii: " ") }
        return trimmed.count == name.count && zip(trimmed.reversed(), name).allSatisfy { lowercase($0) == $1 }
    }

    private static func lowercase(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    private static func decode(_ text: Substring.UTF8View.SubSequence) -> String? {
        guard text.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) else { return String(Substring(text)) }
        return String(Substring(text)).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
