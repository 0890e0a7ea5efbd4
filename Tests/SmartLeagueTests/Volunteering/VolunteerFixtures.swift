import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

/// Volunteers, groups and posts built through the same writes the pages use.
enum VolunteerFixtures {
    static func volunteer(_ app: Application, _ name: String, sequence: Int, district: Organization,
                          birth: String = "2001-03-04") async throws -> Volunteer {
        let id = try ResidentID(Fixtures.residentID(birth: birth, sequence: sequence), today: CalendarDate(ChinaTime.dateString(app.clock.now()))!)
        let applicant = VolunteerRegistration.Applicant(name: name, residentID: id, phone: nil, districtID: district.id!,
                                                        username: "v\(birth)-\(sequence)", passwordHash: "not-a-hash")
        let vault = app.vault
        let change = Fixtures.context(app)
        let account = try await app.writer.write(app.db) { try await VolunteerRegistration.registerPublicly(applicant, vault: vault, change, on: $0) }
        return try #require(try await Volunteer.query(on: app.db).filter(\.$accountID == account.id!).first())
    }

    /// An approved group at `unit` with a published project and one post tomorrow from 09:00 to 11:00.
    static func post(_ app: Application, at unit: Organization, district: Organization, capacity: Int, needsApproval: Bool = false,
                     daysAhead: Int = 1, title: String = "社区清扫") async throws -> VolunteerPost {
        let change = Fixtures.context(app)
        let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
        let day = CalendarDate(ChinaTime.dateString(ChinaTime.startOfDay(today).addingTimeInterval(TimeInterval(daysAhead * 86_400 + 3600))))!
        let unitID = unit.id!, districtID = district.id!
        return try await app.writer.write(app.db) { db in
            let group = try await VolunteerOrganizing.createGroup(.init(name: "\(title)队\(UUID().uuidString.prefix(6))", parentID: nil, unitID: unitID,
                                                                        independent: false, contact: "王老师 13805740000"), change, on: db)
            _ = try await VolunteerOrganizing.decideGroup(group.id!, approve: true, note: nil, change, on: db)
            let project = try await VolunteerOrganizing.createProject(.init(groupID: group.id!, title: "\(title)项目", category: "社区服务",
                                                                            summary: "周末社区服务", districtID: districtID, year: today.year), change, on: db)
            _ = try await VolunteerOrganizing.decideProject(project.id!, .publish, note: nil, change, on: db)
            return try await VolunteerOrganizing.addPosts(.init(projectID: project.id!, title: title, place: "社区广场", requirements: "",
                                                                capacity: capacity, needsApproval: needsApproval, days: [day],
                                                                startMinute: 9 * 60, endMinute: 11 * 60), change, on: db)[0]
        }
    }

    static func signUp(_ app: Application, _ volunteer: Volunteer, for post: VolunteerPost) async throws -> VolunteerSignUp {
        let change = Fixtures.context(app)
        let postID = post.id!
        return try await app.writer.write(app.db) { try await SignUps.signUp(postID: postID, volunteer: volunteer, change, on: $0) }
    }

    static func reload(_ app: Application, _ post: VolunteerPost) async throws -> VolunteerPost {
        try await Scope.unrestricted.query(VolunteerPost.self, on: app.db).filter(\.$id == post.id!).first()!
    }
}
