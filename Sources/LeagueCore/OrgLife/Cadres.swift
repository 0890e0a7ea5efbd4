/// League cadres (团干部) and their posts (RULES.md §1, §7).
public enum CadrePost: String, Codable, Sendable, CaseIterable {
    case secretary, deputySecretary, standingMember, committeeMember

    public var label: String {
        switch self {
        case .secretary: "书记"
        case .deputySecretary: "副书记"
        case .standingMember: "常委"
        case .committeeMember: "委员"
        }
    }
}

/// 专挂兼: how a cadre holds the post.
public enum CadreMode: String, Codable, Sendable, CaseIterable {
    /// 专职
    case fullTime
    /// 挂职
    case seconded
    /// 兼职
    case partTime

    public var label: String {
        switch self {
        case .fullTime: "专职"
        case .seconded: "挂职"
        case .partTime: "兼职"
        }
    }
}

public enum CadreTerms {
    /// The longest term of a unit's committee (团章): branches and general branches two years,
    /// grassroots committees three, local committees five.
    public static func longestTerm(of type: OrganizationType) -> Int {
        switch type {
        case .provincialCommittee, .cityCommittee, .districtCommittee: 5
        case .committee, .workingCommittee: 3
        case .generalBranch, .branch, .temporaryBranch, .mobileBranch, .transitionBranch: 2
        }
    }

    /// Whether the committee elected on `termStart` is due for re-election on `today`.
    public static func electionOverdue(type: OrganizationType, termStart: CalendarDate, today: CalendarDate) -> Bool {
        today > termStart.adding(months: 12 * longestTerm(of: type))
    }
}
