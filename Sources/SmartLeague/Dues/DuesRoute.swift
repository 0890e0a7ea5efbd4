/// 团费: totals, a branch's members and records, the city's table.
enum DuesRoute: SiteRoute {
    /// A unit's totals by month and by child (`?unit=`, `?month=`).
    case totals
    case branch(Param<Int>)
    case setProfile(Param<Int>)
    /// The treasurer records a month for a member of the branch.
    case record(Param<Int>)
    case setPolicy

    static let namespace = "dues"

    var segments: [Segment] {
        switch self {
        case .totals: ["dues"]
        case .branch(let id): ["dues", "branches", .id(id)]
        case .setProfile(let id): ["dues", "branches", .id(id), "profile"]
        case .record(let id): ["dues", "branches", .id(id), "payments"]
        case .setPolicy: ["dues", "policy"]
        }
    }
}
