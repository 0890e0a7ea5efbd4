import Foundation

/// A small deterministic generator (SplitMix64): the same seed sends the same requests.
struct SplitMix: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
}

/// What a careless user or an attacker types into a field.
enum HostileValues {
    /// A valid Ningbo ID number, and the same with a digit that is no ASCII digit.
    static let validID = "330203200001011231"
    static let ids = [
        validID, "3302032000010112\u{301}31", "33020320000101123\u{301}", "３３０２０３２０００01011231", "3302032000010112٣1",
        "33020320000101123X\u{20DD}", "330203 2000 0101 1231", "33020320000101123x", "3302032000010112𝟙1",
    ]

    static let numbers = [
        "0", "-1", "1", "2", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "99999999999999999999999999",
        "1e9", "NaN", "Infinity", "1.5", "0x10", "+3", "００１", "1\u{301}", "١٢", "𝟙𝟚", "12.345", "999999999.99", "-0.01", "1,000",
    ]

    static let dates = ["2026-02-30", "0000-00-00", "9999-12-31", "2026-13-01", "2026-1-1", "2026-0\u{301}1-01", "２０２６-０１-０１", "1900-01-01",
                        "2026-11-29T10:30", "25:61", "24:00", "-1:-1", "09:00\u{301}"]

    static let texts = [
        "", " ", "\t", "\u{3000}", "\n\n", "a\u{0}b", "\u{7}", "\u{202E}evil", "\u{200B}", "\u{FEFF}", "👨‍👩‍👧", "🇨🇳",
        "<script>alert(1)</script>", "' OR 1=1 --", "\"; DROP TABLE members; --", "../../etc/passwd", "%00", "%ZZ", "\\",
        "王", String(repeating: "中", count: 300), String(repeating: "a", count: 5000), "e\u{301}\u{301}\u{301}", "1\u{301}",
        "/\t/evil.example", "//evil.example", "javascript:alert(1)", "330200", "330203", "on", "1", "true", "是",
    ]

    static func value(_ rng: inout SplitMix, for field: String, default fallback: String) -> String {
        let lower = field.lowercased()
        // ID numbers go everywhere: a search box takes them, and any field may be parsed as one.
        var pool = texts + numbers + ids
        if lower.contains("resident") || lower.contains("id") && lower.count <= 3 || lower == "q" { pool += ids + ids + ids }
        if lower.contains("date") || lower.contains("day") || lower.hasSuffix("on") || lower.contains("at") || lower == "start" || lower == "end" {
            pool += dates + dates
        }
        if ["amount", "income", "fen", "hours", "capacity", "year", "page", "unit", "branch", "member", "present", "expected",
            "yes", "no", "abstain", "weight", "total", "figure", "score", "season", "number", "pupils", "helped"].contains(where: lower.contains) {
            pool += numbers + numbers
        }
        switch Int.random(in: 0..<10, using: &rng) {
        case 0: return fallback
        case 1: return fallback + rng.pick(["\u{301}", "\u{0}", "１", "\u{202E}", "😀"])
        default: return rng.pick(pool)
        }
    }

    /// A path parameter: an id or something that is no id.
    static func parameter(_ rng: inout SplitMix, known: [String]) -> String {
        rng.chance(0.5) && !known.isEmpty ? rng.pick(known)
            : rng.pick(["0", "-1", "9223372036854775807", "99999999999999999999", "1\u{301}", "%F0%9F%98%80", "abc", "1.5", "%00", "..", "good", "none"])
    }
}
