import Fluent
import LeagueCore
import SQLKit
import Vapor

/// What the dues pages read: sums over the payments kept in a unit's range, and a branch's
/// members with their categories and payments.
enum DuesQueries {
    struct Sum: Decodable, Sendable {
        let key: String
        let total: Int
        let n: Int
    }

    /// Sums by a key in the unit's range (one sum without a key); the SUM is cast so that
    /// PostgreSQL answers an integer.
    static func sums(_ key: SQLColumn?, under unit: Organization, month: String?, scope: Scope,
                     on db: any Database) async throws -> [Sum] {
        var select = db.sql.select().column(key ?? SQLLiteral.string("all"), as: "key")
            .column(SQLRaw("CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT)"), as: "total")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(DuesPayment.schema)
            .where("branch_path", .greaterThanOrEqual, SQLBind(unit.path.subtreeLowerBound))
            .where("branch_path", .lessThan, SQLBind(unit.path.subtreeUpperBound))
        if let month { select = select.where("month", .equal, SQLBind(month)) }
        if let key { select = select.groupBy(key) }
        return try await scope.restrict(select, paths: [SQLColumn("branch_path")]).all(decoding: Sum.self)
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

    static func totals(_ unit: Organization, month: String, scope: Scope, on db: any Database) async throws -> Totals {
        let months = try await sums(SQLColumn("month"), under: unit, month: nil, scope: scope, on: db).sorted { $0.key > $1.key }.prefix(12)
        // Each child's total for the month: the child is the path segment right below the unit.
        let children = try await scope.organizations(on: db).filter(\.$parentID == unit.id ?? -1).filter(\.$status == .active)
            .sort(\.$code).range(0..<500).all()
        var childTotals: [Int: Int] = [:]
        for child in children {
            guard let id = child.id else { continue }
            childTotals[id] = try await sums(nil, under: child, month: month, scope: scope, on: db).first?.total ?? 0
        }
        return Totals(unit: unit, month: month, months: Array(months), children: children, childTotals: childTotals,
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
