import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

@Suite struct VolunteeringDemoTests {
    @Test func theDemoCityVolunteers() async throws {
        try await TestApp.run { app, _ in
            _ = try await DemoCity.build(app, members: 400, seed: 5)
            let now = app.clock.now()
            let today = CalendarDate(ChinaTime.dateString(now))!
            let volunteers = try await Volunteer.query(on: app.db).all()
            #expect(volunteers.contains { $0.memberID != nil } && volunteers.contains { $0.memberID == nil })
            // Branches register a sixth to three tenths of their members (half to one and a half of
            // that by branch): the drive covers every branch, not only the last few.
            let members = try await Member.query(on: app.db).count()
            let registeredMembers = volunteers.filter { $0.memberID != nil }.count
            #expect((members / 10...members * 2 / 5).contains(registeredMembers), "\(registeredMembers) of \(members) members registered")
            #expect(volunteers.allSatisfy { $0.volunteerNumber == VolunteerNumbers.volunteer(sequence: $0.id!) })
            // The city's kept total is every volunteer the demo registered, in bulk and one by one.
            #expect(try await VolunteerTotals.registered(on: app.db) == volunteers.count)
            let groups = try await VolunteerGroup.query(on: app.db).all()
            #expect(groups.contains { $0.status == .approved } && groups.contains { $0.parentID != nil })
            let projects = try await VolunteerProject.query(on: app.db).all()
            #expect(Set(projects.map(\.status)).isSuperset(of: [.published, .closed]))
            let posts = try await VolunteerPost.query(on: app.db).all()
            #expect(posts.contains { $0.day < today.description } && posts.contains { $0.day > today.description })
            let signUps = try await VolunteerSignUp.query(on: app.db).all()
            #expect(Set(signUps.map(\.status)).isSuperset(of: [.accepted, .cancelled, .rejected, .applied]))
            #expect(signUps.contains { $0.checkedInAt != nil && $0.checkedOutAt != nil })
            // Each post holds exactly its accepted sign-ups, within capacity; posts follow their projects.
            let accepted = Dictionary(grouping: signUps.filter { $0.status == .accepted }, by: \.postID).mapValues(\.count)
            let projectStatus = Dictionary(uniqueKeysWithValues: projects.map { ($0.id!, $0.status) })
            for post in posts {
                #expect(post.taken == accepted[post.id!] ?? 0)
                #expect(post.taken <= post.capacity)
                #expect(post.published == (projectStatus[post.projectID] == .published))
            }
            // Totals are the sum of records; no one has more hours on a post than it lasted.
            let records = try await ServiceRecord.query(on: app.db).all()
            #expect(Set(records.map(\.kind)) == [.credit, .honor])
            let sums = Dictionary(grouping: records, by: \.volunteerID).mapValues { $0.reduce(0) { $0 + $1.minutes } }
            #expect(volunteers.allSatisfy { $0.totalMinutes == sums[$0.id!] ?? 0 })
            let lengths = Dictionary(uniqueKeysWithValues: posts.map { ($0.id!, $0.minutes) })
            let perPost = Dictionary(grouping: records, by: { "\($0.volunteerID)-\($0.postID)" }).mapValues { $0.reduce(0) { $0 + $1.minutes } }
            #expect(records.allSatisfy { perPost["\($0.volunteerID)-\($0.postID)"]! <= lengths[$0.postID]! })
            #expect(Set(try await ServiceDispute.query(on: app.db).all().map(\.status)).count >= 2)
            #expect(try await VolunteerCertificate.query(on: app.db).count() > 0)
            #expect(try await VolunteerIdentityCheck.query(on: app.db).filter(\.$status == .pending).count() > 0)

            // The demo member is a volunteer with hours.
            let account = try #require(try await Scope.unrestricted.accounts(on: app.db).filter(\.$username == "demo.member").first())
            let own = try #require(volunteers.first { $0.memberID == account.memberID })
            #expect(own.totalMinutes > 0)
            let member = Browser(app)
            _ = try await member.signIn("demo.member", DemoCity.demoPassword)
            let me = try await member.get("/volunteer/me")
            #expect(me.status == .ok && me.contains(own.volunteerNumber))

            let visitor = Browser(app)
            let search = try await visitor.get("/volunteer/posts")
            #expect(search.status == .ok)
            let upcoming = posts.filter { $0.published && $0.day >= today.description }
            #expect(search.contains("共 \(upcoming.count) ") || search.contains(upcoming.sorted { ($0.day, $0.startsAt, $0.id!) < ($1.day, $1.startsAt, $1.id!) }[0].title))
            for username in ["demo.city", "demo.branch"] {
                let admin = Browser(app)
                _ = try await admin.signIn(username, DemoCity.demoPassword)
                let overview = try await admin.get("/volunteering")
                #expect(overview.status == .ok)
            }
        }
    }
}
