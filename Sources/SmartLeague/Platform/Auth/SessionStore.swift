import Crypto
import LeagueCore
import Fluent
import SQLKit
import Vapor

/// Database-backed sessions with an idle timeout. Only the routes that need a person touch them:
/// the health check and static files never read or write a session.
enum SessionStore {
    static let cookieName = "sl_session"
    /// The last-seen time is written at most this often, so that reading pages is not a write each time.
    static let touchInterval: TimeInterval = 60

    static func randomToken() -> String {
        let bytes = [UInt8].random(count: 32)
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The session cookie's value, read straight from the header.
    static func token(in headers: HTTPHeaders) -> String? {
        headers[.cookie].lazy.compactMap { CookieHeader.value(named: cookieName, in: $0) }.first { !$0.isEmpty }
    }

    static func key(for token: String) -> String {
        Hex.string(SHA256.hash(data: Data(token.utf8)))
    }

    /// Opens a session for `accountID`; returns the cookie value.
    static func open(accountID: Int, now: Date, on db: any Database) async throws -> String {
        let token = randomToken()
        let record = BrowserSession()
        record.id = key(for: token)
        record.accountID = accountID
        record.csrfToken = randomToken()
        record.createdAt = now
        record.lastSeenAt = now
        try await record.create(on: db)
        return token
    }

    struct Found: ReadFromRow {
        let session_id: String
        let csrf_token: String
        let last_seen_at: Date
        let flash: String?
        let account_id: Int
        let username: String
        let display_name: String
        let kind: String
        let member_id: Int?
        let must_change_password: Bool
        let disabled: Bool
        let organization_id: Int
        let organization_path: String
        let organization_name: String
        let appointed_by_path: String?

        /// Read column by column: every signed-in request decodes one, and a general decoder
        /// costs more than the query.
        init<Row: SQLRow>(row: Row) throws {
            func optional<T: Decodable>(_ column: String, _ type: T.Type) throws -> T? {
                try row.decodeNil(column: column) ? nil : row.decode(column: column, as: type)
            }
            session_id = try row.decode(column: "session_id", as: String.self)
            csrf_token = try row.decode(column: "csrf_token", as: String.self)
            last_seen_at = try row.decode(column: "last_seen_at", as: Date.self)
            flash = try optional("flash", String.self)
            account_id = try row.decode(column: "account_id", as: Int.self)
            username = try row.decode(column: "username", as: String.self)
            display_name = try row.decode(column: "display_name", as: String.self)
            kind = try row.decode(column: "kind", as: String.self)
            member_id = try optional("member_id", Int.self)
            must_change_password = try row.decode(column: "must_change_password", as: Bool.self)
            disabled = try row.decode(column: "disabled", as: Bool.self)
            organization_id = try row.decode(column: "organization_id", as: Int.self)
            organization_path = try row.decode(column: "organization_path", as: String.self)
            organization_name = try row.decode(column: "organization_name", as: String.self)
            appointed_by_path = try optional("appointed_by_path", String.self)
        }
    }

    /// A session with its account and unit, as `Found` reads it.
    static let foundQuery = """
        SELECT s.id AS session_id, s.csrf_token, s.last_seen_at, s.flash,
               a.id AS account_id, a.username, a.display_name, a.kind, a.member_id, a.must_change_password, a.disabled,
               a.appointed_by_path,
               o.id AS organization_id, o.path AS organization_path, o.name AS organization_name
        FROM sessions s
        JOIN accounts a ON a.id = s.account_id
        JOIN organizations o ON o.id = a.organization_id
        """

    /// `foundQuery` for the keys given as one JSON array (`keyList`), on SQLite: one statement
    /// prepared once for any number of keys, where `s.id IN (?, …)` beside the joins is a
    /// statement for each number of keys, prepared again by SQLite for every value bound.
    static let foundByKeyListOnSQLite = foundQuery + " WHERE s.id IN (SELECT value FROM json_each(?1))"

    static func keyList(_ keys: [String]) -> String {
        "[" + keys.map(JSONText.quoted).joined(separator: ",") + "]"
    }

    /// The sessions behind some session keys, with their accounts and units, in one query.
    static func find(keys: [String], on db: any Database) async throws -> [String: Found] {
        guard !keys.isEmpty else { return [:] }
        // On SQLite the same text as `foundByKeyListOnSQLite`: the one bind is written `?1`.
        let rows = db.isPostgres
            ? try await db.sql.raw("\(unsafeRaw: foundQuery) WHERE s.id IN \(SQLBind.group(keys))").all(reading: Found.self)
            : try await db.sql.raw("\(unsafeRaw: foundQuery) WHERE s.id IN (SELECT value FROM json_each(\(bind: keyList(keys))))").all(reading: Found.self)
        return byKey(rows)
    }

    static func byKey(_ sessions: [Found]) -> [String: Found] {
        Dictionary(sessions.map { ($0.session_id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Looks sessions up in batches: every signed-in request asks, and in a burst one query answers
    /// all the requests that arrived while the previous one ran.
    static func lookup(db: any Database) -> Batcher<String, Found?> {
        Batcher(largest: 500) { keys in
            let found = try await find(keys: Array(Set(keys)), on: db)
            return keys.map { found[$0] }
        }
    }

    static func touch(sessionIDs: [String], now: Date, on db: any Database) async throws {
        try await db.sql.update(BrowserSession.schema).set("last_seen_at", to: SQLBind(now))
            .where("id", .in, SQLBind.group(sessionIDs)).run()
    }

    static func close(sessionID: String, on db: any Database) async throws {
        try await db.sql.delete(from: BrowserSession.schema).where("id", .equal, SQLBind(sessionID)).run()
    }

    /// Ends every other session of an account, after its password changed.
    static func closeOthers(accountID: Int, keeping sessionID: String?, on db: any Database) async throws {
        var delete = db.sql.delete(from: BrowserSession.schema).where("account_id", .equal, SQLBind(accountID))
        if let sessionID { delete = delete.where("id", .notEqual, SQLBind(sessionID)) }
        try await delete.run()
    }

    /// Deletes sessions idle for longer than the timeout; returns how many.
    @discardableResult
    static func purgeExpired(now: Date, idleMinutes: Int, on db: any Database) async throws -> Int {
        let cutoff = now.addingTimeInterval(-Double(idleMinutes) * 60)
        let count = try await BrowserSession.query(on: db).filter(\.$lastSeenAt < cutoff).count()
        if count > 0 {
            try await BrowserSession.query(on: db).filter(\.$lastSeenAt < cutoff).delete()
        }
        return count
    }

    static func setFlash(_ message: String, sessionID: String, on db: any Database) async throws {
        try await db.sql.update(BrowserSession.schema).set("flash", to: SQLBind(message))
            .where("id", .equal, SQLBind(sessionID)).run()
    }

    static func clearFlash(sessionID: String, on db: any Database) async throws {
        try await db.sql.update(BrowserSession.schema).set("flash", to: SQLLiteral.null)
            .where("id", .equal, SQLBind(sessionID)).run()
    }
}

extension SessionStore.Found {
    /// Idle past the timeout, or its account disabled: the session is over.
    func hasEnded(at now: Date, idleMinutes: Int) -> Bool {
        disabled || now.timeIntervalSince(last_seen_at) > TimeInterval(idleMinutes * 60)
    }

    /// The last-seen time is old enough to be written again.
    func isDueForTouch(at now: Date) -> Bool {
        now.timeIntervalSince(last_seen_at) > SessionStore.touchInterval
    }
}

extension Actor {
    /// The person behind a live session; nil when its account kind or unit path cannot be read.
    init?(session found: SessionStore.Found) {
        guard let kind = AccountKind(rawValue: found.kind), let path = TreePath(found.organization_path) else { return nil }
        self.init(accountID: found.account_id, username: found.username, displayName: found.display_name,
                  kind: kind, memberID: found.member_id, unitID: found.organization_id, unitPath: path, unitName: found.organization_name,
                  mustChangePassword: found.must_change_password, sessionID: found.session_id,
                  csrfToken: found.csrf_token, flash: found.flash, appointedBy: found.appointed_by_path.flatMap(TreePath.init))
    }
}

/// Session look-ups batched per event loop, each on its own loop's database: a batch then reads on
/// its loop's own SQLite connection (`SQLiteReadingDatabase`) instead of waiting for another
/// loop's, and is answered where its requests wait.
final class SessionLookups: Sendable {
    private let byLoop: [ObjectIdentifier: Batcher<String, SessionStore.Found?>]
    private let first: Batcher<String, SessionStore.Found?>

    init(_ app: Application) throws {
        let batchers = Array(app.eventLoopGroup.makeIterator()).compactMap { loop in
            app.databases.database(logger: app.logger, on: loop).map { (ObjectIdentifier(loop), SessionStore.lookup(db: $0)) }
        }
        guard let first = batchers.first?.1 else {
            throw Abort(.internalServerError, reason: "no database connection for the session lookup")
        }
        self.first = first
        byLoop = Dictionary(batchers, uniquingKeysWith: { first, _ in first })
    }

    func submit(_ key: String, on loop: any EventLoop) -> EventLoopFuture<SessionStore.Found?> {
        (byLoop[ObjectIdentifier(loop)] ?? first).submit(key, on: loop)
    }
}

extension Application {
    private struct SessionLookupKey: StorageKey { typealias Value = SessionLookups }

    var sessionLookup: SessionLookups {
        get { configured(SessionLookupKey.self) }
        set { storage[SessionLookupKey.self] = newValue }
    }
}

/// The key a session is stored under for a cookie value, for tools that prepare signed-in
/// sessions themselves (the study benchmark).
public func sessionKey(forCookie token: String) -> String { SessionStore.key(for: token) }
