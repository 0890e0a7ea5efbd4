import Foundation
import LeagueCore
import SQLiteKit
import SQLiteNIO
import Testing
@testable import SmartLeague

/// `SQLiteColumn` reads every value as SQLiteKit's decoder does: the same value where the decoder
/// gives one, an error where it throws, for each type the application stores and each kind of
/// SQLite value.
@Suite struct SQLiteColumnTests {
    /// An enum of numbers, which the application does not store but the decoder reads.
    enum Level: Int, Decodable { case low = 0, high = 1 }

    static let values: [SQLiteData] = [
        .text("宁波"), .text(""), .text("42"), .text("male"), .text("/1/17/342/"), .text("/1/x/"), .text("2024-02-29"),
        .text("2023-02-29"), .text("2026-12-03 08:30:00"), .integer(0), .integer(1), .integer(42), .integer(-7),
        .float(1.5), .float(1_764_720_000), .null, .blob(ByteBuffer(bytes: [1, 2, 3])),
    ]

    @Test func readsAsTheDecoderDoes() throws {
        func same<D: Decodable>(_ type: D.Type) {
            for value in Self.values {
                let direct = Result { try SQLiteColumn.decode(D.self, from: value) }
                let decoded = Result { try SQLiteDataDecoder().decode(D.self, from: value) }
                switch (direct, decoded) {
                case (.success(let a), .success(let b)):
                    #expect(String(describing: a) == String(describing: b), "\(D.self) from \(value)")
                case (.failure, .failure): break
                default: Issue.record("\(D.self) from \(value): \(direct) against the decoder's \(decoded)")
                }
            }
        }
        same(String.self)
        same(String?.self)
        same(Int.self)
        same(Int?.self)
        same(Bool.self)
        same(Bool?.self)
        same(Double.self)
        same(Date.self)
        same(Date?.self)
        same(Gender.self)
        same(Gender?.self)
        same(TreePath.self)
        same(TreePath?.self)
        same(CalendarDate.self)
        same(CalendarDate?.self)
        same(Int64.self)
        same(Level.self)
        same(Level?.self)
        same(UUID.self)
    }
}
