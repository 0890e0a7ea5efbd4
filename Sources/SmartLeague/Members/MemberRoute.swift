/// The member registry: search, one record, registering and correcting, and the masked export.
enum MemberRoute: SiteRoute {
    case index
    /// The same search as a CSV file.
    case export
    case new
    case create
    case show(Param<Int>)
    case edit(Param<Int>)
    case update(Param<Int>)
    /// Shows the full ID number once, recorded in the log.
    case reveal(Param<Int>)

    static let namespace = "members"

    var segments: [Segment] {
        switch self {
        case .index, .create: ["members"]
        case .export: ["members", "export"]
        case .new: ["members", "new"]
        case .show(let id): ["members", .id(id)]
        case .edit(let id), .update(let id): ["members", .id(id), "edit"]
        case .reveal(let id): ["members", .id(id), "reveal"]
        }
    }
}
