/// A unit's page and the forms that change it and the tree below it.
enum UnitRoute: SiteRoute {
    case show(Param<Int>)
    case newChild(Param<Int>)
    case createChild(Param<Int>)
    /// Contact person, address and the other details.
    case edit(Param<Int>)
    case update(Param<Int>)
    case renameForm(Param<Int>)
    case rename(Param<Int>)
    case moveForm(Param<Int>)
    case move(Param<Int>)
    case dissolveForm(Param<Int>)
    case dissolve(Param<Int>)
    case mergeForm(Param<Int>)
    case merge(Param<Int>)

    static let namespace = "units"

    var segments: [Segment] {
        switch self {
        case .show(let id): ["units", .id(id)]
        case .newChild(let id): ["units", .id(id), "children", "new"]
        case .createChild(let id): ["units", .id(id), "children"]
        case .edit(let id), .update(let id): ["units", .id(id), "edit"]
        case .renameForm(let id), .rename(let id): ["units", .id(id), "rename"]
        case .moveForm(let id), .move(let id): ["units", .id(id), "move"]
        case .dissolveForm(let id), .dissolve(let id): ["units", .id(id), "dissolve"]
        case .mergeForm(let id), .merge(let id): ["units", .id(id), "merge"]
        }
    }
}
