/// A numeric target of a plan task (e.g. at least 50 youth start-up farms), split among units.
public enum TargetSource: String, Codable, Sendable, CaseIterable {
    /// Units report the figure with their progress.
    case reported
    /// 青创农场 registered in the year.
    case farms
    /// Young farmers helped by those farms.
    case farmersHelped
    /// 见习 placements starting in the year.
    case internships

    public var label: String {
        switch self {
        case .reported: "由单位报送"
        case .farms: "青创农场登记数"
        case .farmersHelped: "青创农场帮扶青年农民数"
        case .internships: "见习岗位安排数"
        }
    }
}

public enum TargetSplit {
    /// Nil when the parts add up to the total; otherwise the message with the difference.
    public static func problem(total: Int, parts: [Int]) -> String? {
        let sum = parts.reduce(0, +)
        if parts.contains(where: { $0 < 0 }) { return "分解数不能为负数" }
        guard sum != total else { return nil }
        return sum > total ? "各单位分解数合计 \(sum)，比总目标 \(total) 多 \(sum - total)" : "各单位分解数合计 \(sum)，比总目标 \(total) 少 \(total - sum)"
    }

    /// A target set as growth on last year's figure (e.g. internships up 20%): rounded up, since
    /// "at least 20% more" is not met by rounding down.
    public static func grown(base: Int, percent: Int) -> Int {
        (base * (100 + percent) + 99) / 100
    }

    /// Percentage reached, capped at 100 for drawing.
    public static func percent(actual: Int, target: Int) -> Int {
        guard target > 0 else { return actual > 0 ? 100 : 0 }
        return min(100, actual * 100 / target)
    }
}
