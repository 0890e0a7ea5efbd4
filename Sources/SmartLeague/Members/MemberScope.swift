import Fluent
import LeagueCore
import Vapor

/// A member's record belongs to their branch; a member signed in sees their own.
extension Member: UnitScoped {
    static var unitPathField: KeyPath<Member, FieldProperty<Member, TreePath>> { \.$branchPath }

    static func own(_ query: QueryBuilder<Member>, account: Int, member: Int?) -> QueryBuilder<Member> {
        query.filter(\.$id == (member ?? -1))
    }
}

/// Member records as accounts need them.
struct MemberRecords: MemberDirectory {
    func member(number: String, in scope: Scope, on db: any Database) async throws -> MemberEntry? {
        try await scope.members(on: db).filter(\.$memberNumber == number).first().flatMap(Self.entry)
    }

    func member(id: Int, in scope: Scope, on db: any Database) async throws -> MemberEntry? {
        try await scope.members(on: db).filter(\.$id == id).first().flatMap(Self.entry)
    }

    private static func entry(_ member: Member) -> MemberEntry? {
        member.id.map { MemberEntry(id: $0, name: member.name, branchID: member.branchID) }
    }
}

extension Scope {
    /// Members of the league now; those who left are `formerMembers`.
    func members(on db: any Database, _ condition: PathCondition = .usingThePathIndex) -> QueryBuilder<Member> {
        query(Member.self, on: db, condition).filter(\.$leftOn == nil)
    }

    func formerMembers(on db: any Database, _ condition: PathCondition = .usingThePathIndex) -> QueryBuilder<Member> {
        query(Member.self, on: db, condition).filter(\.$leftOn != nil)
    }

    /// Members and former members alike: for uniqueness, which outlives membership.
    func everyMember(on db: any Database) -> QueryBuilder<Member> {
        query(Member.self, on: db)
    }

    func member(_ id: Int?, on db: any Database) async throws -> Member {
        guard let id, let found = try await members(on: db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        return found
    }
}
