import Fluent
import Foundation
import LeagueCore
import SQLKit
import Testing
import Vapor
@testable import SmartLeague

@Suite struct GradingTests {
    @Test func branchesAssessThemselvesAndTheCommitteeAboveSetsTheirLevelWithinTheCaps() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let school = try await Fixtures.child(app, of: haishu, "宁波市第一中学团委", .committee)
            var old: [Organization] = []
            for name in ["高三(1)班团支部", "高三(2)班团支部"] {
                let branch = try await Fixtures.child(app, of: school, name, .branch)
                branch.establishedOn = "2020-09-01"
                try await branch.save(on: app.db)
                old.append(branch)
            }
            // Set up today: too young to take part.
            try await Fixtures.child(app, of: school, "高一(9)班团支部", .branch)
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            try await city.get("/grading")
            let opened = try await city.post("/grading", ["year": "2026", "fiveStarCap": "50"])
            #expect(opened.location?.hasPrefix("/grading/") == true)
            #expect(try await Scope.unrestricted.query(GradingSheet.self, on: app.db).count() == 2)
            #expect(try await city.post("/grading", ["year": "2026"]).contains("2026 年度的对标定级已经开始"))

            // The branch fills in its five items; it submits only when every item is scored and both have signed.
            let sheets = try await Scope.unrestricted.query(GradingSheet.self, on: app.db).sort(\.$branchPath).all()
            let branchAdmin = try await Fixtures.administrator(app, "class1", of: old[0])
            try await branchAdmin.get("/grading/sheets/\(sheets[0].id!)")
            var form = ["action": "submit"]
            for item in GradingItem.allCases { form["score-\(item.rawValue)"] = "19" }
            #expect(try await branchAdmin.post("/grading/sheets/\(sheets[0].id!)/self", form).contains("提交前须由支部书记签名"))
            form["score-impact"] = "25"
            #expect(try await branchAdmin.post("/grading/sheets/\(sheets[0].id!)/self", form).contains("每项 0 到 20 分的整数"))
            form["score-impact"] = "19"
            form["secretary"] = "陈书记"
            form["representative"] = "团员李四"
            #expect(try await branchAdmin.post("/grading/sheets/\(sheets[0].id!)/self", form).location == "/grading/sheets/\(sheets[0].id!)")
            #expect(try await branchAdmin.post("/grading/sheets/\(sheets[0].id!)/self", form).contains("自评已提交"))
            // It cannot grade itself.
            #expect(try await branchAdmin.post("/grading/sheets/\(sheets[0].id!)/review", ["action": "review"])
                .contains("团支部不能给自己定级"))

            // The school checks it against the system's figures and scores it: 92, five stars.
            let schoolAdmin = try await Fixtures.administrator(app, "school", of: school)
            let page = try await schoolAdmin.get("/grading/sheets/\(sheets[0].id!)")
            #expect(page.contains("团员人数："))
            #expect(page.contains("三会一课"))
            var review = ["action": "review"]
            for (item, points) in zip(GradingItem.allCases, [20, 18, 18, 18, 18]) { review["review-\(item.rawValue)"] = String(points) }
            try await schoolAdmin.post("/grading/sheets/\(sheets[0].id!)/review", review)
            let graded = try await Scope.unrestricted.find(GradingSheet.self, sheets[0].id, on: app.db)
            #expect(graded.score == 92)
            #expect(graded.level == .fiveStar)

            // The second branch at 95 would make 2 of 2 five-star: over the cap of 50%.
            let second = try await Fixtures.administrator(app, "class2", of: old[1])
            try await second.get("/grading/sheets/\(sheets[1].id!)")
            try await second.post("/grading/sheets/\(sheets[1].id!)/self", form)
            try await schoolAdmin.get("/grading/sheets/\(sheets[1].id!)")
            var high = ["action": "review"]
            for (item, points) in zip(GradingItem.allCases, [20, 20, 20, 20, 15]) { high["review-\(item.rawValue)"] = String(points) }
            #expect(try await schoolAdmin.post("/grading/sheets/\(sheets[1].id!)/review", high).contains("五星级将达到 2/2，超过本地上限 50%"))
            // A veto makes it weak and lax whatever the score.
            high["veto-leadershipVacant"] = "1"
            try await schoolAdmin.post("/grading/sheets/\(sheets[1].id!)/review", high)
            #expect(try await Scope.unrestricted.find(GradingSheet.self, sheets[1].id, on: app.db).level == .weak)

            // The distribution under the school; another district sees none of it.
            let round = try await schoolAdmin.get("/grading/\(graded.roundID)")
            #expect(round.contains("<strong id=\"taking-part\">2</strong>"))
            #expect(round.contains("五星级"))
            let jiangbei = try await Fixtures.administrator(app, "jiangbei", of: try await Fixtures.unit(app, code: "330205"))
            #expect(try await jiangbei.get("/grading/sheets/\(sheets[0].id!)").status == .notFound)
            #expect(try await jiangbei.get("/grading/\(graded.roundID)").contains("<strong id=\"taking-part\">0</strong>"))
        }
    }

    @Test func cadresShowTheMixTheFrontLineShareAndOverdueElections() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let branch = try await Fixtures.child(app, of: haishu, "海曙区某团支部", .branch)
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await admin.get("/cadres?unit=\(branch.id!)")
            let threeYearsAgo = CalendarDate(year: CalendarDate(ChinaTime.dateString(app.clock.now()))!.year - 3, month: 1, day: 10)!
            try await admin.post("/cadres", ["unit": String(branch.id!), "name": "陈书记", "post": "secretary", "mode": "partTime",
                                             "termStart": threeYearsAgo.description, "frontLine": "1"])
            let again = try await admin.post("/cadres", ["unit": String(branch.id!), "name": "王书记", "post": "secretary",
                                                         "mode": "fullTime", "termStart": threeYearsAgo.description])
            #expect(again.contains("已有在任书记"))
            try await admin.post("/cadres", ["unit": String(haishu.id!), "name": "赵书记", "post": "secretary", "mode": "fullTime",
                                             "termStart": "2025-01-01"])
            try await admin.post("/cadres", ["unit": String(haishu.id!), "name": "钱委员", "post": "committeeMember", "mode": "seconded",
                                             "termStart": "2025-01-01"])
            let page = try await admin.get("/cadres")
            #expect(page.contains("<strong id=\"cadre-total\">3</strong>"))
            #expect(page.contains("<span id=\"front-line\">33%</span>"))
            #expect(page.contains("专职"))
            // The branch's committee has served more than two years; the district's five-year term has not run out.
            #expect(page.contains("<a href=\"/cadres?unit=\(branch.id!)\">海曙区某团支部</a>"))
            #expect(!page.contains("<a href=\"/cadres?unit=\(haishu.id!)\">"))
            let secretary = try #require(try await Scope.unrestricted.query(Cadre.self, on: app.db).filter(\.$name == "陈书记").first())
            try await admin.post("/cadres/\(secretary.id!)/leave")
            #expect(try await Scope.unrestricted.query(Cadre.self, on: app.db).filter(\.$leftOn == nil).count() == 2)
            #expect(try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action ~~ ["cadre.add", "cadre.leave"]).count() == 4)

            // The page reads kept figures (`CadreFigures`): after the leave the branch is no longer
            // overdue and the district counts two; they equal a recount, also after the branch moves.
            let after = try await admin.get("/cadres")
            #expect(after.contains("<strong id=\"cadre-total\">2</strong>") && !after.contains("<a href=\"/cadres?unit=\(branch.id!)\">"))
            try await admin.post("/cadres", ["unit": String(branch.id!), "name": "孙书记", "post": "secretary", "mode": "partTime",
                                             "termStart": threeYearsAgo.description, "frontLine": "1"])
            #expect(try await admin.get("/cadres").contains("<a href=\"/cadres?unit=\(branch.id!)\">"))
            func kept() async throws -> [String] {
                var rows = try await Fixtures.keptRows(CadreFigures.serving, app)
                struct Term: Decodable { let unit_id: Int; let unit_path: String; let term_start: String }
                rows += try await app.db.sql.select().columns("unit_id", "unit_path", "term_start").from(CadreFigures.termsSchema)
                    .orderBy("unit_id").all(decoding: Term.self).map { "\($0.unit_id) \($0.unit_path) \($0.term_start)" }
                return rows
            }
            func recounted() async throws -> Bool {
                let before = try await kept()
                try await app.writer.write(app.db) { db in try await CadreFigures.rebuild(on: db) }
                return try await kept() == before
            }
            #expect(try await recounted())
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            try await app.writer.write(app.db) { db in try await OrganizationWrites.applyMove(branch, to: jiangbei, Fixtures.context(app), on: db) }
            #expect(try await recounted())
            #expect(try await admin.get("/cadres").contains("<strong id=\"cadre-total\">2</strong>"))
            let north = try await Fixtures.administrator(app, "jiangbei", of: jiangbei)
            let northPage = try await north.get("/cadres")
            #expect(northPage.contains("<strong id=\"cadre-total\">1</strong>") && northPage.contains("<a href=\"/cadres?unit=\(branch.id!)\">"))
        }
    }
}

extension GradingTests {
    /// A leave sent ten times at once is recorded once, and the kept counts lose the cadre once.
    @Test func aLeaveSentTwiceAtOnceCountsOnce() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let branch = try await Fixtures.child(app, of: haishu, "海曙区某团支部", .branch)
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await admin.get("/cadres?unit=\(branch.id!)")
            try await admin.post("/cadres", ["unit": String(branch.id!), "name": "陈书记", "post": "secretary", "mode": "partTime",
                                             "termStart": "2025-01-10"])
            let cadre = try #require(try await Scope.unrestricted.query(Cadre.self, on: app.db).filter(\.$name == "陈书记").first())
            var browsers: [Browser] = []
            for _ in 0..<10 {
                let browser = Browser(app)
                try await browser.signIn("haishu", "Secret123")
                try await browser.get("/cadres")
                browsers.append(browser)
            }
            let statuses = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                for browser in browsers { group.addTask { try await browser.post("/cadres/\(cadre.id!)/leave").status } }
                return try await group.reduce(into: [HTTPResponseStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .seeOther }.count == 1 && !statuses.contains { $0.code >= 500 })
            #expect(try await CadreFigures.serving.rows(of: haishu.id!, on: app.db).allSatisfy { $0.figures == [0, 0] })
        }
    }
}
