import Foundation
import Fluent
import LeagueCore

/// Reads of accounts for the account pages, always through the caller's scope.
enum AccountQueries {
    static let pageSize = 50

    /// One page of the accounts in scope matching `search`, with their unit names and whether
    /// sign-in is refusing them at the moment.
    struct List: Sendable {
        let accounts: [Listed]
        let unitNames: [Int: String]
        let locked: Set<String>
        let pagination: Pagination
    }

    /// An account as the list shows it.
    struct Listed: Sendable {
        let id: Int
        let username: String
        let displayName: String
        let kind: AccountKind
        let organizationID: Int
        let disabled: Bool
        let mustChangePassword: Bool
    }

    static func list(search: String, page: Int, scope: Scope, now: Date, on db: any Database) async throws -> List {
        func query() -> QueryBuilder<Account> {
            let base = scope.accounts(on: db)
            guard !search.isEmpty else { return base }
            return base.group(.or) { $0.filter(\.$username ~~ search.lowercased()).filter(\.$displayName ~~ search) }
        }
        let pagination = Pagination(page: page, pageSize: pageSize, total: try await query().count(), keep: ["q": search])
        // The columns a row shows, read as rows (`fieldRows`), not twelve fields with a password hash.
        let accounts = try await query().sort(\.$username).range(pagination.offset..<(pagination.offset + pageSize))
            .fields(\.$id, \.$username, \.$displayName, \.$kind, \.$organizationID, \.$disabled, \.$mustChangePassword)
            .fieldRows().map(Listed.init)
        let names = try await scope.unitNames(accounts.map(\.organizationID), on: db)
        let locked = try await RateCounters.refusing(subjects: accounts.map { SignIn.subject($0.username) },
                                                     limit: SignInThrottle.perNameAndAddress, now: now, on: db)
        return List(accounts: accounts, unitNames: names, locked: locked, pagination: pagination)
    }
}

extension AccountQueries.Listed {
    init(_ row: FieldRow<Account>) throws {
        id = try row("id")
        username = try row("username")
        displayName = try row("display_name")
        kind = try row("kind")
        organizationID = try row("organization_id")
        disabled = try row("disabled")
        mustChangePassword = try row("must_change_password")
    }
}
