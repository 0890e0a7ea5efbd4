import Fluent
import Vapor

/// WE志愿服务平台: volunteers, groups, projects and public posts, sign-ups, hours, certificates and
/// the project contest.
struct VolunteeringPart: LeaguePart {
    var migrations: [any Migration] { [CreateVolunteering(), CreateContests(), CreateVolunteerIdentityChecks()] }

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
}
