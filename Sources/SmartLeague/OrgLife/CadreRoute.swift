/// The pages and actions of 团干部.
enum CadreRoute: SiteRoute {
    /// The cadres of a unit (`?unit=`), the mix below it and overdue elections.
    case index
    case add
    case leave(Param<Int>)

    static let namespace = "cadres"

    var segments: [Segment] {
        switch self {
        case .index, .add: ["cadres"]
        case .leave(let id): ["cadres", .id(id), "leave"]
        }
    }
}
