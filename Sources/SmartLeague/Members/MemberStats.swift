import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Member counts kept per unit for the unit and everything below it, by dimension and value, so
/// that statistics of the city root read a few hundred rows instead of counting a million.
/// Every write that adds, changes or moves members applies its delta in the same transaction.
final class MemberStatRow: Model, @unchecked Sendable {
    static let schema = "member_stats"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "unit_id") var unitID: Int
    @Field(key: "dimension") var dimension: String
    @Field(key: "value") var value: String
    @Field(key: "count") var count: Int

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

    struct Key: Hashable, Sendable {
        let unitID: Int
        let dimension: Dimension
        let value: String
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

    /// Counts to add (or, negative, to take away), gathered before they are written in one go.
    /// A member's facts are gathered under their branch and spread to its ancestors only when
    /// applied, so a million imported members cost a million branch additions, not five million.
    struct Delta: Sendable {
        private struct Leaf: Hashable, Sendable {
            let path: String
            let dimension: Dimension
            let value: String
        }

        private var leaves: [Leaf: Int] = [:]
        private var direct: [Key: Int] = [:]

        mutating func add(_ facts: [(Dimension, String)], at path: TreePath, _ sign: Int) {
            for (dimension, value) in facts { leaves[Leaf(path: path.value, dimension: dimension, value: value), default: 0] += sign }
        }

        mutating func add(_ key: Key, _ amount: Int) {
            direct[key, default: 0] += amount
        }

        /// Every unit's change: each branch's counts added to the branch and all its ancestors.
        var counts: [Key: Int] {
            var counts = direct
            for (leaf, amount) in leaves where amount != 0 {
                for unitID in TreePath(leaf.path)!.ids {
                    counts[Key(unitID: unitID, dimension: leaf.dimension, value: leaf.value), default: 0] += amount
                }
            }
            return counts
        }

        /// Upserts the non-zero counts, 400 rows a statement.
        func apply(on db: any Database) async throws {
            let changes = counts.filter { $0.value != 0 }.sorted { ($0.key.unitID, $0.key.dimension.rawValue, $0.key.value) < ($1.key.unitID, $1.key.dimension.rawValue, $1.key.value) }
            var start = 0
            while start < changes.count {
                let chunk = changes[start..<min(start + 400, changes.count)]
                let values = SQLList(chunk.map { change in
                    SQLGroupExpression([SQLBind(change.key.unitID), SQLBind(change.key.dimension.rawValue),
                                        SQLBind(change.key.value), SQLBind(change.value)] as [any SQLExpression])
                })
                try await db.sql.raw("""
                    INSERT INTO member_stats (unit_id, dimension, value, count) VALUES \(values)
                    ON CONFLICT (unit_id, dimension, value) DO UPDATE SET count = member_stats.count + excluded.count
                    """).run()
                start += chunk.count
            }
        }
    }

    /// The stats of a moved subtree leave its old ancestors and join its new ones.
    static func moveSubtree(unitID: Int, from oldParent: TreePath, to newParent: TreePath, on db: any Database) async throws {
        struct Row: Decodable { let dimension: String; let value: String; let count: Int }
        let rows = try await db.sql.raw("""
            SELECT dimension, value, count FROM member_stats WHERE unit_id = \(bind: unitID) AND count <> 0
            """).all(decoding: Row.self)
        var delta = Delta()
        for row in rows {
            guard let dimension = Dimension(rawValue: row.dimension) else { continue }
            for id in oldParent.ids { delta.add(Key(unitID: id, dimension: dimension, value: row.value), -row.count) }
            for id in newParent.ids { delta.add(Key(unitID: id, dimension: dimension, value: row.value), row.count) }
        }
        try await delta.apply(on: db)
    }

    /// Counts of one or more units read from the table, within the caller's scope.
    static func counts(units ids: [Int], scope: Scope, on db: any Database) async throws -> [Int: [Dimension: [String: Int]]] {
        guard !ids.isEmpty else { return [:] }
        let select = db.sql.select()
            .column(SQLColumn("unit_id", table: "s")).column(SQLColumn("dimension", table: "s"))
            .column(SQLColumn("value", table: "s")).column(SQLColumn("count", table: "s"))
            .from(SQLAlias(SQLIdentifier(MemberStatRow.schema), as: SQLIdentifier("s")))
            .join(SQLAlias(SQLIdentifier(Organization.schema), as: SQLIdentifier("o")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "o"), .equal, SQLColumn("unit_id", table: "s"))
            .where(SQLColumn("unit_id", table: "s"), .in, SQLBind.group(ids))
            .where(SQLColumn("count", table: "s"), .notEqual, SQLLiteral.numeric("0"))
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
