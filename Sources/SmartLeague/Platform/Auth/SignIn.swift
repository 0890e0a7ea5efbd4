import Fluent
import LeagueCore
import SQLKit
import Vapor

/// One sign-in attempt. Attempts are counted per typed name and client address, and per client
/// address, before the password is checked (`RateCounters`), so a burst of guesses gets at most
/// five checks, and a stranger guessing cannot lock a cadre out of their own desk. A name that
/// exists and one that does not are answered alike: the same message, a bcrypt check each, one
/// audit entry each.
enum SignIn {
    enum Outcome {
        case signedIn(token: String, mustChangePassword: Bool)
        case refused(String)
    }

    static let wrongCredentials = "用户名或密码错误。"

    /// The counters an attempt takes.
    static func keys(username: String, address: String) -> (name: RateCounters.Key, address: RateCounters.Key) {
        (RateCounters.Key(subject(username), address, limit: SignInThrottle.perNameAndAddress),
         RateCounters.Key("signin-address:" + address, limit: SignInThrottle.perAddress))
    }

    /// What an administrator unlocks: a name's counters from every address.
    static func subject(_ username: String) -> String { "signin:" + username }

    static func attempt(username: String, password: String, req: Request) async throws -> Outcome {
        let app = req.application
        let now = req.now
        let address = req.clientAddress
        let keys = keys(username: username, address: address)
        let taken = try await RateCounters.take([keys.name, keys.address], now: now, writer: app.writer, on: req.db)
        // Before sign-in there is no caller yet: the system itself looks the name up.
        let account = try await Scope.unrestricted.accounts(on: req.db).filter(\.$username == username).first()
        // Every attempt spends one bcrypt check, refused or not, known name or not.
        let hash = if let account { account.passwordHash } else { try await Passwords.decoy(app) }
        let correct = try await Passwords.verify(password, hash: hash, app: app)
        // Attempts on names that do not exist are kept where the whole city's administrators see them.
        let unitQuery = Scope.unrestricted.organizations(on: req.db)
        guard let organization = try await (account.map { unitQuery.filter(\.$id == $0.organizationID) } ?? unitQuery.filter(\.$parentID == nil))
            .sort(\.$id).first() else { throw Abort(.internalServerError) }
        let unit = AuditUnit(organization)
        let auditActor = AuditActor(accountID: account?.id, name: account.map { "\($0.displayName)(\($0.username))" } ?? "未登录访客(\(username))",
                                    ip: address)
        guard taken.allowed, correct, let account, let accountID = account.id else {
            let summary = !taken.allowed ? "登录尝试过于频繁，已拒绝" : "登录失败：用户名或密码错误"
            try await app.writer.write(req.db) { db in
                try await Audit.record(on: db, actor: auditActor, at: now, unit: unit,
                                       action: taken.allowed ? "account.sign_in_failed" : "account.sign_in_throttled",
                                       entityType: "account", entityID: account?.id.map(String.init) ?? "", summary: summary)
            }
            return .refused(taken.allowed ? wrongCredentials : SignInThrottle.refusedMessage)
        }
        if account.disabled {
            return .refused("该账户已停用，请联系上级管理员。")
        }
        let idleMinutes = app.settings.sessionIdleMinutes
        let token: String = try await app.writer.write(req.db) { db in
            // A right password does not count against the name or the address.
            try await RateCounters.clear(keys.name, on: db)
            try await RateCounters.giveBack(keys.address, on: db)
            try await db.sql.update(Account.schema).set("last_sign_in_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(accountID)).run()
            if let old = req.cookies[SessionStore.cookieName]?.string {
                try await SessionStore.close(sessionID: SessionStore.key(for: old), on: db)
            }
            try await SessionStore.purgeExpired(now: now, idleMinutes: idleMinutes, on: db)
            let token = try await SessionStore.open(accountID: accountID, now: now, on: db)
            try await Audit.record(on: db, actor: auditActor, at: now, unit: unit,
                                   action: "account.sign_in", entityType: "account", entityID: String(accountID),
                                   summary: "登录成功")
            return token
        }
        return .signedIn(token: token, mustChangePassword: account.mustChangePassword)
    }
}
