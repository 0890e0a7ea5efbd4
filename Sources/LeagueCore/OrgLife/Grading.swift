import Foundation

/// 对标定级: the yearly grading of branches (RULES.md §7).
public enum GradingItem: String, Codable, Sendable, CaseIterable {
    case leadership, memberManagement, meetings, rules, impact

    public var label: String {
        switch self {
        case .leadership: "班子建设"
        case .memberManagement: "团员管理"
        case .meetings: "组织生活"
        case .rules: "制度落实"
        case .impact: "作用发挥"
        }
    }

    /// Points of each item; 100 in all.
    public static let points = 20
}

/// The star level that follows from a score and the veto items.
public enum StarLevel: String, Codable, Sendable, CaseIterable {
    case fiveStar, fourStar, threeStar, lagging, weak

    public var label: String {
        switch self {
        case .fiveStar: "五星级"
        case .fourStar: "四星级"
        case .threeStar: "三星级"
        case .lagging: "后进"
        case .weak: "软弱涣散"
        }
    }

    /// ≥ 90 five stars, 80–89 four, 70–79 three, 60–69 lagging, < 60 or any veto weak and lax.
    public init(score: Int, vetoed: Bool) {
        switch score {
        case _ where vetoed: self = .weak
        case 90...: self = .fiveStar
        case 80..<90: self = .fourStar
        case 70..<80: self = .threeStar
        case 60..<70: self = .lagging
        default: self = .weak
        }
    }
}

/// The veto items: any one makes a branch weak and lax whatever its score.
public enum GradingVeto: String, Codable, Sendable, CaseIterable {
    case noActivityForAYear, seriousViolation, leadershipVacant

    public var label: String {
        switch self {
        case .noActivityForAYear: "全年未开展组织生活"
        case .seriousViolation: "团员出现严重违纪违法问题"
        case .leadershipVacant: "支部书记长期空缺"
        }
    }
}

public enum GradingRules {
    /// Branches take part once they are six months old on the day the round opens.
    public static func takesPart(established: CalendarDate, roundOpens: CalendarDate) -> Bool {
        established.adding(months: 6) <= roundOpens
    }

    /// An item's score: a whole number of points from 0 to the item's maximum.
    public static func itemScore(_ raw: String?) -> Int? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), let value = Int(raw), (0...GradingItem.points).contains(value) else { return nil }
        return value
    }

    /// Why giving `level` to one more branch would break a cap on the share of that level among
    /// the branches taking part, or nil.
    public static func capProblem(level: StarLevel, alreadyAtLevel: Int, takingPart: Int, capPercent: Int?) -> String? {
        guard let capPercent, level == .fiveStar || level == .fourStar else { return nil }
        let atLevel = alreadyAtLevel + 1
        guard atLevel * 100 > capPercent * takingPart else { return nil }
        return "\(level.label)将达到 \(atLevel)/\(takingPart)，超过本地上限 \(capPercent)%"
    }
}
