import LeagueCore
import Vapor

/// 青年大学习's burst path. Within minutes of each release, members' phones send their
/// completions as JSON requests, and at a national premiere the cost of each request decides how
/// many one machine takes. This middleware stands in front of the ordinary route (the session,
/// sign-in, CSRF and league-account checks, then `LearnController.complete`) and answers the
/// plain case itself: a JSON client, an open episode in cache, a well-formed answer. It does not
/// look the session up: it hands the cookie to the batch that writes, which reads the sessions of
/// the whole batch itself, so a request costs one batch instead of two. Every other request, and
/// every session the batch does not find to be a signed-in member's, goes the ordinary way and
/// gets the answer it always gets.
struct CompletionBurst: Middleware {
    // Held here rather than looked up in the application's storage on every request.
    let recorder: Batcher<CompletionRecorder.Claim, CompletionRecorder.Outcome>
    let episodes: EpisodeCache
    let clock: AppClock

    init(_ app: Application) {
        recorder = app.completionRecorder
        episodes = app.episodes
        clock = app.clock
    }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard let (claim, episode) = claim(request) else { return next.respond(to: request) }
        return recorder.submit(claim, on: request.eventLoop).flatMap { outcome in
            guard outcome != .notForBurst else { return next.respond(to: request) }
            return request.eventLoop.makeSucceededFuture(LearnController.answer(outcome, right: claim.score, of: episode).json)
        }
    }

    private func claim(_ request: Request) -> (CompletionRecorder.Claim, EpisodeCache.Snapshot)? {
        let now = clock.now()
        guard request.asksForJSON, let token = SessionStore.token(in: request.headers),
              let id = request.parameters.get("id", as: Int.self), let episode = episodes.cached(id),
              episode.window(at: now).refusal == nil, let form = try? request.form(),
              case .success(let right) = episode.quiz.grade(LearnController.answers(form, of: episode)) else { return nil }
        let learner = CompletionRecorder.Claim.Learner.session(key: SessionStore.key(for: token), csrf: form["csrf"] ?? "")
        return (CompletionRecorder.Claim(learner: learner, episodeID: id, score: right, at: now), episode)
    }

    /// The queue of completions and the episode cache, set up once per application. On SQLite the
    /// batches write through a connection of their own (`SQLiteDirect`), on PostgreSQL through the
    /// pool of the last event loop.
    static func configure(_ app: Application) throws {
        let store: any CompletionStore
        if let file = DatabaseSetup.sqliteFile(app) {
            let direct = try SQLiteDirect(path: file)
            app.lifecycle.use(SQLiteDirect.Closing(direct: direct))
            store = SQLiteCompletionStore(direct: direct, writer: app.writer)
        } else {
            guard let last = Array(app.eventLoopGroup.makeIterator()).last,
                  let db = app.databases.database(logger: app.logger, on: last) else {
                throw Abort(.internalServerError, reason: "no database connection for the completion batches")
            }
            store = FluentCompletionStore(db: db, writer: app.writer)
        }
        app.completionRecorder = CompletionRecorder.make(store: store, idleMinutes: app.settings.sessionIdleMinutes)
        app.episodes = EpisodeCache()
    }

    /// The member a burst request records for: exactly the sessions that `SessionAuthenticator`,
    /// `RequireSignIn`, `CSRFProtection` and `RequireLeagueAccount` let through to a member's own
    /// completion. Any other gets nil, and its request takes the ordinary route.
    static func learner(_ found: SessionStore.Found, csrf: String, at now: Date, idleMinutes: Int) -> Actor? {
        guard !found.hasEnded(at: now, idleMinutes: idleMinutes), let actor = Actor(session: found),
              !actor.mustChangePassword, actor.kind != .volunteer, actor.memberID != nil,
              CSRFProtection.matches(csrf, actor.csrfToken) else { return nil }
        return actor
    }
}
