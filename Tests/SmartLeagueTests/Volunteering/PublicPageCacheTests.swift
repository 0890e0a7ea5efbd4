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

    /// A public form's blank page is kept once and served to each visitor with their own token,
    /// the one their cookie holds, so their post is taken.
    @Test func aKeptFormCarriesEachVisitorsOwnToken() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            var visitors: [(Browser, String)] = []
            for _ in 1...3 {
                let visitor = Browser(app)
                let form = try await visitor.get("/volunteer/register")
                let token = try #require(visitor.cookies[VolunteerPublicController.registerCSRFCookie])
                #expect(form.contains("name=\"csrf\" value=\"\(token)\"") && !form.contains(PublicPageCache.tokenHole))
                visitors.append((visitor, token))
                // Renamed behind the application's back: the visitors after the first get the kept page.
                if visitors.count == 1 {
                    try await (try #require(app.db as? any SQLDatabase)).raw("UPDATE organizations SET name = name || '（新）' WHERE code = '330203'").run()
                } else {
                    #expect(!form.contains("（新）"))
                }
            }
            for (sequence, (visitor, _)) in visitors.enumerated() {
                let registered = try await visitor.post("/volunteer/register", [
                    "name": "李\(sequence)", "residentID": Fixtures.residentID(birth: "2001-03-04", sequence: 700 + sequence),
                    "district": String(haishu.id!), "username": "kept\(sequence)", "password": "Kept2026ok", "confirm": "Kept2026ok"])
                #expect(registered.contains("kept\(sequence)</code> 已开通"), "\(registered.body)")
            }
            let tokens = Set(visitors.map(\.1))
            #expect(tokens.count == 3)
        }
    }
}
