import Fluent
import LeagueCore
import Vapor

/// 团员: the registry of members with their kept counts, import and export.
struct MembersPart: LeaguePart {
    var menu: [MenuEntry] {
        [MenuEntry("团员", MemberRoute.index, for: .administrators, rank: 20)]
    }

    var migrations: [any Migration] {
        [CreateMembers(), CreateMemberStats(), CreateMemberImportUploads(), AddMemberToAccounts(), AddMemberLeaving(), IndexMembersByEntryAndLeaving(),
         IndexOnlyFormerMembersByLeaving(), IndexCurrentMembersByName(), IndexCurrentMembersByBirthDate()]
    }

    func routes(_ routes: PartRoutes) throws {
        try routes.administrators.register(collection: MemberImportController())
        try routes.administrators.register(collection: MembersController())
    }

    var unitPathColumns: [UnitPathColumn] {
        [UnitPathColumn(Member.schema, "branch_path", unitID: "branch_id", .followsMember(memberColumn: "id", condition: nil))]
    }

    var commands: [String: any AnyAsyncCommand] { ["import": ImportCommands()] }

    var memberDirectory: (any MemberDirectory)? { MemberRecords() }

    func contents(of unit: Organization, on db: any Database) async throws -> [String] {
        let members = try await MemberWrites.count(in: unit, on: db)
        return members > 0 ? ["\(members) 名团员"] : []
    }

    func unitMoved(_ unit: Organization, from oldParent: TreePath, to newParent: TreePath, on db: any Database) async throws {
        try await MemberStats.moveSubtree(unitID: unit.id!, from: oldParent, to: newParent, on: db)
    }

    /// A merged branch's members go to the branch it merges into, with all that follows them.
    func unitMerging(_ source: Organization, into target: Organization, _ change: ChangeContext, on db: any Database) async throws {
        try await MemberWrites.moveAll(from: source, to: target, change, on: db)
    }
}
