import Fluent
import LeagueCore
import Vapor

/// One sign-in attempt: the lockout rule, the password check, and the audit of both outcomes.
enum SignIn {
    enum Outcome {
        case signedIn(token: String, mustChangePassword: Bool)
        case refused(String)
    }

    static let wrongCredentials = "用户名或密码错误。"

    static func attempt(username: String, password: String, req: Request) async throws -> Outcome {
        let app = req.application
        let now = req.now
        // Before sign-in there is no caller yet: the system itself looks the name up.
        guard let account = try await Scope.system.accounts(on: req.db).filter(\.$username == username).first(),
              let accountID = account.id else {
            // Spend the same time as a real check, so that timing does not reveal which names exist.
            _ = try await Passwords.hash(password, app: app)
            return .refused(wrongCredentials)
        }
        let unit = try await Scope.system.organization(account.organizationID, on: req.db)
        let auditUnit = AuditUnit(unit)
        let auditActor = AuditActor(accountID: accountID, name: "\(account.displayName)(\(account.username))",
                                    ip: req.auditActor.ip)
        if account.lockout.isLocked(at: now) {
            return .refused("该账户因连续 \(SignInLockout.maximumFailures) 次密码错误已被锁定，请 \(account.lockout.minutesLeft(at: now)) 分钟后再试。")
        }
        let correct = try await Passwords.verify(password, hash: account.passwordHash, app: app)
        if !correct {
            let locked: Bool = try await app.writer.write(req.db) { db in
                let fresh = try await Scope.system.account(accountID, on: db)
                var lockout = fresh.lockout
                let locked = lockout.recordFailure(at: now)
                fresh.lockout = lockout
                try await fresh.save(on: db)
                try await Audit.record(on: db, actor: auditActor, at: now, unit: auditUnit,
                                       action: locked ? "account.locked" : "account.sign_in_failed",
                                       entityType: "account", entityID: String(accountID),
                                       summary: locked ? "密码连续错误，账户锁定 15 分钟" : "登录失败：密码错误")
                return locked
            }
            if locked {
                return .refused("密码连续错误 \(SignInLockout.maximumFailures) 次，账户已锁定 15 分钟。")
            }
            return .refused(wrongCredentials)
        }
        if account.disabled {
            return .refused("该账户已停用，请联系上级管理员。")
        }
        let idleMinutes = app.settings.sessionIdleMinutes
        let token: String = try await app.writer.write(req.db) { db in
            let fresh = try await Scope.system.account(accountID, on: db)
            var lockout = fresh.lockout
            lockout.recordSuccess()
            fresh.lockout = lockout
            fresh.lastSignInAt = now
            try await fresh.save(on: db)
            if let old = req.cookies[SessionStore.cookieName]?.string {
                try await SessionStore.close(sessionID: SessionStore.key(for: old), on: db)
            }
            try await SessionStore.purgeExpired(now: now, idleMinutes: idleMinutes, on: db)
            let token = try await SessionStore.open(accountID: accountID, now: now, on: db)
            try await Audit.record(on: db, actor: auditActor, at: now, unit: auditUnit,
                                   action: "account.sign_in", entityType: "account", entityID: String(accountID),
                                   summary: "登录成功")
            return token
        }
        return .signedIn(token: token, mustChangePassword: account.mustChangePassword)
    }
}
