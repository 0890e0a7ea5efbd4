import Fluent
import Vapor

/// What the platform itself keeps and serves, beside the parts: units, accounts, sessions, the
/// audit log, attachments and attempt counters; sign-in, accounts and the audit pages.
enum PlatformTables {
    static var migrations: [any Migration] {
        [CreateOrganizations(), CreateAccounts(), CreateSessions(), CreateAuditEntries(), CreateAttachments(), CreateRateCounters(),
         RetireAccountLockout(), IndexAuditByActor(), IndexOrganizationsForCounts()]
    }

    static var unitPathColumns: [UnitPathColumn] {
        [UnitPathColumn(Account.schema, "appointed_by_path", .passesToSuccessor(condition: nil))]
    }

    /// The platform's own links: accounts and the log for cadres, the password for everyone
    /// signed in, always last. (Sign-in sits beside the menu, where signing out is.)
    static var menu: [MenuEntry] {
        [MenuEntry("账号", AccountRoute.index, for: .administrators, rank: 190),
         MenuEntry("日志", AuditRoute.index, for: .administrators, rank: 200),
         MenuEntry("修改密码", AuthRoute.password, for: MenuEntry.Audience.signedIn, rank: Int.max)]
    }

    static func routes(_ routes: PartRoutes) throws {
        // The bare route that speed figures are compared against: no session, no database.
        routes.app.get("health") { _ in "ok" }
        try routes.visitors.register(collection: AuthController())
        try routes.administrators.register(collection: AccountsController())
        try routes.administrators.register(collection: AuditController())
    }
}
