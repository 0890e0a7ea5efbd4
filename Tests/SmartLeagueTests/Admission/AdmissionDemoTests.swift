import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

/// The demo city's 团员发展: applications at every stage, the new members they made counted, the
/// quotas used as far as the approvals went, and the board seen by the city and the demo branch.
@Suite struct AdmissionDemoTests {
    @Test func theDemoCityHasApplicationsAtEveryStage() async throws {
        try await TestApp.run { app, _ in
            _ = try await DemoCity.build(app, members: 400, seed: 12)
            let applications = try await Scope.unrestricted.query(AdmissionApplication.self, on: app.db).all()
            #expect(Set(applications.map(\.stage)) == Set(AdmissionStage.allCases))
            // Every sworn applicant is a member, with the application's development number.
            let sworn = applications.filter { $0.memberID != nil }
            #expect(sworn.count == applications.filter { $0.stage == .member || $0.stage == .certified }.count)
            for application in sworn {
                let member = try await Scope.unrestricted.everyMember(on: app.db).filter(\.$id == application.memberID!).first()
                #expect(member?.developmentNumber == application.developmentNumber)
                #expect(member?.joinedOn == application.votedOn)
            }
            // Certified forms are on file; candidates had their eight class-hours.
            for application in applications.filter({ $0.stage == .certified }) {
                #expect(try await Attachments.list(ownerType: AdmissionApplication.formOwner, ownerIDs: [application.id!], on: app.db)[application.id!]?.isEmpty == false)
            }
            for application in applications where application.candidateOn != nil {
                #expect(try await MeetingWrites.classHours(applicant: application.id!, on: app.db) >= 8)
            }
            // Each level's quota used exactly by the approvals that year, never beyond.
            let quotas = try await Scope.unrestricted.query(AdmissionQuota.self, on: app.db).all()
            #expect(!quotas.isEmpty)
            for quota in quotas {
                #expect(quota.used <= quota.amount)
                let approved = applications.filter {
                    $0.approvedOn?.hasPrefix(String(quota.year)) == true && $0.branchPath.ids.contains(quota.unitID)
                }
                #expect(quota.used == approved.count)
            }
            #expect(try await GraduatingClass.query(on: app.db).count() > 0)
            try await StatisticsTests.expectCountsMatchARecount(app)

            let city = Browser(app)
            _ = try await city.signIn("demo.city", DemoCity.demoPassword)
            let board = try await city.get("/admission")
            #expect(board.status == .ok)
            #expect(board.contains(AdmissionStage.certified.label) && board.contains(AdmissionStage.activist.label))
            let branch = Browser(app)
            _ = try await branch.signIn("demo.branch", DemoCity.demoPassword)
            let own = try await branch.get("/admission")
            #expect(own.status == .ok)
            let unit = try await Account.query(on: app.db).filter(\.$username == "demo.branch").first()!.organizationID
            let mine = applications.filter { $0.branchID == unit }
            #expect(Set(mine.map(\.stage)).isSuperset(of: [.applied, .activist, .candidate, .voted, .certified, .rejected]))
            for application in mine { #expect(own.contains(application.name)) }
        }
    }
}
