import Foundation

/// JSON kept in a text column (a quiz, a policy, a year's standing). Its keys are written in one
/// order: the encoder on Linux writes an object's keys in hashing order, which changes from run
/// to run, so the same value was stored as different text and the demo city differed for a seed.
enum StoredJSON {
    static func text<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
