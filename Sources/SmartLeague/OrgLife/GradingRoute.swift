/// The pages and actions of 对标定级.
enum GradingRoute: SiteRoute {
    case index
    /// The city opens the year's round.
    case open
    case round(Param<Int>)
    case sheet(Param<Int>)
    /// The branch's own self-assessment, saved or submitted.
    case assess(Param<Int>)
    /// The level above sets the star level, or sends the sheet back.
    case review(Param<Int>)

    static let namespace = "grading"

    var segments: [Segment] {
        switch self {
        case .index, .open: ["grading"]
        case .round(let id): ["grading", .id(id)]
        case .sheet(let id): ["grading", "sheets", .id(id)]
        case .assess(let id): ["grading", "sheets", .id(id), "self"]
        case .review(let id): ["grading", "sheets", .id(id), "review"]
        }
    }
}
