/// Importing members from a CSV file: upload, the report, and the choice.
enum MemberImportRoute: SiteRoute {
    case form
    case template
    case upload
    /// Import the good rows of a checked file, or nothing.
    case decide(Param<Int>)

    static let namespace = "imports"

    var segments: [Segment] {
        switch self {
        case .form, .upload: ["members", "import"]
        case .template: ["members", "import", "template"]
        case .decide(let id): ["members", "import", .id(id)]
        }
    }
}
