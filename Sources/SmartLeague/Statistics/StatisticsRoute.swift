/// Statistics of a unit and below (`?unit=`, the caller's own by default).
enum StatisticsRoute: SiteRoute {
    case show
    /// The per-child table as CSV.
    case export

    static let namespace = "statistics"

    var segments: [Segment] {
        switch self {
        case .show: ["statistics"]
        case .export: ["statistics", "export"]
        }
    }
}
