import Fluent
import Foundation
import LeagueCore
import Vapor
@testable import SmartLeague

/// Direct ways to build test data through the same writes the pages use.
enum Fixtures {
    static func context(_ app: Application) -> ChangeContext {
        ChangeContext(scope: .system, actor: .commandLine(), now: app.clock.now())
    }

    static func unit(_ app: Application, code: String) async throws -> Organization {
        guard let unit = try await Scope.system.activeOrganization(codeOrName: code, on: app.db) else {
            throw TestApp.Failure("no unit \(code)")
        }
        return unit
    }

    @discardableResult
    static func child(_ app: Application, of parent: Organization, _ name: String, _ type: OrganizationType) async throws -> Organization {
        let change = context(app)
        let parentID = parent.id!
        return try await app.writer.write(app.db) { db in
            try await OrganizationWrites.createChild(of: parentID, .init(name: name, shortName: String(name.prefix(20)), type: type), change, on: db)
        }
    }

    /// Creates an account with a known password that needs no change at first sign-in.
    @discardableResult
    static func account(_ app: Application, _ username: String, kind: AccountKind = .administrator,
                        unit: Organization, password: String = "Secret123") async throws -> Account {
        let hash = try await Passwords.hash(password, app: app)
        let change = context(app)
        let new = AccountWrites.NewAccount(username: username, displayName: username, kind: kind, unitID: unit.id!)
        return try await app.writer.write(app.db) { db in
            let account = try await AccountWrites.create(new, passwordHash: hash, change, on: db)
            account.mustChangePassword = false
            try await account.save(on: db)
            return account
        }
    }

    /// A signed-in browser for a new administrator of `unit`.
    static func administrator(_ app: Application, _ username: String, of unit: Organization) async throws -> Browser {
        try await account(app, username, unit: unit)
        let browser = Browser(app)
        let response = try await browser.signIn(username, "Secret123")
        guard response.status == .seeOther else { throw TestApp.Failure("sign-in failed: \(response.body)") }
        try await browser.get("/")
        return browser
    }
}
