import Fluent

/// A member record as accounts need it: a member's account belongs to the record and follows its
/// branch. The part that keeps the records answers (`LeaguePart.memberDirectory`), so that
/// accounts do not depend on how members are kept.
struct MemberEntry: Sendable {
    let id: Int
    let name: String
    let branchID: Int
}

protocol MemberDirectory: Sendable {
    /// A current member in the caller's reach, by member number.
    func member(number: String, in scope: Scope, on db: any Database) async throws -> MemberEntry?
    /// A current member in the caller's reach, by id.
    func member(id: Int, in scope: Scope, on db: any Database) async throws -> MemberEntry?
}
