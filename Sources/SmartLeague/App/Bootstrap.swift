import Fluent
import LeagueCore
import Vapor

/// What `serve` does before it listens: bring the schema up to date and, on an empty database,
/// found the city with its ten districts and one administrator of the root.
public enum Bootstrap {
    public struct FirstAdministrator: Sendable {
        public let username: String
        public let password: String
    }

    /// Returns the first administrator when this call founded the city, nil when it existed already.
    @discardableResult
    public static func prepare(_ app: Application) async throws -> FirstAdministrator? {
        try await app.autoMigrate()
        if try await Scope.unrestricted.organizations(on: app.db).count() > 0 { return nil }
        let password = PasswordPolicy.generateOneTime()
        let hash = try await Passwords.hash(password, app: app)
        let change = ChangeContext(scope: .unrestricted, actor: .commandLine(), now: app.clock.now())
        let founded: Bool = try await app.writer.write(app.db) { db in
            // Another process may have founded it meanwhile (several servers on one PostgreSQL).
            if try await Scope.unrestricted.organizations(on: db).count() > 0 { return false }
            let root = try await foundRoot(change, on: db)
            for district in NingboSeed.districts {
                _ = try await OrganizationWrites.createChild(
                    of: root.id!, .init(name: district.name, shortName: district.shortName, type: district.type, code: district.code),
                    change, on: db)
            }
            _ = try await AccountWrites.create(
                .init(username: "admin", displayName: "团市委管理员", kind: .administrator, unitID: root.id!),
                passwordHash: hash, change, on: db)
            for part in PartRegistry.parts { try await part.cityFounded(app, root: root, change, on: db) }
            return true
        }
        return founded ? FirstAdministrator(username: "admin", password: password) : nil
    }

    private static func foundRoot(_ change: ChangeContext, on db: any Database) async throws -> Organization {
        let seed = NingboSeed.root
        let root = try await OrganizationWrites.insert(.init(name: seed.name, shortName: seed.shortName, type: seed.type),
                                                       code: seed.code, under: nil, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(root),
                               action: "system.bootstrap", entityType: "organization", entityID: String(root.id!),
                               summary: "系统初始化：设立「\(seed.name)」", changes: FieldChange.created(root.auditedFields))
        return root
    }

    /// The console banner with the one-time password: shown once, never logged.
    public static func banner(_ admin: FirstAdministrator) -> String {
        """
        ================================================================
        智慧共青团 首次启动：已创建 \(NingboSeed.root.shortName) 及 \(NingboSeed.districts.count) 个区县（市）团委。
        管理员用户名: \(admin.username)
        一次性密码:   \(admin.password)
        首次登录后须立即修改密码；此密码不会再次显示。
        ================================================================
        """
    }
}
