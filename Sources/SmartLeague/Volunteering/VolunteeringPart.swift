import Fluent
import Vapor

/// WE志愿服务平台: volunteers, groups, projects and public posts, sign-ups, hours, certificates and
/// the project contest.
struct VolunteeringPart: LeaguePart {
    var menu: [MenuEntry] {
        [MenuEntry("志愿服务", VolunteeringRoute.index, for: .administrators, rank: 170),
         MenuEntry("志愿服务", VolunteerRoute.me, for: .members, rank: 70),
         MenuEntry("我的志愿服务", VolunteerRoute.me, for: .volunteers, rank: 10),
         MenuEntry("志愿岗位", VolunteerRoute.posts, for: [.volunteers, .visitors], rank: 20),
         MenuEntry("志愿者注册", VolunteerRoute.register, for: .visitors, rank: 30),
         MenuEntry("证明查验", VolunteerRoute.verify, for: .visitors, rank: 40),
         MenuEntry("项目库", VolunteerRoute.library, for: .visitors, rank: 50)]
    }

    var migrations: [any Migration] { [CreateVolunteering(), CreateContests(), CreateVolunteerIdentityChecks(), CreateVolunteerTotals()] }

    func routes(_ routes: PartRoutes) throws {
        try routes.visitors.register(collection: VolunteerPublicController())
        try routes.signedIn.register(collection: VolunteerSelfController())
        for collection: any RouteCollection in [VolunteerAdminController(), VolunteerIdentityController(), VolunteerPostController(),
                                                VolunteerServiceController(), ContestController()] {
            try routes.administrators.register(collection: collection)
        }
    }

    var unitPathColumns: [UnitPathColumn] {
        [UnitPathColumn(Volunteer.schema, "home_path", unitID: "home_id", .followsMember(memberColumn: "member_id", condition: nil)),
         UnitPathColumn(VolunteerGroup.schema, "unit_path", unitID: "unit_id", .passesToSuccessor(condition: nil))]
            + [VolunteerProject.schema, VolunteerPost.schema, VolunteerSignUp.schema, ServiceRecord.schema, ServiceDispute.schema,
               VolunteerCertificate.schema, VolunteerContest.schema, ContestEntry.schema]
            .map { UnitPathColumn($0, "unit_path", .passesToSuccessor(condition: nil)) }
    }

    /// After 离团 (members register as they are now) and 青年之声 (both open accounts, whose ids then follow
    /// one order).
    var demo: DemoFill? {
        DemoFill(name: "志愿服务", leansOn: ["离团", "青年之声"]) { context, progress in try await VolunteeringDemo.fill(context, progress: progress) }
    }
}
