/// The organisation tree, opened node by node.
enum TreeRoute: SiteRoute {
    case show

    static let namespace = "tree"

    var segments: [Segment] { ["tree"] }
}
