/// The pages and actions of 团员教育评议 and registration.
enum ReviewRoute: SiteRoute {
    /// How far the branches of a unit (`?unit=`) have got in a year (`?year=`).
    case progress
    /// A branch opens its review for the year.
    case open
    case show(Param<Int>)
    case submit(Param<Int>)
    case approve(Param<Int>)

    static let namespace = "reviews"

    var segments: [Segment] {
        switch self {
        case .progress, .open: ["reviews"]
        case .show(let id): ["reviews", .id(id)]
        case .submit(let id): ["reviews", .id(id), "submit"]
        case .approve(let id): ["reviews", .id(id), "approve"]
        }
    }
}
