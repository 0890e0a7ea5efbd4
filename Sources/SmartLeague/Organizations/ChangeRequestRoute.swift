/// Moves and renames awaiting approval, and the decisions on them.
enum ChangeRequestRoute: SiteRoute {
    case index
    case approve(Param<Int>)
    case reject(Param<Int>)
    /// The asking side takes its request back.
    case withdraw(Param<Int>)

    static let namespace = "requests"

    var segments: [Segment] {
        switch self {
        case .index: ["requests"]
        case .approve(let id): ["requests", .id(id), "approve"]
        case .reject(let id): ["requests", .id(id), "reject"]
        case .withdraw(let id): ["requests", .id(id), "withdraw"]
        }
    }
}
