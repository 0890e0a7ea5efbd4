/// 青年大学习 for administrators: episodes, participation, imports.
enum StudyRoute: SiteRoute {
    case index
    /// The city publishes an episode.
    case publish
    /// An episode's participation, for the caller's unit or `?unit=` below it.
    case episode(Param<Int>)
    case importForm
    case importFile

    static let namespace = "study"

    var segments: [Segment] {
        switch self {
        case .index, .publish: ["study"]
        case .episode(let id): ["study", "episodes", .id(id)]
        case .importForm, .importFile: ["study", "import"]
        }
    }
}

/// 青年大学习 for members: the episodes, one episode's video and quiz, and its completion.
enum LearnRoute: SiteRoute {
    case index
    case show(Param<Int>)
    /// Also answered by the burst path in front of it (`CompletionBurst`).
    case complete(Param<Int>)

    static let namespace = "learn"

    var segments: [Segment] {
        switch self {
        case .index: ["learn"]
        case .show(let id), .complete(let id): ["learn", .id(id)]
        }
    }
}
