/// The yearly evaluation of units (考核评价): schemes, each unit's sheet, the ranking.
enum EvaluationRoute: SiteRoute {
    case index
    /// The city starts a year's scheme from the default indicators.
    case create
    case show(Param<Int>)
    /// The ranking as CSV.
    case export(Param<Int>)
    case addIndicator(Param<Int>)
    /// The scheme and the indicator.
    case removeIndicator(Param<Int>, Param<Int>)
    case open(Param<Int>)
    case close(Param<Int>)
    case sheet(Param<Int>)
    /// The unit saves or submits its self-report.
    case saveSelf(Param<Int>)
    /// The city scores a sheet or sends it back.
    case review(Param<Int>)

    static let namespace = "evaluation"

    var segments: [Segment] {
        switch self {
        case .index, .create: ["evaluations"]
        case .show(let id): ["evaluations", .id(id)]
        case .export(let id): ["evaluations", .id(id), "ranking.csv"]
        case .addIndicator(let id): ["evaluations", .id(id), "indicators"]
        case .removeIndicator(let id, let indicator): ["evaluations", .id(id), "indicators", .id(indicator, named: "indicator"), "delete"]
        case .open(let id): ["evaluations", .id(id), "open"]
        case .close(let id): ["evaluations", .id(id), "close"]
        case .sheet(let id): ["evaluations", "sheets", .id(id)]
        case .saveSelf(let id): ["evaluations", "sheets", .id(id), "self"]
        case .review(let id): ["evaluations", "sheets", .id(id), "review"]
        }
    }
}
