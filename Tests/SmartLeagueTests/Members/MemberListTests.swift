import Fluent
import SQLKit
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

/// The member list's default view at the top of a large tree: its total is the kept count and
/// its pages, read by walking the sort order's index, are the pages a plain sorted read gives.
@Suite struct MemberListTests {
    /// A small unit's list reads its path range: no other index of the members table may look
    /// cheaper to SQLite's planner than the subtree (a leaving-date index over every member once
    /// made a branch of thirty walk the whole city).
    @Test func aSmallUnitsListReadsItsPathRange() async throws {
        try await TestApp.run { app, _ in
            guard !app.db.isPostgres else { return }
            let branch = try await Fixtures.child(app, of: try await Fixtures.unit(app, code: "330203"), "某团支部", .branch)
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
            var filter = MemberQueries.Filter()
            filter.unitPath = branch.path
            for sort in MemberQueries.Sort.allCases {
                filter.sort = sort
                let select = MemberQueries.select(filter, scope: .unrestricted, today: today, on: app.db).column(SQLColumn("id", table: "m"))
                    .orderBy(SQLColumn(sort.column, table: "m"))
                struct Step: Decodable { let detail: String }
                let plan = try await app.db.sql.raw("EXPLAIN QUERY PLAN \(select.query)").all(decoding: Step.self).map(\.detail)
                #expect(plan.contains { $0.contains("members_path") }, "\(sort): \(plan)")
            }
        }
    }

    @Test func aLargeUnitsPagesAndTotalAreThoseOfAPlainRead() async throws {
        try await TestApp.run { app, _ in
            _ = try await DemoCity.build(app, members: MemberQueries.walkingThreshold + 500, seed: 11)
            // The living city: a few have left or joined since the members went in.
            let size = try await Scope.unrestricted.members(on: app.db).count()
            #expect(size > MemberQueries.walkingThreshold)
            let root = try #require(try await Scope.unrestricted.organizations(on: app.db).filter(\.$parentID == nil).first())
            let scope = Scope(reach: .subtree(root.path))
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
            let everybody = MemberQueries.Filter()
            let unitSize = try await MemberQueries.unitSize(everybody, scope: scope, on: app.db)
            #expect(unitSize == size)
            #expect(try await MemberQueries.total(everybody, unitSize: unitSize, scope: scope, today: today, on: app.db)
                    == MemberQueries.count(everybody, scope: scope, today: today, on: app.db))
            for sort in MemberQueries.Sort.allCases {
                for descending in [false, true] {
                    var filter = everybody
                    filter.sort = sort
                    filter.descending = descending
                    for offset in [0, 50, size - 30] {
                        let walked = try await MemberQueries.rows(filter, scope: scope, today: today, limit: 50, offset: offset,
                                                                  unitSize: unitSize, on: app.db)
                        let plain = try await MemberQueries.rows(filter, scope: scope, today: today, limit: 50, offset: offset, on: app.db)
                        #expect(walked.map(\.id) == plain.map(\.id), "\(sort) \(descending) from \(offset)")
                        #expect(walked.count == min(50, size - offset))
                    }
                    // Pages reached by the next and previous links (keyset) are the numbered pages.
                    var pages: [[Int]] = []
                    var cursor: MemberQueries.Cursor?
                    for number in 0..<3 {
                        let page = try await MemberQueries.rows(filter, scope: scope, today: today, limit: 50, offset: 0, cursor: cursor,
                                                                unitSize: unitSize, on: app.db).map(\.id)
                        let numbered = try await MemberQueries.rows(filter, scope: scope, today: today, limit: 50, offset: 50 * number,
                                                                    on: app.db).map(\.id)
                        #expect(page == numbered, "\(sort) \(descending) page \(number + 1) by its link")
                        pages.append(page)
                        cursor = page.last.map { .after($0) }
                    }
                    let back = try await MemberQueries.rows(filter, scope: scope, today: today, limit: 50, offset: 0,
                                                            cursor: pages[2].first.map { .before($0) }, unitSize: unitSize, on: app.db)
                    #expect(back.map(\.id) == pages[1], "\(sort) \(descending) back from page 3")
                }
            }
            // A filter is counted, not read from the kept counts.
            var women = everybody
            women.gender = .female
            let counted = try await Scope.unrestricted.members(on: app.db).filter(\.$gender == .female).filter(\.$leftOn == nil).count()
            #expect(try await MemberQueries.total(women, unitSize: unitSize, scope: scope, today: today, on: app.db) == counted)

            // The leaving page's oldest members, read along the birth-date index, are those of a plain read.
            let leaving = try await LeavingQueries.list(today: today, scope: scope, on: app.db).overage
            let latest = MembershipAge.latestBirthDate(forAge: MembershipAge.leavingAge, on: today)
            let plainOverage = try await scope.members(on: app.db).filter(\.$birthDate <= latest.description)
                .filter(\.$holdsLeaguePost == false).sort(\.$birthDate).range(0..<LeavingQueries.overageShown).all()
            #expect(!leaving.isEmpty)
            #expect(leaving.map(\.birth_date) == plainOverage.map(\.birthDate))
            #expect(Set(leaving.map(\.id)).count == leaving.count)
            let walkedEveryone = try await scope.members(on: app.db, .walkingTheOrder).count()
            #expect(walkedEveryone == size)

            // The page shows the kept total.
            let city = Browser(app)
            try await city.signIn("demo.city", DemoCity.demoPassword)
            let page = try await city.get("/members")
            #expect(page.status == .ok && page.contains("\(size)"))

            // Those who left last, read along the leaving-date index, are those of a plain read.
            try await (app.db as! any SQLDatabase).raw("""
                UPDATE members SET left_on = '2026-0' || (id % 9 + 1) || '-01' WHERE id % 997 = 0
                """).run()
            let walkedFormer = try await scope.formerMembers(on: app.db, .walkingTheOrder).sort(\.$leftOn, .descending).sort(\.$id).range(0..<5).all()
            let plainFormer = try await scope.formerMembers(on: app.db).sort(\.$leftOn, .descending).sort(\.$id).range(0..<5).all()
            #expect(walkedFormer.count == 5 && walkedFormer.map(\.id) == plainFormer.map(\.id))
        }
    }
}

extension MemberListTests {
    /// The list's next and previous links carry where their page starts (`after`, `before`), and
    /// lead to the numbered pages; the export reads the whole list in keyset chunks.
    @Test func theLinksOfTheListLeadToItsPages() async throws {
        try await TestApp.run { app, _ in
            _ = try await DemoCity.build(app, members: 400, seed: 5)
            let city = Browser(app)
            _ = try await city.signIn("demo.city", DemoCity.demoPassword)
            func next(_ page: String) -> String? {
                page.components(separatedBy: "href=\"?").dropFirst().first { $0.contains("rel=\"next\"") }
                    .flatMap { $0.components(separatedBy: "\"").first }?.replacingOccurrences(of: "&amp;", with: "&")
            }
            func names(_ page: String) -> [String] {
                page.components(separatedBy: "<tr><td><a href=\"/members/").dropFirst().compactMap { $0.components(separatedBy: "\"").first }
            }
            let first = try await city.get("/members?sort=birthDate").body
            let link = try #require(next(first))
            #expect(link.contains("after=") && link.contains("page=2") && link.contains("sort=birthDate"))
            let second = try await city.get("/members?" + link).body
            let numbered = try await city.get("/members?sort=birthDate&page=2").body
            #expect(second.contains("第 2 /") && names(second) == names(numbered))
            let third = try await city.get("/members?" + (try #require(next(second)))).body
            let previous = try #require(third.components(separatedBy: "href=\"?").dropFirst().first { $0.contains("rel=\"prev\"") }?
                .components(separatedBy: "\"").first?.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(previous.contains("before="))
            let back = try await city.get("/members?" + previous).body
            #expect(names(back) == names(second))

            let export = try await city.get("/members/export")
            let members = try await Scope.unrestricted.members(on: app.db).filter(\.$leftOn == nil).count()
            #expect(export.status == .ok && export.body.split(whereSeparator: \.isNewline).count == members + 1)
        }
    }
}
