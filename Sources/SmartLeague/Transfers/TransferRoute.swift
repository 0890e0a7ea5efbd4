/// The pages and actions of 组织关系转接.
enum TransferRoute: SiteRoute {
    case index
    /// An administrator starts a transfer (or asks for a member beyond reach).
    case start
    /// A branch sends its whole graduating class.
    case startClass
    /// A member asks to move.
    case request
    case show(Param<Int>)
    /// agree, refuse, place or cancel one transfer.
    case act(Param<Int>, Param<String>)
    /// The same for every open transfer of a class.
    case batch(Param<String>, Param<String>)
    /// agree, refuse or withdraw a request to take a member in.
    case answerRequest(Param<Int>, Param<String>)

    static let namespace = "transfers"

    var segments: [Segment] {
        switch self {
        case .index, .start: ["transfers"]
        case .startClass: ["transfers", "class"]
        case .request: ["transfers", "request"]
        case .show(let id): ["transfers", .id(id)]
        case .act(let id, let action): ["transfers", .id(id), .word("action", action)]
        case .batch(let batch, let action): ["transfers", "batches", .word("batch", batch), .word("action", action)]
        case .answerRequest(let id, let action): ["transfers", "requests", .id(id), .word("action", action)]
        }
    }
}
