/// Reads one cookie from a Cookie header (`a=1; b=2`) without parsing the others: every signed-in
/// request needs only the session's, and a general parser costs the burst of 青年大学习
/// completions more than the lookup it leads to.
enum CookieHeader {
    /// The first cookie called `name`, without surrounding quotes; nil when there is none.
    static func value(named name: String, in header: String) -> String? {
        for pair in header.utf8.split(separator: UInt8(ascii: ";")) {
            let trimmed = pair.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            guard let equals = trimmed.firstIndex(of: UInt8(ascii: "=")),
                  trimmed[..<equals].elementsEqual(name.utf8) else { continue }
            var value = Substring(trimmed[trimmed.index(after: equals)...])
            while value.last == " " || value.last == "\t" { value.removeLast() }
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
            return String(value)
        }
        return nil
    }
}
