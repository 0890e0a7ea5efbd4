/// Standard competition ranking (highest first): equal values share a place and the next place
/// is skipped (1, 2, 2, 4). Returned in the order given.
public enum Ranking {
    public static func competition(_ values: [Int]) -> [Int] {
        let sorted = values.sorted(by: >)
        // The place of a value is one more than the number of values above it.
        var firstIndex: [Int: Int] = [:]
        for (index, value) in sorted.enumerated() where firstIndex[value] == nil { firstIndex[value] = index }
        return values.map { (firstIndex[$0] ?? 0) + 1 }
    }
}
