import Fluent
import Vapor

/// What the platform itself keeps and serves, beside the parts: units, accounts, sessions, the
/// audit log, attachments and attempt counters; sign-in, accounts and the audit pages.
enum PlatformTables {
    static var migrations: [any Migration] {
        [CreateOrganizations(), CreateAccounts(), CreateSessions(), CreateAuditEntries(), CreateAttachments(), CreateRateCounters(),
         RetireAccountLockout(), IndexAuditByActor()]
    }

    static var unitPathColumns: [UnitPathColumn] {
        [UnitPathColumn(Account.schema, "appointed_by_path", .passesToSuccessor(condition: nil))]
    }

    static func routes(_ routes: PartRoutes) throws {
        // The bare route that speed figures are compared against: no session, no database.
        routes.app.get("health") { _ in "ok" }
        try routes.visitors.register(collection: AuthController())
        try routes.administrators.register(collection: AccountsController())
        try routes.administrators.register(collection: AuditController())
    }
}
