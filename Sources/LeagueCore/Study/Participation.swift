/// 青年大学习 participation (RULES.md §8): distinct participating members ÷ members of the unit
/// and below. Kept in tenths of a percent so that rankings compare integers.
public struct Participation: Sendable, Equatable {
    public let participants: Int
    public let members: Int

    public init(participants: Int, members: Int) {
        self.participants = participants
        self.members = members
    }

    /// Rounded down, and never above 100%: members who took part and then left the unit still
    /// count where they took part, which could otherwise push a small unit past its size.
    public var perMille: Int {
        guard members > 0 else { return 0 }
        return min(1000, participants * 1000 / members)
    }

    /// “45.3%”
    public var text: String { "\(perMille / 10).\(perMille % 10)%" }
}

/// Whether an episode takes completions at a moment.
public enum EpisodeWindow: Sendable, Equatable {
    case notYetOpen, open, closed

    public init(opens: Double, closes: Double, at now: Double) {
        self = now < opens ? .notYetOpen : (now > closes ? .closed : .open)
    }

    public var label: String {
        switch self {
        case .notYetOpen: "未开始"
        case .open: "学习中"
        case .closed: "已结束"
        }
    }

    /// Why a completion at this moment is refused, if it is.
    public var refusal: String? {
        switch self {
        case .notYetOpen: "本期学习尚未开始"
        case .open: nil
        case .closed: "本期学习已结束，不能再提交"
        }
    }
}
