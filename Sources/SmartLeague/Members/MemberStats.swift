import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Member counts kept per unit for the unit and everything below it, by dimension and value, so
/// that statistics of the city root read a few hundred rows instead of counting a million.
/// Every write that adds, changes or moves members applies its delta in the same transaction.
final class MemberStatRow: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "member_stats"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "unit_id") var unitID: Int
    @Field(key: "dimension") var dimension: String
    @Field(key: "value") var value: String
    @Field(key: "count") var count: Int
    var declaredProperties: [any AnyProperty] { [$id, $unitID, $dimension, $value, $count] }

    init() {}
}

struct CreateMemberStats: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MemberStatRow.schema)
            .field("id", .int, .identifier(auto: true))
            .field("unit_id", .int, .required, .references(Organization.schema, "id"))
            .field("dimension", .string, .required)
            .field("value", .string, .required)
            .field("count", .int, .required)
            .unique(on: "unit_id", "dimension", "value")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MemberStatRow.schema).delete()
    }
}

enum MemberStats {
    /// What a member counts under; age is kept as birth month, so bands follow the calendar.
    enum Dimension: String, CaseIterable, Sendable {
        case total, gender, ethnicity, education, occupation, party, birthMonth = "birth_month", branchType = "branch_type"
        /// 青年大学习: members of the unit who completed the episode whose id is the value.
        case study
    }

    /// The values one member counts under.
    static func facts(of member: Member, branchType: OrganizationType) -> [(Dimension, String)] {
        facts(gender: member.gender, ethnicity: member.ethnicity, education: member.education, occupation: member.occupation,
              party: member.partyStatus, birthDate: member.birthDate, branchType: branchType)
    }

    static func facts(of draft: MemberDraft, branchType: OrganizationType) -> [(Dimension, String)] {
        facts(gender: draft.gender, ethnicity: draft.ethnicity, education: draft.education, occupation: draft.occupation,
              party: draft.partyStatus, birthDate: draft.residentID.birthDate.description, branchType: branchType)
    }

    private static func facts(gender: Gender, ethnicity: String, education: Education, occupation: Occupation,
                              party: PartyStatus, birthDate: String, branchType: OrganizationType) -> [(Dimension, String)] {
        [(.total, ""), (.gender, gender.rawValue), (.ethnicity, ethnicity), (.education, education.rawValue),
         (.occupation, occupation.rawValue), (.party, party.rawValue), (.birthMonth, String(birthDate.prefix(7))),
         (.branchType, branchType.rawValue)]
    }

    /// The kept counts (`SubtreeTotals`): a member counts once under each of their facts, in
    /// their branch and every unit above it.
    static let totals = SubtreeTotals(table: MemberStatRow.schema, keys: ["dimension", "value"], figures: ["count"])

    /// Counts to add (or, negative, to take away), gathered before they are written in one go.
    typealias Delta = SubtreeTotals.Changes

    /// The stats of a moved subtree leave its old ancestors and join its new ones.
    static func moveSubtree(unitID: Int, from oldParent: TreePath, to newParent: TreePath, on db: any Database) async throws {
        try await totals.move(unitID, from: oldParent, to: newParent, on: db)
    }

    /// How many members a unit holds, from its kept count: one row, where `counts` reads the
    /// unit's every dimension (the member list and the unit's pages ask this on every visit).
    static func total(of unitID: Int, scope: Scope, on db: any Database) async throws -> Int {
        try await counts(units: [unitID], only: .total, scope: scope, on: db)[unitID]?[.total]?[""] ?? 0
    }

    /// Counts of one or more units read from the table (of one dimension, or all), within the
    /// caller's scope.
    static func counts(units ids: [Int], only dimension: Dimension? = nil, scope: Scope,
                       on db: any Database) async throws -> [Int: [Dimension: [String: Int]]] {
        guard !ids.isEmpty else { return [:] }
        var select = db.sql.select()
            .column(SQLColumn("unit_id", table: "s")).column(SQLColumn("dimension", table: "s"))
            .column(SQLColumn("value", table: "s")).column(SQLColumn("count", table: "s"))
            .from(SQLAlias(SQLIdentifier(MemberStatRow.schema), as: SQLIdentifier("s")))
            .join(SQLAlias(SQLIdentifier(Organization.schema), as: SQLIdentifier("o")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "o"), .equal, SQLColumn("unit_id", table: "s"))
            .where(SQLColumn("unit_id", table: "s"), .in, SQLBind.group(ids))
            .where(SQLColumn("count", table: "s"), .notEqual, SQLLiteral.numeric("0"))
        if let dimension { select = select.where(SQLColumn("dimension", table: "s"), .equal, SQLBind(dimension.rawValue)) }
        // Read column by column: the statistics of the city and its districts are some thousand
        // rows, and a general decoder took longer than the query.
        var result: [Int: [Dimension: [String: Int]]] = [:]
        for row in try await scope.restrict(select, paths: [SQLColumn("path", table: "o")]).all() {
            guard let dimension = Dimension(rawValue: try row.decode(column: "dimension", as: String.self)) else { continue }
            result[try row.decode(column: "unit_id", as: Int.self), default: [:]][dimension, default: [:]][try row.decode(column: "value", as: String.self)]
                = try row.decode(column: "count", as: Int.self)
        }
        return result
    }
}

extension SubtreeTotals.Changes {
    /// One member's facts at their branch, counted once (`sign` 1) or taken away (-1).
    mutating func add(_ facts: [(MemberStats.Dimension, String)], at path: TreePath, _ sign: Int) {
        for (dimension, value) in facts { add([sign], key: [dimension.rawValue, value], at: path) }
    }

    /// Writes the member counts gathered.
    func apply(on db: any Database) async throws {
        try await MemberStats.totals.apply(self, on: db)
    }
}
