import LeagueCore
import Vapor

/// Finds the signed-in person from the session cookie, ends idle sessions, and keeps the
/// last-seen time fresh.
struct SessionAuthenticator: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard let token = SessionStore.token(in: request.headers) else { return next.respond(to: request) }
        // Stays on the event loop unless the session needs a write: most requests only read it.
        return request.application.sessionLookup.submit(SessionStore.key(for: token), on: request.eventLoop).flatMap { found in
            guard let found else { return next.respond(to: request) }
            let now = request.now
            let ended = found.hasEnded(at: now, idleMinutes: request.application.settings.sessionIdleMinutes)
            guard ended || found.isDueForTouch(at: now) else {
                request.actor = Actor(session: found)
                return next.respond(to: request)
            }
            return request.eventLoop.makeFutureWithTask {
                try await request.application.writer.write(request.db) { db in
                    if ended {
                        try await SessionStore.close(sessionID: found.session_id, on: db)
                    } else {
                        try await SessionStore.touch(sessionIDs: [found.session_id], now: now, on: db)
                    }
                }
                if !ended { request.actor = Actor(session: found) }
            }.flatMap { next.respond(to: request) }
        }
    }
}

/// Sends anyone not signed in to the sign-in page, and anyone holding a one-time password to
/// the page that replaces it.
struct RequireSignIn: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        if let redirect = redirect(request) { return request.eventLoop.makeSucceededFuture(redirect) }
        return next.respond(to: request)
    }

    private func redirect(_ request: Request) -> Response? {
        guard let actor = request.actor else {
            if request.method == .GET {
                let next = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
                var components = URLComponents()
                components.path = AuthRoute.login.url
                components.queryItems = [URLQueryItem(name: "next", value: next)]
                return request.redirect(to: components.string ?? AuthRoute.login.url)
            }
            return .redirect(to: AuthRoute.login, request)
        }
        if actor.mustChangePassword && ![AuthRoute.password.url, AuthRoute.logout.url].contains(request.url.path) {
            return .redirect(to: AuthRoute.password, request)
        }
        return nil
    }
}

/// Only administrators reach the management pages; members have their own page only.
struct RequireAdministrator: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.actor?.kind == .administrator else { return request.eventLoop.makeFailedFuture(Abort(.notFound)) }
        return next.respond(to: request)
    }
}

/// League business (青年大学习, transfers) is for members and cadres; a volunteer who is not a
/// member has only the volunteer platform, a young person with a light account only their questions.
struct RequireLeagueAccount: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard let kind = request.actor?.kind, kind == .administrator || kind == .member else { return request.eventLoop.makeFailedFuture(Abort(.notFound)) }
        return next.respond(to: request)
    }
}

/// Every form carries the session's token; a post without it (or with another) is refused, so
/// another site cannot make a signed-in browser act.
struct CSRFProtection: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.method == .POST, let actor = request.actor else { return next.respond(to: request) }
        // The body arrives as a stream and the token is inside it: read no more than the route takes.
        let body = request.body.data == nil
            ? request.body.collect(max: BodyLimits.limit(for: request)).map { _ in () }
            : request.eventLoop.makeSucceededVoidFuture()
        return body.flatMapThrowing {
            // A form that cannot be read is answered as such (a bad escape, a NUL), not as a bad token.
            let sent = (request.isURLEncodedForm ? try request.form()["csrf"] : try? request.content.get(String.self, at: "csrf")) ?? ""
            guard CSRFProtection.matches(sent, actor.csrfToken) else {
                throw Abort(.forbidden, reason: "页面已过期或来源不明，请刷新页面后重试。")
            }
        }.flatMap { next.respond(to: request) }
    }

    /// Compares in time that does not depend on where the strings differ.
    static func matches(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
