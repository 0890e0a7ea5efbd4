/// The pages and actions of 三会一课.
enum OrgLifeRoute: SiteRoute {
    /// The branches below a unit by compliance, and the cadence.
    case overview
    case branch(Param<Int>)
    /// A branch records a meeting or lesson, with an optional file.
    case record(Param<Int>)
    case meeting(Param<Int>)
    case meetingFile(Param<Int>, Param<Int>)
    /// The city sets how often each kind of meeting is due.
    case cadence

    static let namespace = "orglife"

    var segments: [Segment] {
        switch self {
        case .overview: ["orglife"]
        case .branch(let id): ["orglife", "branches", .id(id)]
        case .record(let id): ["orglife", "branches", .id(id), "meetings"]
        case .meeting(let id): ["orglife", "meetings", .id(id)]
        case .meetingFile(let id, let file): ["orglife", "meetings", .id(id), "files", .id(file, named: "file")]
        case .cadence: ["orglife", "cadence"]
        }
    }
}
