import Foundation

/// The fields of a form as browsers post it (application/x-www-form-urlencoded): every name
/// once, the last value winning, `+` as a space and %XX as UTF-8 bytes. Parsed by hand because
/// the burst of 青年大学习 completions spends more time in a general decoder than in its write.
public enum URLEncodedForm {
    /// The fields, or nil when an escape is not valid UTF-8 percent-encoding.
    public static func fields(_ body: Substring) -> [String: String]? {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else { return nil }
            fields[name] = value
        }
        return fields
    }

    private static func decode(_ text: Substring) -> String? {
        guard text.contains(where: { $0 == "+" || $0 == "%" }) else { return String(text) }
        return text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
