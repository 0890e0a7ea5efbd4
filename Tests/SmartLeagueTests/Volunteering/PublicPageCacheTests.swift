import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import SmartLeague

@Suite struct PublicPageCacheTests {
    /// The public post search is kept for visitors: a write of this process shows on the next
    /// visit, a change made elsewhere (another server on the same database) once the kept page
    /// has outlived the cache's lifetime, and a signed-in person always gets their own page.
    @Test func visitorsGetAKeptSearchOnlyWhileNothingWasWritten() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let visitor = Browser(app)
            _ = try await VolunteerFixtures.post(app, at: haishu, district: haishu, capacity: 5, title: "社区清扫")
            #expect(try await visitor.get("/volunteer/posts").contains("社区清扫"))
            _ = try await VolunteerFixtures.post(app, at: haishu, district: haishu, capacity: 5, title: "河道巡查")
            #expect(try await visitor.get("/volunteer/posts").contains("河道巡查"))

            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("UPDATE volunteer_posts SET title = '湿地巡查' WHERE title = '河道巡查'").run()
            #expect(try await visitor.get("/volunteer/posts").contains("河道巡查"))
            #expect(try await visitor.get("/volunteer/posts?q=湿地").contains("湿地巡查"))
            app.clock.advance(by: app.publicPages.lifetime + 1)
            #expect(try await visitor.get("/volunteer/posts").contains("湿地巡查"))

            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            let own = try await city.get("/volunteer/posts")
            #expect(own.contains("我的志愿服务") && !own.contains("注册志愿者"))
        }
    }
}
