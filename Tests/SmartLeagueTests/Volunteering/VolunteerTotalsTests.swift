import Fluent
import Testing
import Vapor
@testable import SmartLeague

/// The overview's number of volunteers: kept for the city, counted within reach below it.
@Suite struct VolunteerTotalsTests {
    @Test func eachRegistrationAddsOneToTheCityAndADistrictCountsItsOwn() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let root = try #require(try await Scope.unrestricted.organizations(on: app.db).filter(\.$parentID == nil).first())
            let city = Scope(reach: .subtree(root.path))
            #expect(try await VolunteeringQueries.overview(scope: city, on: app.db).volunteers == 0)

            _ = try await VolunteerFixtures.volunteer(app, "张一", sequence: 11, district: haishu)
            _ = try await VolunteerFixtures.volunteer(app, "李二", sequence: 12, district: haishu)
            _ = try await VolunteerFixtures.volunteer(app, "王三", sequence: 13, district: jiangbei)
            // A refused registration (the same person again) adds nothing.
            await #expect(throws: (any Error).self) {
                _ = try await VolunteerFixtures.volunteer(app, "张一", sequence: 11, district: jiangbei)
            }

            #expect(try await VolunteerTotals.registered(on: app.db) == Volunteer.query(on: app.db).count())
            #expect(try await VolunteeringQueries.overview(scope: city, on: app.db).volunteers == 3)
            #expect(try await VolunteeringQueries.overview(scope: Scope(reach: .subtree(haishu.path)), on: app.db).volunteers == 2)
            #expect(try await VolunteeringQueries.overview(scope: Scope(reach: .subtree(jiangbei.path)), on: app.db).volunteers == 1)
        }
    }
}
