/// 代表委员联系青年 for cadres: the roster, 面对面, proposals and direct contact.
enum OutreachRoute: SiteRoute {
    case deputies
    case retireDeputy(Param<Int>)
    /// Founding a 代表委员青少年工作室 (the city's or a district's committee).
    case studios
    case meetings
    case proposals
    case proposal(Param<Int>)
    case advance(Param<Int>)
    case contacts
    case visit(Param<Int>)
    /// The cadence of 面对面 and the contact target (the city).
    case policy

    static let namespace = "outreach"

    var segments: [Segment] {
        switch self {
        case .deputies: ["voice", "deputies"]
        case .retireDeputy(let id): ["voice", "deputies", .id(id), "retire"]
        case .studios: ["voice", "studios"]
        case .meetings: ["voice", "meetings"]
        case .proposals: ["voice", "proposals"]
        case .proposal(let id): ["voice", "proposals", .id(id)]
        case .advance(let id): ["voice", "proposals", .id(id), "advance"]
        case .contacts: ["voice", "contacts"]
        case .visit(let id): ["voice", "contacts", .id(id), "visits"]
        case .policy: ["voice", "settings", "outreach"]
        }
    }
}
