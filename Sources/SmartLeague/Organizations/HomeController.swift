import Fluent
import LeagueCore
import Vapor

/// The first page after sign-in: an administrator's unit at a glance, or a member's own account.
struct HomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
    }

    struct AdminHome: Encodable {
        let isAdministrator = true
        let unit: OrganizationController.UnitView
        let counts: [OrganizationController.CountView]
        let directChildren: Int
        let members: Int
        let awaitingMe: Int
        let recent: [AuditPage.Entry]
        let hasRecent: Bool
    }

    struct MemberHome: Encodable {
        let isAdministrator = false
        let displayName: String
        let username: String
        let branchName: String
        let record: MembersController.Detail?
    }

    @Sendable func home(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let scope = req.scope
        // A volunteer who is not a member has no league record: their first page is their service.
        if actor.kind == .volunteer { return req.redirect(to: "/volunteer/me") }
        guard actor.kind == .administrator else {
            var record: MembersController.Detail?
            if let member = try await scope.members(on: req.db).first() {
                record = MembersController.detail(member, branchID: actor.unitID, branchName: actor.unitName,
                                                   today: req.today, fullID: nil)
            }
            return try await req.page("home", title: "个人中心",
                                      MemberHome(displayName: actor.displayName, username: actor.username,
                                                 branchName: actor.unitName, record: record))
        }
        let unit = try await scope.organization(actor.unitID, on: req.db)
        let counts = try await OrganizationQueries.countsByType(under: unit.path, scope: scope, on: req.db)
        let children = try await OrganizationQueries.children(of: unit.id!, scope: scope, nameContains: nil,
                                                              limit: 0, offset: 0, on: req.db).total
        let pending = try await ChangeRequests.list(scope: scope, pendingOnly: true, limit: 200, on: req.db)
            .map { ChangeRequestController.RequestView($0, scope: scope) }
        let members = try await MemberStats.counts(units: [unit.id!], scope: scope, on: req.db)[unit.id!]?[.total]?[""] ?? 0
        let recent = try await AuditQueries.entries(scope: scope, filter: .init(), limit: 10, offset: 0, on: req.db).map(AuditPage.Entry.init)
        return try await req.page("home", title: "工作台", AdminHome(
            unit: .init(unit), counts: counts.map { .init(label: $0.type.label, count: $0.count) },
            directChildren: children, members: members, awaitingMe: pending.filter(\.canDecide).count, recent: recent, hasRecent: !recent.isEmpty))
    }
}
