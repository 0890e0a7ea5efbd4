/// The audit log of the caller's scope.
enum AuditRoute: SiteRoute {
    case index

    static let namespace = "audit"

    var segments: [Segment] { ["audit"] }
}
