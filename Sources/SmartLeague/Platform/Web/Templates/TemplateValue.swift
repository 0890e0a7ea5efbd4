import Foundation

/// A page's values as the compiled templates read them: what Leaf's `LeafData` holds, without its
/// optional wrapper and converter tables. The conversions below are Leaf's own (LeafKit 1.14's
/// `LeafData` and `ParameterResolver`), so a template means the same under either renderer; where
/// Leaf's meaning is not reproduced here (arrays and dictionaries compared or printed), the value
/// throws `TemplateUnsupported` and the page is rendered by Leaf instead.
enum TemplateValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([TemplateValue])
    case object(TemplateRecord)

    var isNil: Bool {
        if case .null = self { return true }
        return false
    }

    /// Leaf's `bool` (castable conversions only): 0 and 1, 0.0 and 1.0, "true" and "false".
    func castBool() throws -> Bool? {
        switch self {
        case .null: return nil
        case .bool(let value): return value
        case .int(let value): return value == 0 || value == 1 ? value == 1 : nil
        case .double(let value): return value == 0 || value == 1 ? value == 1 : nil
        case .string(let value): return Bool(value)
        case .array, .object: return nil
        }
    }

    /// Leaf's `string`: scalars as their description.
    func castString() throws -> String? {
        switch self {
        case .null: return nil
        case .bool(let value): return value.description
        case .int(let value): return value.description
        case .double(let value): return value.description
        case .string(let value): return value
        case .array, .object: throw TemplateUnsupported(reason: "a list or record read as text")
        }
    }

    /// Leaf's `int`: whole numbers, booleans as 1 and 0, and text that spells a whole number.
    func castInt() throws -> Int? {
        switch self {
        case .null, .double: return nil
        case .bool(let value): return value ? 1 : 0
        case .int(let value): return value
        case .string(let value): return Int(value)
        case .array, .object: throw TemplateUnsupported(reason: "a list or record read as a number")
        }
    }

    /// Leaf's `double`.
    func castDouble() throws -> Double? {
        switch self {
        case .null: return nil
        case .bool(let value): return value ? 1 : 0
        case .int(let value): return Double(value)
        case .double(let value): return value
        case .string(let value): return Double(value)
        case .array, .object: throw TemplateUnsupported(reason: "a list or record read as a number")
        }
    }

    /// The truth `!`, `&&` and `||` take: a boolean reading, else whether there is a value.
    func truth() throws -> Bool {
        try castBool() ?? !isNil
    }

    /// The truth `#if` takes: false only for false and for no value (`LeafSerializer`).
    var conditionHolds: Bool {
        switch self {
        case .null: return false
        case .bool(let value): return value
        default: return true
        }
    }

    /// Leaf's `==`: equal stored values, else (neither being nil) equal as text.
    func leafEquals(_ other: TemplateValue) throws -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.null, _), (_, .null): return false
        case (.array, _), (_, .array), (.object, _), (_, .object):
            throw TemplateUnsupported(reason: "a list or record compared")
        case (.string(let left), .string(let right)): return left == right
        case (.int(let left), .int(let right)): return left == right
        case (.bool(let left), .bool(let right)): return left == right
        case (.double(let left), .double(let right)): return left == right || left.description == right.description
        default: return try castString() == other.castString()
        }
    }
}

/// A record's fields in the order they were encoded. Up to sixteen fields (a list's row, most of
/// a page's records) a key is found by a scan from the last, which beats hashing it: 17 ns against
/// 52 ns at eight keys and no slower at sixteen (a `swiftc -O` loop over typical keys); larger
/// records keep an index. A key written twice keeps its last value, as in Leaf's encoder; a field
/// whose value is nil was written and then emptied (a nested value that encoded nothing) and reads
/// as no value.
struct TemplateRecord: Sendable, Equatable {
    struct Field: Sendable, Equatable {
        let key: String
        var value: TemplateValue?
    }

    /// One array, so that passing a record on costs one reference count.
    private let fields: [Field]
    /// The position of each key's last value, for records past the size a scan serves.
    private let index: [String: Int]?

    /// Past this many fields a record keeps an index.
    static let scanned = 16

    /// A record of values that are all there, in the order their type's `Codable` form writes them.
    init(_ pairs: KeyValuePairs<String, TemplateValue>) {
        self.init(pairs.map { Field(key: $0.key, value: $0.value) })
    }

    init(_ fields: [Field]) {
        self.fields = fields
        if fields.count > Self.scanned {
            var index: [String: Int] = Dictionary(minimumCapacity: fields.count)
            for (position, field) in fields.enumerated() { index[field.key] = position }
            self.index = index
        } else {
            index = nil
        }
    }

    subscript(key: String) -> TemplateValue? {
        if let index { return index[key].flatMap { fields[$0].value } }
        var position = fields.count
        while position > 0 {
            position -= 1
            if fields[position].key == key { return fields[position].value }
        }
        return nil
    }

    /// The keys that hold a value, as `#count` counts a dictionary's entries.
    var count: Int {
        var seen = Set<String>()
        var holding = 0
        for field in fields.reversed() where seen.insert(field.key).inserted && field.value != nil {
            holding += 1
        }
        return holding
    }
}

/// What the compiled renderer does not reproduce; the page is then rendered by Leaf.
struct TemplateUnsupported: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}
