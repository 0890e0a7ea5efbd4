/// The years' work plans (工作要点).
enum WorkPlanRoute: SiteRoute {
    case index
    /// The city committee loads a new year's plan from a file or pasted text.
    case upload
    case show(Param<Int>)
    /// The plan as text, the start of next year's.
    case text(Param<Int>)

    static let namespace = "plans"

    var segments: [Segment] {
        switch self {
        case .index, .upload: ["plans"]
        case .show(let year): ["plans", .id(year, named: "year")]
        case .text(let year): ["plans", .id(year, named: "year"), "text"]
        }
    }
}

/// A plan's tasks handed down to units, and each unit's assignment with its reports.
enum TaskRoute: SiteRoute {
    case task(Param<Int>)
    case assign(Param<Int>)
    case addTarget(Param<Int>)
    /// The assignments of the caller's unit and those below.
    case index
    case show(Param<Int>)
    case report(Param<Int>)
    /// A comment or sending-back by whoever handed the assignment down.
    case review(Param<Int>)
    /// A file attached to a report: the assignment, the report, the file.
    case download(Param<Int>, Param<Int>, Param<Int>)
    case handDown(Param<Int>)

    static let namespace = "tasks"

    var segments: [Segment] {
        switch self {
        case .task(let id): ["plans", "tasks", .id(id)]
        case .assign(let id): ["plans", "tasks", .id(id), "assign"]
        case .addTarget(let id): ["plans", "tasks", .id(id), "targets"]
        case .index: ["assignments"]
        case .show(let id): ["assignments", .id(id)]
        case .report(let id): ["assignments", .id(id), "report"]
        case .review(let id): ["assignments", .id(id), "review"]
        case .download(let id, let report, let file):
            ["assignments", .id(id), "reports", .id(report, named: "report"), "files", .id(file, named: "file")]
        case .handDown(let id): ["assignments", .id(id), "handdown"]
        }
    }
}

/// The registries whose rows are the live actuals of targets: 青创农场 and 见习.
enum RegistryRoute: SiteRoute {
    case farms
    case addFarm
    case internships
    case addInternship

    static let namespace = "registries"

    var segments: [Segment] {
        switch self {
        case .farms, .addFarm: ["farms"]
        case .internships, .addInternship: ["internships"]
        }
    }
}

/// A year's plan at a glance.
enum DashboardRoute: SiteRoute {
    case show(Param<Int>)

    static let namespace = "dashboard"

    var segments: [Segment] {
        switch self {
        case .show(let year): ["plans", .id(year, named: "year"), "dashboard"]
        }
    }
}
