/// The kinds of league organisation (团组织类型), ordered from the top of the tree down.
///
/// Rules (RULES.md §1): membership sits only in a branch of any kind; a branch has no children;
/// a child ranks below its parent, except that a grassroots committee may hold further committees
/// (a university 团委 over its faculties' 团委/团工委).
public enum OrganizationType: String, CaseIterable, Codable, Sendable {
    /// 团省委
    case provincialCommittee
    /// 团市委
    case cityCommittee
    /// 团区县（市）委
    case districtCommittee
    /// 团委 (grassroots committee of a township, street, school, enterprise …)
    case committee
    /// 团工委 (working committee, e.g. of a park or an industry)
    case workingCommittee
    /// 团总支
    case generalBranch
    /// 团支部
    case branch
    /// 临时团支部
    case temporaryBranch
    /// 流动团员团支部
    case mobileBranch
    /// 学社衔接临时团支部
    case transitionBranch

    /// The Chinese name shown to users.
    public var label: String {
        switch self {
        case .provincialCommittee: "团省委"
        case .cityCommittee: "团市委"
        case .districtCommittee: "团区县（市）委"
        case .committee: "团委"
        case .workingCommittee: "团工委"
        case .generalBranch: "团总支"
        case .branch: "团支部"
        case .temporaryBranch: "临时团支部"
        case .mobileBranch: "流动团员团支部"
        case .transitionBranch: "学社衔接临时团支部"
        }
    }

    /// Branches of every kind hold members and have no children.
    public var isBranch: Bool { rank == 5 }

    /// Leading organs (领导机关) above the grassroots.
    public var isLeadingOrgan: Bool { rank <= 2 }

    /// Grassroots committees (团委, 团工委): they pre-check and approve admissions in later parts.
    public var isGrassrootsCommittee: Bool { rank == 3 }

    private var rank: Int {
        switch self {
        case .provincialCommittee: 0
        case .cityCommittee: 1
        case .districtCommittee: 2
        case .committee, .workingCommittee: 3
        case .generalBranch: 4
        case .branch, .temporaryBranch, .mobileBranch, .transitionBranch: 5
        }
    }

    /// Whether a unit of this type may hold a direct child of `child`'s type.
    public func canHold(_ child: OrganizationType) -> Bool {
        if isBranch { return false }
        if isGrassrootsCommittee && child.isGrassrootsCommittee { return true }
        return child.rank > rank
    }

    /// The types a unit of this type may create as direct children, in display order.
    public var allowedChildTypes: [OrganizationType] {
        Self.allCases.filter { canHold($0) }
    }

    /// Parses the stored raw value or the Chinese label.
    public init?(input: String) {
        if let value = Self(rawValue: input) {
            self = value
        } else if let value = Self.allCases.first(where: { $0.label == input }) {
            self = value
        } else {
            return nil
        }
    }
}
