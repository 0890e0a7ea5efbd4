import Foundation

/// Turns a page's `Encodable` values into `TemplateValue`s the way Leaf's `LeafEncoder` turns them
/// into `LeafData`: Leaf's own scalar types (`LeafDataRepresentable`: text, numbers, booleans,
/// `Date` as seconds since 1970, `UUID` as text) become scalars, everything else is encoded
/// through `Codable`; nils leave no key and no list item. Coding paths are not kept: no page value
/// reads them, and keeping them allocated an array per value.
enum TemplateValueEncoder {
    static func encode(_ value: some Encodable) throws -> TemplateValue {
        try box(value) ?? .object(TemplateRecord([]))
    }

    /// A value as Leaf holds it, or nil when it encoded nothing. The scalar types are told apart by
    /// their type's identity first: a page's records and lists, most of its values, then pass
    /// without a dynamic cast for each scalar type.
    fileprivate static func box<T: Encodable>(_ value: T) throws -> TemplateValue? {
        let type = ObjectIdentifier(T.self)
        if Scalars.all.contains(type) {
            switch value {
            case let text as String: return .string(text)
            case let number as Int: return .int(number)
            case let flag as Bool: return .bool(flag)
            case let number as Double: return real(number)
            case let date as Date: return .double(date.timeIntervalSince1970)
            case let id as UUID: return .string(id.description)
            case let number as Float: return Double(exactly: number).map(real) ?? .null
            case let number as any FixedWidthInteger: return whole(number)
            default: break
            }
        }
        if let spelled = value as? any TemplateValueSpelled { return spelled.templateValue }
        return try throughCodable(value)
    }

    /// A value through its `Encodable` form alone, as Leaf's encoder reads it (the rows it holds
    /// may still spell their own).
    static func throughCodable<T: Encodable>(_ value: T) throws -> TemplateValue? {
        let encoder = ValueEncoder()
        try value.encode(to: encoder)
        return encoder.resolved
    }

    /// Leaf's own scalar types (`LeafDataRepresentable`) that `Codable` reaches generically.
    private enum Scalars {
        static let all: Set<ObjectIdentifier> = [
            ObjectIdentifier(String.self), ObjectIdentifier(Int.self), ObjectIdentifier(Bool.self), ObjectIdentifier(Double.self),
            ObjectIdentifier(Date.self), ObjectIdentifier(UUID.self), ObjectIdentifier(Float.self),
            ObjectIdentifier(Int8.self), ObjectIdentifier(Int16.self), ObjectIdentifier(Int32.self), ObjectIdentifier(Int64.self),
            ObjectIdentifier(UInt.self), ObjectIdentifier(UInt8.self), ObjectIdentifier(UInt16.self), ObjectIdentifier(UInt32.self),
            ObjectIdentifier(UInt64.self),
        ]
    }

    /// Leaf keeps a number only where it is exactly a `Double`: not a NaN, which prints as nothing.
    fileprivate static func real(_ number: Double) -> TemplateValue {
        number.isNaN ? .null : .double(number)
    }

    fileprivate static func whole(_ number: some FixedWidthInteger) -> TemplateValue {
        Int(exactly: number).map(TemplateValue.int) ?? .null
    }
}

/// A row of a long list that spells its template value itself. Encoding a record through
/// `Codable` costs a container, a box and a look-up of generic metadata for each record and an
/// allocation for each value: the fifty entries of the audit log took a sixth of its CPU that way.
/// The value spelled must be the one `Codable` makes (`TemplateValueEncoder.throughCodable`),
/// since Leaf reads the `Encodable` form: debug builds render every page both ways and stop at a
/// difference, and `CompiledTemplateTests.rowsThatSpellTheirValueSpellWhatCodableMakes` compares
/// the two forms of each spelling type: a new one is added there.
protocol TemplateValueSpelled: Encodable {
    var templateValue: TemplateValue { get }
}

/// A container whose value is known once encoding has finished.
private protocol Resolvable: AnyObject {
    var resolved: TemplateValue? { get }
}

private enum Slot {
    case value(TemplateValue)
    case nested(any Resolvable)

    var resolved: TemplateValue? {
        switch self {
        case .value(let value): return value
        case .nested(let container): return container.resolved
        }
    }
}

private final class ValueEncoder: Encoder, SingleValueEncodingContainer, Resolvable {
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    private var slot: Slot?

    var resolved: TemplateValue? { slot?.resolved }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .nested(let existing as KeyedStorage) = slot { return KeyedEncodingContainer(KeyedContainer<Key>(storage: existing)) }
        let storage = KeyedStorage()
        slot = .nested(storage)
        return KeyedEncodingContainer(KeyedContainer<Key>(storage: storage))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .nested(let existing as UnkeyedStorage) = slot { return UnkeyedContainer(storage: existing) }
        let storage = UnkeyedStorage()
        slot = .nested(storage)
        return UnkeyedContainer(storage: storage)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    func encodeNil() throws {}
    func encode(_ value: Bool) throws { slot = .value(.bool(value)) }
    func encode(_ value: String) throws { slot = .value(.string(value)) }
    func encode(_ value: Double) throws { slot = .value(TemplateValueEncoder.real(value)) }
    func encode(_ value: Float) throws { slot = .value(Double(exactly: value).map(TemplateValueEncoder.real) ?? .null) }
    func encode(_ value: Int) throws { slot = .value(.int(value)) }
    func encode(_ value: Int8) throws { slot = .value(TemplateValueEncoder.whole(value)) }
    func encode(_ value: Int16) throws { slot = .value(TemplateValueEncoder.whole(value)) }
    func encode(_ value: Int32) throws { slot = .value(TemplateValueEncoder.whole(value)) }
    func encode(_ value: Int64) throws { slot = .value(TemplateValueEncoder.whole(value)) }
    func encode(_ value: UInt) throws { slot = .value(TemplateValueEncoder.whole(value)) }
    func encode(_ value: UInt8) throws { slot = .value(TemplateValueEncoder.whole(value)) }
    func encode(_ value: UInt16) throws { slot = .value(TemplateValueEncoder.whole(value)) }
    func encode(_ value: UInt32) throws { slot = .value(TemplateValueEncoder.whole(value)) }
    func encode(_ value: UInt64) throws { slot = .value(TemplateValueEncoder.whole(value)) }
    func encode<T: Encodable>(_ value: T) throws {
        if let boxed = try TemplateValueEncoder.box(value) { slot = .value(boxed) }
    }
}

/// A record: keys and values in the order they are encoded, and the containers nested in it
/// resolved at the end into their places (a key written twice keeps its last value, as in Leaf's
/// encoder: `TemplateRecord` reads from the last).
private final class KeyedStorage: Resolvable {
    private var fields: [TemplateRecord.Field] = []
    private var nested: [(position: Int, container: any Resolvable)] = []

    init() {
        // Most records hold a handful of fields; a record keeps this buffer while the page renders.
        fields.reserveCapacity(8)
    }

    func set(_ value: TemplateValue, _ key: String) {
        fields.append(.init(key: key, value: value))
    }

    func nest(_ container: any Resolvable, _ key: String) {
        nested.append((fields.count, container))
        fields.append(.init(key: key, value: nil))
    }

    /// Asked once, when the value that holds the record is resolved.
    var resolved: TemplateValue? {
        for (position, container) in nested { fields[position].value = container.resolved }
        nested = []
        return .object(TemplateRecord(fields))
    }
}

private final class UnkeyedStorage: Resolvable {
    var items: [Slot] = []

    var resolved: TemplateValue? { .array(items.compactMap(\.resolved)) }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let storage: KeyedStorage
    var codingPath: [any CodingKey] { [] }

    func encodeNil(forKey key: Key) throws {}
    func encode(_ value: Bool, forKey key: Key) throws { storage.set(.bool(value), key.stringValue) }
    func encode(_ value: String, forKey key: Key) throws { storage.set(.string(value), key.stringValue) }
    func encode(_ value: Int, forKey key: Key) throws { storage.set(.int(value), key.stringValue) }
    func encode(_ value: Double, forKey key: Key) throws { storage.set(TemplateValueEncoder.real(value), key.stringValue) }
    func encode(_ value: Int8, forKey key: Key) throws { storage.set(TemplateValueEncoder.whole(value), key.stringValue) }
    func encode(_ value: Int16, forKey key: Key) throws { storage.set(TemplateValueEncoder.whole(value), key.stringValue) }
    func encode(_ value: Int32, forKey key: Key) throws { storage.set(TemplateValueEncoder.whole(value), key.stringValue) }
    func encode(_ value: Int64, forKey key: Key) throws { storage.set(TemplateValueEncoder.whole(value), key.stringValue) }
    func encode(_ value: UInt, forKey key: Key) throws { storage.set(TemplateValueEncoder.whole(value), key.stringValue) }
    func encode(_ value: UInt8, forKey key: Key) throws { storage.set(TemplateValueEncoder.whole(value), key.stringValue) }
    func encode(_ value: UInt16, forKey key: Key) throws { storage.set(TemplateValueEncoder.whole(value), key.stringValue) }
    func encode(_ value: UInt32, forKey key: Key) throws { storage.set(TemplateValueEncoder.whole(value), key.stringValue) }
    func encode(_ value: UInt64, forKey key: Key) throws { storage.set(TemplateValueEncoder.whole(value), key.stringValue) }
    func encode(_ value: Float, forKey key: Key) throws { storage.set(Double(exactly: value).map(TemplateValueEncoder.real) ?? .null, key.stringValue) }
    func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        if let boxed = try TemplateValueEncoder.box(value) { storage.set(boxed, key.stringValue) }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = KeyedStorage()
        storage.nest(nested, key.stringValue)
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(storage: nested))
    }

    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = UnkeyedStorage()
        storage.nest(nested, key.stringValue)
        return UnkeyedContainer(storage: nested)
    }

    func superEncoder() -> any Encoder { superEncoder(named: "super") }
    func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    private func superEncoder(named name: String) -> any Encoder {
        let encoder = ValueEncoder()
        storage.nest(encoder, name)
        return encoder
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let storage: UnkeyedStorage
    var codingPath: [any CodingKey] { [] }
    var count: Int { storage.items.count }

    func encodeNil() throws {}
    func encode(_ value: Bool) throws { storage.items.append(.value(.bool(value))) }
    func encode(_ value: String) throws { storage.items.append(.value(.string(value))) }
    func encode(_ value: Int) throws { storage.items.append(.value(.int(value))) }
    func encode(_ value: Double) throws { storage.items.append(.value(TemplateValueEncoder.real(value))) }
    func encode(_ value: Int8) throws { storage.items.append(.value(TemplateValueEncoder.whole(value))) }
    func encode(_ value: Int16) throws { storage.items.append(.value(TemplateValueEncoder.whole(value))) }
    func encode(_ value: Int32) throws { storage.items.append(.value(TemplateValueEncoder.whole(value))) }
    func encode(_ value: Int64) throws { storage.items.append(.value(TemplateValueEncoder.whole(value))) }
    func encode(_ value: UInt) throws { storage.items.append(.value(TemplateValueEncoder.whole(value))) }
    func encode(_ value: UInt8) throws { storage.items.append(.value(TemplateValueEncoder.whole(value))) }
    func encode(_ value: UInt16) throws { storage.items.append(.value(TemplateValueEncoder.whole(value))) }
    func encode(_ value: UInt32) throws { storage.items.append(.value(TemplateValueEncoder.whole(value))) }
    func encode(_ value: UInt64) throws { storage.items.append(.value(TemplateValueEncoder.whole(value))) }
    func encode(_ value: Float) throws { storage.items.append(.value(Double(exactly: value).map(TemplateValueEncoder.real) ?? .null)) }
    func encode<T: Encodable>(_ value: T) throws {
        if let boxed = try TemplateValueEncoder.box(value) { storage.items.append(.value(boxed)) }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = KeyedStorage()
        storage.items.append(.nested(nested))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(storage: nested))
    }

    func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = UnkeyedStorage()
        storage.items.append(.nested(nested))
        return UnkeyedContainer(storage: nested)
    }

    func superEncoder() -> any Encoder {
        let encoder = ValueEncoder()
        storage.items.append(.nested(encoder))
        return encoder
    }
}
