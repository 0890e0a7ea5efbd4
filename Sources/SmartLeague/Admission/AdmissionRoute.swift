/// The pages and actions of 团员发展.
enum AdmissionRoute: SiteRoute {
    /// The pipeline of a unit (`?unit=`), optionally one stage (`?stage=`).
    case board
    /// A branch registers an application (`?branch=`).
    case new
    case apply
    /// The year's plan (`?year=`) and the graduating classes.
    case quotas
    case setTotal
    case split
    case setClass
    case show(Param<Int>)
    /// The next step of an application, or its rejection.
    case step(Param<Int>, Param<String>)
    /// The signed application form, uploaded after the oath.
    case fileForm(Param<Int>)
    case downloadForm(Param<Int>, Param<Int>)

    static let namespace = "admission"

    var segments: [Segment] {
        switch self {
        case .board, .apply: ["admission"]
        case .new: ["admission", "new"]
        case .quotas: ["admission", "quotas"]
        case .setTotal: ["admission", "quotas", "total"]
        case .split: ["admission", "quotas", "split"]
        case .setClass: ["admission", "quotas", "class"]
        case .show(let id): ["admission", .id(id)]
        case .step(let id, let step): ["admission", .id(id), "steps", .word("step", step)]
        case .fileForm(let id): ["admission", .id(id), "form"]
        case .downloadForm(let id, let file): ["admission", .id(id), "form", .id(file, named: "file")]
        }
    }
}
