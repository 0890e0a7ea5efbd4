import Foundation

/// Reads what a page offers a user: its links and its forms with their fields and the values the
/// page fills in, with regular expressions (the pages are ours and well-formed).
enum PageScraper {
    struct Field: Sendable {
        let name: String
        /// The value the page fills in (or the first choice of a select), empty when none.
        let value: String
        /// True for a file input: the field goes as an upload.
        let isFile: Bool
    }

    struct Form: Sendable {
        let action: String
        let method: String
        let multipart: Bool
        let fields: [Field]
    }

    static func links(in html: String) -> [String] {
        matches(#"href="(/[^"]*)""#, in: html).map { unescape($0[1]) }
    }

    static func forms(in html: String, page: String) -> [Form] {
        matches(#"(?s)<form\b([^>]*)>(.*?)</form>"#, in: html).map { match in
            let attributes = match[1], body = match[2]
            let action = attribute("action", in: attributes).map(unescape) ?? page
            let method = (attribute("method", in: attributes) ?? "get").lowercased()
            let multipart = attribute("enctype", in: attributes)?.contains("multipart") ?? false
            var fields: [Field] = []
            for element in matches(#"(?s)<(input|select|textarea|button)\b([^>]*)>(.*?)(?=<(?:input|select|textarea|button|/form)\b|$)"#, in: body) {
                let tag = element[1], attrs = element[2], inner = element[3]
                guard let name = attribute("name", in: attrs).map(unescape) else { continue }
                let type = attribute("type", in: attrs)?.lowercased() ?? ""
                var value = attribute("value", in: attrs).map(unescape) ?? ""
                if tag == "select" {
                    let options = matches(#"<option\b([^>]*)>([^<]*)"#, in: inner)
                    let chosen = options.first { $0[1].contains("selected") } ?? options.first { !(attribute("value", in: $0[1]) ?? $0[2]).isEmpty }
                    value = chosen.map { attribute("value", in: $0[1]).map(unescape) ?? unescape($0[2]) } ?? ""
                } else if tag == "textarea" {
                    value = unescape(String(inner.prefix { $0 != "<" }))
                }
                fields.append(Field(name: name, value: value, isFile: type == "file"))
            }
            return Form(action: action, method: method, multipart: multipart, fields: fields)
        }
    }

    private static func attribute(_ name: String, in attributes: String) -> String? {
        matches("\\b\(name)=\"([^\"]*)\"", in: attributes).first?[1]
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    private static func matches(_ pattern: String, in text: String) -> [[String]] {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return expression.matches(in: text, range: range).map { match in
            (0..<match.numberOfRanges).map { index in
                Range(match.range(at: index), in: text).map { String(text[$0]) } ?? ""
            }
        }
    }
}
