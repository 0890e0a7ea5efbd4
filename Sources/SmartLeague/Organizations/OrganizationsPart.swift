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

    func configure(_ app: Application) throws {
        app.unitTypeCounts = TreeFigures(capacity: 10_000)
    }

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

extension Application {
    private struct UnitTypeCountsKey: StorageKey { typealias Value = TreeFigures<String, [OrganizationQueries.TypeCount]> }

    /// The active units of each type below a unit, kept beside the tree's stamp: at the city root
    /// they are a count over some 33,000 units that the home page shows on every visit.
    var unitTypeCounts: TreeFigures<String, [OrganizationQueries.TypeCount]> {
        get {
            guard let kept = storage[UnitTypeCountsKey.self] else { fatalError("configure(_:settings:) was not called") }
            return kept
        }
        set { storage[UnitTypeCountsKey.self] = newValue }
    }
}
