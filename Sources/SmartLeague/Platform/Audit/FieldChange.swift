import Foundation

/// One field's old and new value in an audited write.
struct FieldChange: Codable, Equatable, Sendable {
    let field: String
    let old: String
    let new: String

    init(field: String, old: String, new: String) {
        self.field = field
        self.old = old
        self.new = new
    }

    /// The fields whose values differ between two snapshots, in field order; a field missing on
    /// one side counts as empty there.
    static func between(_ before: [String: String], _ after: [String: String]) -> [FieldChange] {
        Set(before.keys).union(after.keys).sorted().compactMap { field in
            let old = before[field] ?? "", new = after[field] ?? ""
            return old == new ? nil : FieldChange(field: field, old: old, new: new)
        }
    }

    /// Every non-empty field of a record as it was created.
    static func created(_ after: [String: String]) -> [FieldChange] {
        between([:], after)
    }
}

extension FieldChange {
    /// The JSON array the audit log stores: `[{"field":…,"old":…,"new":…}]`, written by hand
    /// because Foundation's encoder costs more than the row insert itself in a large import.
    static func json(_ changes: [FieldChange]) -> String {
        "[" + changes.map { "{\"field\":\(JSONText.quoted($0.field)),\"old\":\(JSONText.quoted($0.old)),\"new\":\(JSONText.quoted($0.new))}" }
            .joined(separator: ",") + "]"
    }
}

extension FieldChange {
    /// The changes an audit entry stores, as `json(_:)` wrote them. Read by hand for the reason
    /// they are written by hand: Foundation's decoder took a fifth of the audit log page, fifty
    /// entries of a few changes each. Text in any other shape (another writer's order, spacing
    /// or escapes) is read by `decoder`; text that is not such JSON at all reads as no changes.
    static func stored(_ json: String, decoder: JSONDecoder) -> [FieldChange] {
        if let read = readWritten(json) { return read }
        return (try? decoder.decode([FieldChange].self, from: Data(json.utf8))) ?? []
    }

    /// Exactly what `json(_:)` writes, or nil.
    static func readWritten(_ json: String) -> [FieldChange]? {
        var json = json
        return json.withUTF8 { bytes in
            var reader = WrittenChangesReader(bytes: bytes)
            return reader.changes()
        }
    }
}

/// Reads `[{"field":…,"old":…,"new":…},…]` with JSONText's escapes, nothing else.
private struct WrittenChangesReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    mutating func changes() -> [FieldChange]? {
        guard take("[") else { return nil }
        var changes: [FieldChange] = []
        if take("]") { return index == bytes.count ? changes : nil }
        repeat {
            guard take("{\"field\":"), let field = string(), take(",\"old\":"), let old = string(),
                  take(",\"new\":"), let new = string(), take("}") else { return nil }
            changes.append(FieldChange(field: field, old: old, new: new))
        } while take(",")
        return take("]") && index == bytes.count ? changes : nil
    }

    /// Whether the text goes on with `expected` (ASCII), moving past it if so.
    private mutating func take(_ expected: StaticString) -> Bool {
        let count = expected.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        for offset in 0..<count where bytes[index + offset] != expected.utf8Start[offset] { return false }
        index += count
        return true
    }

    /// A string literal: runs without escapes are copied as they are.
    private mutating func string() -> String? {
        guard take("\"") else { return nil }
        var text = ""
        var run = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                text += String(decoding: UnsafeBufferPointer(rebasing: bytes[run..<index]), as: UTF8.self)
                index += 1
                return text
            }
            guard byte == UInt8(ascii: "\\") else {
                guard byte >= 0x20 else { return nil }
                index += 1
                continue
            }
            text += String(decoding: UnsafeBufferPointer(rebasing: bytes[run..<index]), as: UTF8.self)
            guard index + 1 < bytes.count else { return nil }
            index += 2
            switch bytes[index - 1] {
            case UInt8(ascii: "\""): text += "\""
            case UInt8(ascii: "\\"): text += "\\"
            case UInt8(ascii: "n"): text += "\n"
            case UInt8(ascii: "r"): text += "\r"
            case UInt8(ascii: "t"): text += "\t"
            case UInt8(ascii: "u"):
                // JSONText writes \u only for control characters; anything else is another writer's.
                guard bytes.count - index >= 4 else { return nil }
                let digits = UnsafeBufferPointer(rebasing: bytes[index..<index + 4])
                guard digits.allSatisfy({ UInt8(ascii: "0")...UInt8(ascii: "9") ~= $0 || UInt8(ascii: "a")...UInt8(ascii: "f") ~= $0 }),
                      let value = UInt32(String(decoding: digits, as: UTF8.self), radix: 16),
                      value < 0x20, let scalar = Unicode.Scalar(value) else { return nil }
                text.unicodeScalars.append(scalar)
                index += 4
            default: return nil
            }
            run = index
        }
        return nil
    }
}
