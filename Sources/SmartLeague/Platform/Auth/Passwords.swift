import NIOConcurrencyHelpers
import Vapor

/// bcrypt on the thread pool, so that hashing never blocks an event loop.
enum Passwords {
    static func hash(_ password: String, app: Application) async throws -> String {
        let cost = app.settings.bcryptCost
        return try await app.threadPool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    static func verify(_ password: String, hash: String, app: Application) async throws -> Bool {
        try await app.threadPool.runIfActive { (try? Bcrypt.verify(password, created: hash)) ?? false }
    }

    /// A hash of a password nobody knows, at the configured cost: checked against when the typed
    /// name has no account, so that an unknown name takes as long as a known one.
    static func decoy(_ app: Application) async throws -> String {
        if let hash = app.passwordDecoy.withLockedValue({ $0 }) { return hash }
        let hash = try await self.hash(SessionStore.randomToken(), app: app)
        app.passwordDecoy.withLockedValue { $0 = $0 ?? hash }
        return hash
    }
}

extension Application {
    private struct DecoyKey: StorageKey { typealias Value = NIOLockedValueBox<String?> }

    /// Set up by `configure`, filled at the first sign-in with an unknown name.
    var passwordDecoy: NIOLockedValueBox<String?> {
        get { configured(DecoyKey.self) }
        set { storage[DecoyKey.self] = newValue }
    }
}
