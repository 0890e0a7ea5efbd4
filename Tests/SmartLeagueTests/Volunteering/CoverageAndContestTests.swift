import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

@Suite struct CoverageAndContestTests {
    /// "每人认一岗，至少做一次": a unit's members holding a post and having served this year, with
    /// the list of those who have not, at unit boundaries.
    @Test func coverageCountsMembersWhoTookAPostAndWhoServed() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let one = try await Fixtures.child(app, of: haishu, "海曙区一支部", .branch)
            let two = try await Fixtures.child(app, of: haishu, "海曙区二支部", .branch)
            let a = try await Fixtures.member(app, "赵一", sequence: 701, in: one)
            let b = try await Fixtures.member(app, "钱二", sequence: 703, in: one)
            _ = try await Fixtures.member(app, "孙三", sequence: 705, in: two)
            let vault = app.vault
            let change = Fixtures.context(app)
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
            var volunteers: [Volunteer] = []
            for member in [a, b] {
                volunteers.append(try await app.writer.write(app.db) {
                    try await VolunteerRegistration.registerMember(member, accountID: nil, vault: vault, today: today, change, on: $0)
                })
            }
            let post = try await VolunteerFixtures.post(app, at: haishu, district: haishu, capacity: 5)
            for volunteer in volunteers { _ = try await VolunteerFixtures.signUp(app, volunteer, for: post) }
            let postID = post.id!, servedID = volunteers[0].id!
            _ = try await app.writer.write(app.db) {
                try await ServiceHours.addHonor(postID: postID, volunteerID: servedID, minutes: 60, reason: "现场登记", change, on: $0)
            }
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            let page = try await admin.get("/volunteering/coverage")
            #expect(page.contains("2（66%）") && page.contains("1（33%）"))
            #expect(page.contains("钱二") && page.contains("孙三") && !page.contains("赵一"))
            let notHolding = try await admin.get("/volunteering/coverage?list=holding")
            #expect(notHolding.contains("孙三") && !notHolding.contains("钱二") && !notHolding.contains("赵一"))
            let branch = try await admin.get("/volunteering/coverage?unit=\(two.id!)")
            #expect(branch.contains("0（0%）") && branch.contains("孙三") && !branch.contains("钱二"))
            let outsider = try await Fixtures.administrator(app, "branchtwo", of: two)
            #expect(try await outsider.get("/volunteering/coverage?unit=\(one.id!)").status == .notFound)
        }
    }

    /// Judges score entries; the ranking shares places on ties; closing needs every score and
    /// puts the places into the library of past projects.
    @Test func aContestRanksEntriesByTheJudgesMeanScore() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            var posts: [VolunteerPost] = []
            for title in ["助学", "环保", "助老"] {
                posts.append(try await VolunteerFixtures.post(app, at: haishu, district: haishu, capacity: 5, title: title))
            }
            try await Fixtures.account(app, "judge1", unit: haishu)
            try await Fixtures.account(app, "judge2", unit: haishu)
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            try await city.get("/volunteering/contests")
            let created = try await city.post("/volunteering/contests", ["title": "2026 年志愿服务项目大赛", "year": "2026"])
            let path = try #require(created.location)
            try await city.get(path)
            try await city.post("\(path)/judges", ["username": "judge1"])
            try await city.get(path)
            try await city.post("\(path)/judges", ["username": "judge2"])
            let district = try await Fixtures.administrator(app, "haishu", of: haishu)
            for post in posts {
                try await district.get(path)
                try await district.post("\(path)/entries", ["project": String(post.projectID)])
            }
            let entries = try await ContestEntry.query(on: app.db).sort(\.$id).all()
            #expect(entries.count == 3)
            // Judge 1: 90, 80, 70; judge 2: 80, 90, 60 → means 85, 85, 65: places 1, 1, 3.
            for (judge, scores) in [("judge1", [90, 80, 70]), ("judge2", [80, 90, 60])] {
                let browser = Browser(app)
                try await browser.signIn(judge, "Secret123")
                try await browser.get(path)
                #expect(try await browser.post("\(path)/scores", ["score\(entries[0].id!)": "101"]).contains("评分应为 0 到 100 的整数"))
                if judge == "judge2" {
                    try await city.get(path)
                    #expect(try await city.post("\(path)/close").contains("还有作品未评完"))
                }
                try await browser.post("\(path)/scores", Dictionary(uniqueKeysWithValues: zip(entries.map { "score\($0.id!)" }, scores.map(String.init))))
            }
            try await city.get(path)
            try await city.post("\(path)/close")
            let closed = try await ContestEntry.query(on: app.db).sort(\.$id).all()
            #expect(closed.map(\.finalRank) == [1, 1, 3])
            #expect(closed.map(\.finalScore) == [8500, 8500, 6500])
            #expect(try await city.get(path).contains("85.00"))
            // Closed projects go to the library with their places.
            let project = posts[0].projectID
            try await district.get("/volunteering/projects/\(project)")
            try await district.post("/volunteering/projects/\(project)/decide", ["decision": "close"])
            let library = try await Browser(app).get("/volunteer/library")
            #expect(library.contains("助学项目") && library.contains("第 1 名"))
        }
    }
}
