import Foundation
import Fluent
import LeagueCore

/// Reads of accounts for the account pages, always through the caller's scope.
enum AccountQueries {
    static let pageSize = 50

    /// One page of the accounts in scope matching `search`, with their unit names and whether
    /// sign-in is refusing them at the moment.
    struct List: Sendable {
        let accounts: [Account]
        let unitNames: [Int: String]
        let locked: Set<String>
        let pagination: Pagination
    }

    static func list(search: String, page: Int, scope: Scope, now: Date, on db: any Database) async throws -> List {
        func query() -> QueryBuilder<Account> {
            let base = scope.accounts(on: db)
            guard !search.isEmpty else { return base }
            return base.group(.or) { $0.filter(\.$username ~~ search.lowercased()).filter(\.$displayName ~~ search) }
        }
        let pagination = Pagination(page: page, pageSize: pageSize, total: try await query().count(), keep: ["q": search])
        let accounts = try await query().sort(\.$username).range(pagination.offset..<(pagination.offset + pageSize)).all()
        let names = try await scope.unitNames(accounts.map(\.organizationID), on: db)
        let locked = try await RateCounters.refusing(subjects: accounts.map { SignIn.subject($0.username) },
                                                     limit: SignInThrottle.perNameAndAddress, now: now, on: db)
        return List(accounts: accounts, unitNames: names, locked: locked, pagination: pagination)
    }
}
