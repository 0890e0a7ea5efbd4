/// The first page after sign-in. The platform sends people there (after signing in, after a new
/// password, from an error page); the part that shows it registers it.
enum HomeRoute: SiteRoute {
    case index

    static let namespace = "home"

    var segments: [Segment] { [] }
}
