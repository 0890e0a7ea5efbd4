import Fluent
import Vapor

/// 组织: a unit's pages, the tree, and the moves and renames that wait for approval.
struct OrganizationsPart: LeaguePart {
    var menu: [MenuEntry] {
        [MenuEntry("工作台", HomeRoute.index, for: MenuEntry.Audience.signedIn, rank: 0),
         MenuEntry("组织树", TreeRoute.show, for: .administrators, rank: 10),
         MenuEntry("审批", ChangeRequestRoute.index, for: .administrators, rank: 180)]
    }

    var migrations: [any Migration] { [CreateChangeRequests()] }

    func routes(_ routes: PartRoutes) throws {
        try routes.signedIn.register(collection: HomeController())
        try routes.administrators.register(collection: OrganizationController())
        try routes.administrators.register(collection: TreeController())
        try routes.administrators.register(collection: ChangeRequestController())
    }

    /// A unit with a request waiting is neither dissolved nor merged until the request is settled.
    func contents(of unit: Organization, on db: any Database) async throws -> [String] {
        try await ChangeRequests.pending(for: unit.id!, on: db) > 0 ? ["待审批的变更申请"] : []
    }

    func unitMerging(_ source: Organization, into target: Organization, _ change: ChangeContext, on db: any Database) async throws {
        guard try await ChangeRequests.pending(for: source.id!, on: db) == 0 else { throw Refusal("该组织有待审批的变更申请，请先处理") }
    }
}
