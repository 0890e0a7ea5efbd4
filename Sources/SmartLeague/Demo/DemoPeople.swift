import LeagueCore
/// Deterministic synthetic people for the demo city: realistic Chinese names, valid IDs with
/// Ningbo area codes, and an age and occupation mix that fits the kind of branch.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    /// SplitMix64: small, fast and the same on every machine.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    public mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    public mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
}

public enum DemoPeople {
    /// Common surnames, the most frequent repeated so that they come up more often.
    static let surnames: [String] = {
        let weighted: [(String, Int)] = [
            ("王", 9), ("李", 9), ("张", 8), ("陈", 8), ("刘", 6), ("杨", 5), ("黄", 5), ("赵", 4), ("吴", 5), ("周", 5),
            ("徐", 5), ("孙", 3), ("马", 3), ("朱", 3), ("胡", 3), ("郭", 2), ("何", 2), ("林", 3), ("罗", 2), ("郑", 3),
            ("梁", 2), ("谢", 2), ("宋", 2), ("唐", 2), ("许", 2), ("韩", 1), ("冯", 1), ("邓", 1), ("曹", 1), ("彭", 1),
            ("曾", 1), ("肖", 1), ("田", 1), ("董", 1), ("袁", 1), ("潘", 1), ("蒋", 1), ("蔡", 1), ("余", 2), ("杜", 1),
            ("叶", 2), ("程", 1), ("魏", 1), ("苏", 1), ("吕", 1), ("丁", 1), ("任", 1), ("沈", 2), ("姚", 1), ("卢", 1),
            ("傅", 1), ("钟", 1), ("邵", 1), ("应", 1), ("俞", 1), ("毛", 1), ("方", 1), ("石", 1), ("戴", 1), ("夏", 1),
        ]
        return weighted.flatMap { Array(repeating: $0.0, count: $0.1) }
    }()

    static let maleCharacters = Array("伟强磊军洋勇杰涛明超斌浩鹏宇俊凯帆晨博文轩昊宁睿哲毅志诚建国家豪子涵鑫翔")
    static let femaleCharacters = Array("芳娜敏静丽艳娟霞燕玲婷雪慧颖琳晶欣怡悦佳雨萱梦瑶诗琪思涵可馨月婉妍蕾")
    static let sharedCharacters = Array("晓小一嘉子雨天若雅梓之心安以乐")

    public static func name(male: Bool, _ rng: inout SeededRandom) -> String {
        let given = male ? maleCharacters : femaleCharacters
        var name = rng.pick(surnames)
        if rng.chance(0.3) { name.append(rng.pick(sharedCharacters)) }
        name.append(rng.pick(given))
        if name.count == 2 && rng.chance(0.5) { name.append(rng.pick(given)) }
        return name
    }

    /// A valid 18-digit resident ID for the birth date, its sequence odd for men.
    public static func residentID(area: String, birth: CalendarDate, male: Bool, _ rng: inout SeededRandom) -> String {
        var sequence = rng.int(0...499) * 2 + (male ? 1 : 0)
        if sequence == 0 { sequence = 2 }
        // The birth day's digits as a number: Foundation's `replacingOccurrences` on the date's
        // text was a twentieth of drawing the members.
        let first17 = area + ASCIIDigits.padded(birth.year * 10_000 + birth.month * 100 + birth.day, to: 8)
            + ASCIIDigits.padded(sequence, to: 3)
        return first17 + (ResidentID.checkCharacter(for: first17).map(String.init) ?? "X")
    }

    /// A minority ethnicity for about one member in fifty, as in Zhejiang.
    public static func ethnicity(_ rng: inout SeededRandom) -> String {
        rng.chance(0.02) ? rng.pick(["回族", "满族", "土家族", "苗族", "畲族", "壮族", "蒙古族", "朝鲜族"]) : "汉族"
    }
}

