/// 青年之声 as a young person and the public see it, on a phone: the answered questions, asking,
/// and the asker's own questions.
enum VoiceRoute: SiteRoute {
    /// Published questions with their answers, with search.
    case answers
    case answer(Param<Int>)
    /// The form to ask, shown and posted (signed in, or opening a light account with it).
    case ask
    case mine
    case item(Param<Int>)
    case rate(Param<Int>)
    /// The photo of one of the asker's questions.
    case photo(Param<Int>, Param<Int>)

    static let namespace = "voice"

    var segments: [Segment] {
        switch self {
        case .answers: ["voice"]
        case .answer(let id): ["voice", "answers", .id(id)]
        case .ask: ["voice", "ask"]
        case .mine: ["voice", "mine"]
        case .item(let id): ["voice", "mine", .id(id)]
        case .rate(let id): ["voice", "mine", .id(id), "rating"]
        case .photo(let id, let file): ["voice", "mine", .id(id), "photos", .id(file, named: "file")]
        }
    }
}

/// 青年之声 for cadres: the unit's queue, an item with its actions, and the city's settings.
enum VoiceAdminRoute: SiteRoute {
    case queue
    case item(Param<Int>)
    case accept(Param<Int>)
    case answer(Param<Int>)
    case pass(Param<Int>)
    case photo(Param<Int>, Param<Int>)
    /// Items per category and unit, speed, overdue share, satisfaction and reopening (`?unit=&year=`).
    case statistics
    /// Categories, routing rules, deadlines and the working calendar (the city).
    case settings
    case category
    case toggleCategory(Param<Int>)
    case rule
    case deleteRule(Param<Int>)
    case policy
    case calendarDay
    case deleteCalendarDay(Param<Int>)

    static let namespace = "voiceadmin"

    var segments: [Segment] {
        switch self {
        case .queue: ["voice", "queue"]
        case .item(let id): ["voice", "queue", .id(id)]
        case .accept(let id): ["voice", "queue", .id(id), "accept"]
        case .answer(let id): ["voice", "queue", .id(id), "answer"]
        case .pass(let id): ["voice", "queue", .id(id), "pass"]
        case .photo(let id, let file): ["voice", "queue", .id(id), "photos", .id(file, named: "file")]
        case .statistics: ["voice", "statistics"]
        case .settings: ["voice", "settings"]
        case .category: ["voice", "settings", "categories"]
        case .toggleCategory(let id): ["voice", "settings", "categories", .id(id), "toggle"]
        case .rule: ["voice", "settings", "rules"]
        case .deleteRule(let id): ["voice", "settings", "rules", .id(id), "delete"]
        case .policy: ["voice", "settings", "policy"]
        case .calendarDay: ["voice", "settings", "calendar"]
        case .deleteCalendarDay(let id): ["voice", "settings", "calendar", .id(id), "delete"]
        }
    }
}
