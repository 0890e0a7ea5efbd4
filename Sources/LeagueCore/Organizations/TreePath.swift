/// An organisation's place in the tree as an indexable string of ids: `/1/17/342/`.
///
/// "This unit and below" is every path that starts with the unit's path, which both SQLite and
/// PostgreSQL answer as one index range (`path >= lower AND path < upper`), unlike RuoYi's
/// `ancestors` string searched with `find_in_set`.
public struct TreePath: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let value: String

    public init(ids: [Int]) {
        value = "/" + ids.map(String.init).joined(separator: "/") + "/"
    }

    /// Accepts only the canonical form: a slash, then one or more positive ids each followed by a slash.
    public init?(_ value: String) {
        guard Self.isCanonical(value.utf8) else { return nil }
        self.value = value
    }

    /// One pass over the bytes, because every unit, member and transfer read from the database
    /// checks its paths: splitting them into substrings was a twentieth of the city's transfer list.
    private static func isCanonical(_ bytes: String.UTF8View) -> Bool {
        var iterator = bytes.makeIterator()
        guard iterator.next() == UInt8(ascii: "/") else { return false }
        var segments = 0, digits = 0, id = 0
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "/") {
                guard id > 0 else { return false }
                segments += 1
                digits = 0
                id = 0
            } else {
                // Eighteen digits at most, as `ASCIIDigits.number` reads an id, so it never overflows.
                guard ASCIIDigits.isDigit(byte), digits < 18 else { return false }
                digits += 1
                id = id * 10 + Int(byte - UInt8(ascii: "0"))
            }
        }
        return digits == 0 && segments > 0
    }

    public var description: String { value }

    /// In tree order: a unit before the units below it, as the paths sort in the database.
    public static func < (a: TreePath, b: TreePath) -> Bool { a.value.utf8.lexicographicallyPrecedes(b.value.utf8) }

    /// Stored as its text; anything else in the column is a decoding error, not a unit.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let path = TreePath(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a tree path: \(text)"))
        }
        self = path
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    /// The ids from the root down to this unit.
    public var ids: [Int] {
        value.split(separator: "/").compactMap { Int($0) }
    }

    /// The root is depth 0.
    public var depth: Int { ids.count - 1 }

    public func appending(_ id: Int) -> TreePath {
        TreePath(ids: ids + [id])
    }

    public var parent: TreePath? {
        let ids = ids
        return ids.count > 1 ? TreePath(ids: Array(ids.dropLast())) : nil
    }

    /// Whether `other` is this unit or lies below it.
    public func contains(_ other: TreePath) -> Bool {
        other.value.hasPrefix(value)
    }

    /// Inclusive lower bound of the subtree range.
    public var subtreeLowerBound: String { value }

    /// Exclusive upper bound of the subtree range: `0` is the character right after `/`,
    /// so no path of the subtree reaches it and every path outside it with the same prefix does.
    public var subtreeUpperBound: String { String(value.dropLast()) + "0" }

    /// The path of `descendant` once this subtree is moved below `newParent`.
    public func rebased(_ descendant: TreePath, under newParent: TreePath) -> TreePath {
        let own = ids
        return TreePath(ids: newParent.ids + own.suffix(1) + descendant.ids.dropFirst(own.count))
    }

    /// The unit this path ends in.
    public var unitID: Int? { ids.last }
}
