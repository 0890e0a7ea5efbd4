/// The pages and actions of 离团.
enum LeavingRoute: SiteRoute {
    case index
    /// The ticked members of the age-28 list leave in one action.
    case overage
    case withdraw
    /// A branch decides that a member has lapsed, for the level above to approve.
    case lapse
    /// approve or refuse a lapse decision.
    case decide(Param<Int>, Param<String>)

    static let namespace = "leaving"

    var segments: [Segment] {
        switch self {
        case .index: ["leaving"]
        case .overage: ["leaving", "overage"]
        case .withdraw: ["leaving", "withdraw"]
        case .lapse: ["leaving", "lapse"]
        case .decide(let id, let decision): ["leaving", "requests", .id(id), .word("decision", decision)]
        }
    }
}
