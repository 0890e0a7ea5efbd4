import Vapor

/// The platform's route groups, each behind the checks its people need, and every part's pages on them.
func routes(_ app: Application, parts: [any LeaguePart]) throws {
    let session: [any Middleware] = [SessionAuthenticator()]
    let signIn = session + [RequireSignIn(), CSRFProtection()]
    let league = signIn + [RequireLeagueAccount()]
    let groups = PartRoutes(app: app, visitors: app.grouped(session), signedIn: app.grouped(signIn), league: app.grouped(league),
                            administrators: app.grouped(signIn).grouped(RequireAdministrator()), leagueMiddleware: league)
    try PlatformTables.routes(groups)
    for part in parts { try part.routes(groups) }
}
