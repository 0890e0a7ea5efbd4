import Fluent
import LeagueCore
import SQLKit
import Vapor

/// What the dues pages read: a unit's kept figures by month (`DuesMonthTotals`), and a branch's
/// members with their categories and payments.
enum DuesQueries {
    struct Sum: Sendable {
        let key: String
        let total: Int
        let n: Int
    }

    /// A unit's last twelve months, each active child's total in one month, and the table.
    struct Totals: Sendable {
        let unit: Organization
        let month: String
        let months: [Sum]
        let children: [Organization]
        /// By child.
        let childTotals: [Int: Int]
        let policy: DuesPolicy
    }

    /// The unit comes through the caller's scope, and an administrator's scope holds the whole
    /// subtree of every unit it reaches, so the unit's kept figures are all in reach.
    static func totals(_ unit: Organization, month: String, scope: Scope, on db: any Database) async throws -> Totals {
        guard let unitID = unit.id else { throw Abort(.notFound) }
        let months = try await DuesMonthTotals.totals.rows(of: unitID, limit: 12, on: db)
            .map { Sum(key: $0.key[0], total: $0.figures[0], n: $0.figures[1]) }
        let children = try await scope.organizations(on: db).filter(\.$parentID == unitID).filter(\.$status == .active)
            .sort(\.$code).range(0..<500).all()
        let childTotals = try await DuesMonthTotals.totals.rows(key: [month], of: children.compactMap(\.id), on: db).mapValues(\.figures[0])
        return Totals(unit: unit, month: month, months: months, children: children, childTotals: childTotals,
                      policy: try await DuesWrites.policy(on: db))
    }

    /// A branch's members with their categories and payments, and the table.
    struct Branch: Sendable {
        let branch: Organization
        let members: [Member]
        /// By member.
        let profiles: [Int: DuesProfile]
        /// By member.
        let payments: [Int: [DuesPayment]]
        let policy: DuesPolicy
    }

    static func branch(_ id: Int, scope: Scope, on db: any Database) async throws -> Branch {
        let branch = try await scope.organization(id, on: db)
        guard branch.type.isBranch else { throw Abort(.notFound) }
        let members = try await scope.members(on: db).filter(\.$branchID == id).sort(\.$name).range(0..<500).all()
        let profiles = try await DuesProfile.query(on: db).filter(\.$memberID ~~ members.compactMap(\.id)).all()
        // A member's payments are theirs wherever they were recorded: a member who transferred in
        // brings the months paid in their old branch. The members themselves are in reach.
        let payments = Dictionary(grouping: try await scope.payments(of: members, on: db), by: \.memberID)
        return Branch(branch: branch, members: members,
                      profiles: Dictionary(profiles.map { ($0.memberID, $0) }, uniquingKeysWith: { first, _ in first }),
                      payments: payments, policy: try await DuesWrites.policy(on: db))
    }
}
