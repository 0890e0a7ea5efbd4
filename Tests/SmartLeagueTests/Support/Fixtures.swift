import Fluent
import Foundation
import Testing
import LeagueCore
import Vapor
@testable import SmartLeague

/// Direct ways to build test data through the same writes the pages use.
enum Fixtures {
    static func context(_ app: Application) -> ChangeContext {
        ChangeContext(scope: .unrestricted, actor: .commandLine(), now: app.clock.now())
    }

    static func unit(_ app: Application, code: String) async throws -> Organization {
        guard let unit = try await Scope.unrestricted.activeOrganization(codeOrName: code, on: app.db) else {
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
        // A member's account belongs to a member record in that branch.
        let record = kind == .member
            ? try await member(app, "团员\(username)", sequence: 500 + username.unicodeScalars.reduce(0) { $0 + Int($1.value) } % 400, in: unit)
            : nil
        let new = AccountWrites.NewAccount(username: username, displayName: username, kind: kind, unitID: unit.id!, memberID: record?.id)
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

extension Fixtures {
    /// A valid resident ID for a Ningbo birth on `birth` with sequence `sequence` (odd: male).
    static func residentID(area: String = "330203", birth: String, sequence: Int) -> String {
        let first17 = area + birth.replacingOccurrences(of: "-", with: "") + String(format: "%03d", sequence)
        return first17 + (ResidentID.checkCharacter(for: first17).map(String.init) ?? "?")
    }

    static func memberFields(_ name: String, id: String, number: String, joined: String = "2016-05-04") -> [String: String] {
        ["name": name, "residentID": id, "ethnicity": "汉族", "phone": "13805741234", "education": "本科",
         "occupation": "在职", "joinedOn": joined, "memberNumber": number]
    }

    @discardableResult
    static func member(_ app: Application, _ name: String, birth: String = "2000-01-01", sequence: Int, in branch: Organization,
                       joined: String = "2016-05-04", post: Bool = false) async throws -> Member {
        var fields = memberFields(name, id: residentID(birth: birth, sequence: sequence), number: "T\(sequence)", joined: joined)
        if post { fields["holdsLeaguePost"] = "1" }
        let draft = try MemberFields.parse(fields, today: CalendarDate(ChinaTime.dateString(app.clock.now()))!).get()
        let change = context(app)
        let vault = app.vault
        let branchID = branch.id!
        return try await app.writer.write(app.db) { db in
            try await MemberWrites.create(draft, branchID: branchID, vault: vault, change, on: db)
        }
    }
    /// Every row of kept figures, unit by unit and key by key, as "unit key… figure…": tests compare
    /// them before and after `rebuild` works them out again from the records.
    static func keptRows(_ totals: SubtreeTotals, _ app: Application) async throws -> [String] {
        var rows: [String] = []
        for unit in try await Scope.unrestricted.organizations(on: app.db).sort(\.$id).all() {
            rows += try await totals.rows(of: unit.id!, on: app.db).reversed()
                .map { "\($0.unitID) \($0.key.joined(separator: " ")) \($0.figures.map(String.init).joined(separator: " "))" }
        }
        return rows
    }
}

extension Browser {
    /// As the city's administrator (who reaches both sides): asks to move `unit` below `target`
    /// and approves both steps.
    func moveApproved(_ unit: Organization, to target: Organization) async throws {
        try await get("/units/\(unit.id!)/move")
        try await post("/units/\(unit.id!)/move", ["target": target.code])
        let request = try #require(try await ChangeRequestRecord.query(on: app.db).filter(\.$organizationID == unit.id!)
            .filter(\.$status == .pending).first())
        try await get("/requests")
        try await post("/requests/\(request.id!)/approve")
        try await post("/requests/\(request.id!)/approve")
    }
}
