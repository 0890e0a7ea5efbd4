/// 团员教育评议 and 团籍注册 (RULES.md §5): a yearly review meeting per branch rates every
/// member; the level above approves; members rated 基本合格 or better are registered.
public enum ReviewRating: String, Codable, Sendable, CaseIterable {
    case excellent, qualified, basicallyQualified, unqualified

    public var label: String {
        switch self {
        case .excellent: "优秀"
        case .qualified: "合格"
        case .basicallyQualified: "基本合格"
        case .unqualified: "不合格"
        }
    }

    /// Only 基本合格 or better register for the year.
    public var registers: Bool { self != .unqualified }
}

public enum ReviewRules {
    public static let excellentPercent = 30

    /// The review meeting needs more than two thirds of the branch's members present.
    public static func quorumProblem(present: Int, members: Int) -> String? {
        if present > members { return "实到人数不能多于团员人数 \(members)" }
        return present * 3 > members * 2 ? nil : "实到 \(present) 人，未超过团员 \(members) 人的三分之二，评议会无效"
    }

    /// The most members who may be rated 优秀: 30% of those reviewed, rounded down (2 of 7).
    public static func excellentCap(reviewed: Int) -> Int { reviewed * excellentPercent / 100 }

    public static func excellentProblem(excellent: Int, reviewed: Int) -> String? {
        let cap = excellentCap(reviewed: reviewed)
        return excellent > cap ? "评为优秀的 \(excellent) 人，超过参评 \(reviewed) 人的 30%（最多 \(cap) 人）" : nil
    }
}
