import Foundation
import LeagueCore
import SQLiteKit
import SQLiteNIO

/// Reads one SQLite value as the type a page asks for.
///
/// SQLiteKit's `SQLiteDataDecoder` answers every column through its generic, unspecialised path:
/// a run-time conformance lookup, then for an optional or an enum a decoder object allocated per
/// value and generic metadata instantiated for it. A list of fifty transfers reads five hundred
/// values, and that path was an eighth of the city's 转接 page. The types this application stores
/// are read here directly, with the same conversions (`SQLiteDataConvertible`); anything else
/// still goes through the decoder, so no column reads differently.
enum SQLiteColumn {
    static func decode<D: Decodable>(_ type: D.Type, from data: SQLiteData) throws -> D {
        if D.self == String.self { return try read(String(sqliteData: data), data) }
        if D.self == Int.self { return try read(Int(sqliteData: data), data) }
        if D.self == Bool.self { return try read(Bool(sqliteData: data), data) }
        if D.self == Date.self { return try read(Date(sqliteData: data), data) }
        if D.self == Double.self { return try read(Double(sqliteData: data), data) }
        if let nullable = D.self as? any NullableColumn.Type { return try read(nullable, data) }
        if let stored = D.self as? any ReadFromText.Type { return try read(String(sqliteData: data).flatMap { stored.init($0) }, data) }
        // A plain protocol cast: asking for `RawRepresentable<String>` here makes the runtime
        // demangle the constraint on every call, which cost more than the decoder it replaces.
        if let stored = D.self as? any RawRepresentable.Type, stored.isStoredAsText {
            return try read(String(sqliteData: data).flatMap { raw(stored, $0) }, data)
        }
        return try SQLiteDataDecoder().decode(D.self, from: data)
    }

    /// The value as `D` (the same type, when the caller is specialised the cast folds away), or
    /// the decoder's error for a value that is not one.
    private static func read<V, D>(_ value: V?, _ data: SQLiteData) throws -> D {
        guard let value, let read = value as? D else {
            throw DecodingError.typeMismatch(D.self, .init(codingPath: [], debugDescription: "Could not convert SQLite data to \(D.self): \(data)."))
        }
        return read
    }

    private static func read<N: NullableColumn, D>(_ type: N.Type, _ data: SQLiteData) throws -> D {
        try read(N.read(data), data)
    }

    /// An enum stored as its text.
    private static func raw<R: RawRepresentable>(_ type: R.Type, _ text: String) -> R? {
        (text as? R.RawValue).flatMap(R.init(rawValue:))
    }
}

/// A column that may hold NULL: nil for NULL, else the wrapped type read as any other column.
private protocol NullableColumn {
    static func read(_ data: SQLiteData) throws -> Self
}

extension Optional: NullableColumn where Wrapped: Decodable {
    fileprivate static func read(_ data: SQLiteData) throws -> Self {
        data == .null ? nil : try SQLiteColumn.decode(Wrapped.self, from: data)
    }
}

extension RawRepresentable {
    /// Whether the value is its text (an enum of `String` raw values).
    fileprivate static var isStoredAsText: Bool { RawValue.self == String.self }
}

/// A value stored as its text and read back by its failable initialiser.
protocol ReadFromText: Decodable {
    init?(_ text: String)
}

extension TreePath: ReadFromText {}
extension CalendarDate: ReadFromText {}

/// A column a statement did not return.
struct MissingColumn: Error, CustomStringConvertible {
    let column: String
    var description: String { "no column \(column)" }
}
