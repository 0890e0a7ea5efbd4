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
}
