import Fluent
import LeagueCore
import Vapor

/// The first page after sign-in: an administrator's unit at a glance, or a member's own account.
struct HomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(HomeRoute.index, use: home)
    }

    @Sendable func home(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        // A volunteer who is not a member has no league record: their first page is their service.
        if actor.kind == .volunteer { return .redirect(to: VolunteerRoute.me, req) }
        // A young person with a light account has their questions to 青年之声.
        if actor.kind == .youth { return .redirect(to: VoiceRoute.mine, req) }
        guard actor.kind == .administrator else {
            let record = try await req.scope.members(on: req.db).first()
            return try await req.page("home", title: "个人中心", MemberHomePage(actor, record: record, today: req.today))
        }
        let home = try await OrganizationQueries.home(of: actor.unitID, scope: req.scope, typeCounts: req.application.unitTypeCounts, on: req.db)
        return try await req.page("home", title: "工作台", AdminHomePage(home, scope: req.scope))
    }
}
