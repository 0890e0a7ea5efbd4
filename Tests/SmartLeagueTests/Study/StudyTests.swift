import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

@Suite struct StudyTests {
    static let quiz = "青年大学习多久一期？|每周|每月|每年|A\n团员的年龄上限？|25|28|30|B"

    /// The city publishes an episode open from an hour ago for a week; returns its id.
    static func publish(_ city: Browser, app: Application, season: Int = 12, number: Int = 1, opensInHours: Double = -1) async throws -> Int {
        let now = app.clock.now()
        func local(_ date: Date) -> String { ChinaTime.dateTimeString(date) }
        try await city.get("/study")
        let page = try await city.post("/study", [
            "season": String(season), "number": String(number), "title": "第\(number)期：青春心向党",
            "opensAt": local(now.addingTimeInterval(opensInHours * 3600)), "closesAt": local(now.addingTimeInterval(7 * 86400)),
            "videoURL": "https://h5.cyol.com/special/daxuexi/12-\(number)/index.html", "quiz": quiz])
        guard let location = page.location, let id = Int(location.split(separator: "/").last!) else {
            throw TestApp.Failure("publish failed: \(page.body.prefix(600))")
        }
        return id
    }

    static func member(_ app: Application, _ username: String, in branch: Organization) async throws -> (Browser, Member) {
        let account = try await Fixtures.account(app, username, kind: .member, unit: branch)
        let browser = Browser(app)
        try await browser.signIn(username, "Secret123")
        let member = try await Scope.unrestricted.member(account.memberID, on: app.db)
        return (browser, member)
    }

    @Test func aMemberIsCountedOnceUnderTheBranchTheyAreInThen() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let school = try await Fixtures.child(app, of: haishu, "宁波市第一中学团委", .committee)
            let classA = try await Fixtures.child(app, of: school, "高三(1)班团支部", .branch)
            let classB = try await Fixtures.child(app, of: school, "高三(2)班团支部", .branch)
            let other = try await Fixtures.child(app, of: jiangbei, "江北区某团支部", .branch)
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)

            // Publishing checks the quiz and the times.
            try await city.get("/study")
            let bad = try await city.post("/study", ["season": "12", "number": "1", "title": "x", "opensAt": "2026-12-01 10:00",
                                                     "closesAt": "2026-11-01 10:00", "videoURL": "ftp://x", "quiz": "只有题目|A|Z"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.contains("视频链接应以 https:// 开头"))
            #expect(bad.contains("第 1 行应为“题目|选项A|选项B|…|答案”"))
            let first = try await Self.publish(city, app: app, number: 1)
            #expect(try await city.get("/study").contains("<a href=\"/study/episodes/\(first)\">第12季第1期</a>"))
            #expect(try await city.post("/study", ["season": "12", "number": "1", "title": "重复", "opensAt": "2026-12-01 10:00",
                                                   "closesAt": "2026-12-08 10:00", "videoURL": "https://x.cn", "quiz": Self.quiz])
                .contains("第12季第1期已经发布过"))

            let (zhang, zhangRecord) = try await Self.member(app, "zhang", in: classA)
            let (li, _) = try await Self.member(app, "li", in: classA)
            let (_, _) = try await Self.member(app, "wang", in: classB)
            let (zhao, _) = try await Self.member(app, "zhao", in: other)

            // Answers of the wrong shape are refused with the question named; nothing is stored.
            try await zhang.get("/learn/\(first)")
            let unanswered = try await zhang.post("/learn/\(first)", ["q1": "A"])
            #expect(unanswered.status == .unprocessableEntity)
            #expect(unanswered.contains("第 2 题还没有作答"))
            let outside = try await zhang.post("/learn/\(first)", ["q1": "A", "q2": "E"])
            #expect(outside.contains("第 2 题的答案应为 A、B、C 之一"))
            #expect(try await Scope.unrestricted.query(StudyCompletion.self, on: app.db).count() == 0)

            // Done once; the second time changes nothing.
            let done = try await zhang.post("/learn/\(first)", ["q1": "A", "q2": "C"])
            #expect(done.status == .ok)
            #expect(done.contains("学习完成，已计入本期参学。答对 1/2 题。"))
            let again = try await zhang.post("/learn/\(first)", ["q1": "A", "q2": "B"])
            #expect(again.contains("您已完成过本期学习，不重复计数"))
            #expect(try await Scope.unrestricted.query(StudyCompletion.self, on: app.db).count() == 1)
            try await zhao.get("/learn/\(first)")
            try await zhao.post("/learn/\(first)", ["q1": "A", "q2": "B"])

            // JSON for clients that ask for it, with the field named on a refusal.
            try await li.get("/learn/\(first)")
            let json = try await li.post("/learn/\(first)", ["q1": "A", "q2": "B"], accept: "application/json")
            #expect(json.body.contains("\"status\":\"recorded\""))
            #expect(json.body.contains("\"right\":2"))
            let jsonAgain = try await li.post("/learn/\(first)", ["q1": "A", "q2": "B"], accept: "application/json")
            #expect(jsonAgain.body.contains("\"status\":\"alreadyDone\""))
            // A browser's Accept ends in */*: it gets the page, not JSON.
            let browserAgain = try await li.post("/learn/\(first)", ["q1": "A", "q2": "B"],
                                                 accept: "text/html,application/xhtml+xml,*/*;q=0.8")
            #expect(browserAgain.contains("您已完成过本期学习"))
            #expect(!browserAgain.body.hasPrefix("{"))
            let jsonBad = try await li.post("/learn/\(first)", ["q1": "A"], accept: "application/json")
            #expect(jsonBad.status == .unprocessableEntity)
            #expect(jsonBad.body.contains("\"field\":\"answers\""))

            // Rates at each level: class A 2 of 2, the school 2 of 3, 海曙区 2 of 3, the city 3 of 4.
            let district = try await Fixtures.administrator(app, "haishu", of: haishu)
            let schoolPage = try await district.get("/study/episodes/\(first)?unit=\(school.id!)")
            #expect(schoolPage.contains("<strong id=\"participation\">66.6%</strong>"))
            #expect(schoolPage.contains("<td>1</td><td><a href=\"/study/episodes/\(first)?unit=\(classA.id!)\">高三(1)班团支部</a></td><td>2</td><td>2</td>"))
            #expect(schoolPage.contains("<td>2</td><td><a href=\"/study/episodes/\(first)?unit=\(classB.id!)\">高三(2)班团支部</a></td><td>1</td><td>0</td>"))
            let districtPage = try await district.get("/study/episodes/\(first)")
            #expect(districtPage.contains("<strong id=\"participants\">2</strong>"))
            #expect(try await city.get("/study/episodes/\(first)").contains("<strong id=\"participation\">75.0%</strong>"))
            // Outside the district's scope there is nothing.
            #expect(try await district.get("/study/episodes/\(first)?unit=\(other.id!)").status == .notFound)
            // The branch secretary's reminder list: who has not taken part.
            let classBPage = try await district.get("/study/episodes/\(first)?unit=\(classB.id!)")
            #expect(classBPage.contains("团员wang"))
            #expect(try await district.get("/study/episodes/\(first)?unit=\(classA.id!)").contains("本支部团员都已参学"))

            // 张 changes branch mid-season: episode 1 stays with class A, episode 2 counts in class B.
            let second = try await Self.publish(city, app: app, number: 2)
            try await Self.moveMember(app, zhangRecord, to: classB)
            try await zhang.get("/learn/\(second)")
            try await zhang.post("/learn/\(second)", ["q1": "A", "q2": "B"])
            let completions = try await Scope.unrestricted.query(StudyCompletion.self, on: app.db).filter(\.$memberID == zhangRecord.id!)
                .sort(\.$episodeID).all()
            #expect(completions.map(\.branchID) == [classA.id!, classB.id!])
            let afterMove = try await district.get("/study/episodes/\(second)?unit=\(school.id!)")
            #expect(afterMove.contains("<td>1</td><td><a href=\"/study/episodes/\(second)?unit=\(classB.id!)\">高三(2)班团支部</a></td><td>2</td><td>1</td>"))
            // The season's trend has both episodes; the member's own rate is 2 of 2.
            #expect(afterMove.contains("<polyline"))
            let own = try await zhang.get("/learn")
            #expect(own.contains("<strong id=\"own-rate\">100.0%</strong>"), "\(own.status) \(own.body.prefix(3000))")
            try await StatisticsTests.expectCountsMatchARecount(app)

            // Moving the school to 江北区 takes its completions along.
            try await city.moveApproved(school, to: jiangbei)
            try await StatisticsTests.expectCountsMatchARecount(app)
            #expect(try await city.get("/study/episodes/\(first)?unit=\(jiangbei.id!)").contains("<strong id=\"participants\">3</strong>"))

            // Admins do not take part themselves.
            #expect(try await district.post("/learn/\(second)", ["q1": "A"]).status == .forbidden)
            // A closed episode takes no more completions.
            app.clock.advance(by: 8 * 86400)
            let zhaoAgain = Browser(app)
            try await zhaoAgain.signIn("zhao", "Secret123")
            try await zhaoAgain.get("/learn/\(second)")
            let late = try await zhaoAgain.post("/learn/\(second)", ["q1": "A", "q2": "B"])
            #expect(late.contains("本期学习已结束，不能再提交"))
        }
    }

    static func moveMember(_ app: Application, _ member: Member, to branch: Organization) async throws {
        let fields = ["name": member.name, "residentID": try app.vault.open(member.idSealed), "ethnicity": member.ethnicity,
                      "phone": member.phone ?? "", "education": member.education.label, "occupation": member.occupation.label,
                      "joinedOn": member.joinedOn, "memberNumber": member.memberNumber]
        let draft = try MemberFields.parse(fields, today: CalendarDate(ChinaTime.dateString(app.clock.now()))!).get()
        let change = Fixtures.context(app)
        let vault = app.vault, id = member.id!, branchID = branch.id!
        try await app.writer.write(app.db) { db in
            _ = try await MemberWrites.update(id, draft, branchID: branchID, vault: vault, change, on: db)
        }
    }

    @Test func completionsFromTheNationalPlatformComeInOnceEachWithAReportPerItem() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let branch = try await Fixtures.child(app, of: haishu, "海曙区某团支部", .branch)
            let outside = try await Fixtures.child(app, of: try await Fixtures.unit(app, code: "330205"), "江北区某团支部", .branch)
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            let episode = try await Self.publish(city, app: app, season: 12, number: 5, opensInHours: -48)
            try await Fixtures.member(app, "张甲", sequence: 21, in: branch)
            try await Fixtures.member(app, "张乙", sequence: 23, in: branch)
            try await Fixtures.member(app, "张丙", sequence: 25, in: outside)
            let now = app.clock.now()
            let inWindow = ChinaTime.dateTimeString(now.addingTimeInterval(-3600))
            let csv = CSV.byteOrderMark + CSV.line(CompletionBatch.headers)
                + CSV.line(["T21", "12-5", inWindow]) + CSV.line(["T21", "12-5", inWindow])
                + CSV.line(["T23", "12-5", inWindow]) + CSV.line(["T25", "12-5", inWindow])
                + CSV.line(["T99", "12-5", inWindow]) + CSV.line(["T23", "12-6", inWindow])
                + CSV.line(["T23", "12-5", "昨天"]) + CSV.line(["T23", "12-5", ChinaTime.dateTimeString(now.addingTimeInterval(-5 * 86400))])
            let district = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await district.get("/study/import")
            let report = try await district.upload("/study/import", [:], file: Data(csv.utf8), filename: "daxuexi.csv")
            #expect(report.contains("计入 2 条，此前已计入 1 条，未导入 5 条"))
            #expect(report.contains("找不到团员编号「T25」，或不在您的管理范围内"))
            #expect(report.contains("找不到团员编号「T99」"))
            #expect(report.contains("期次「12-6」不存在"))
            #expect(report.contains("完成时间「昨天」应为"))
            #expect(report.contains("完成时间不在第12季第5期的学习时间内（本期学习尚未开始）"))
            #expect(try await Scope.unrestricted.query(StudyCompletion.self, on: app.db).count() == 2)

            // The same records again, as JSON this time: nothing new.
            let json = #"{"completions": [{"memberNumber": "T21", "episode": "12-5", "completedAt": "\#(inWindow)"}, {"memberNumber": 7}]}"#
            let again = try await district.upload("/study/import", [:], file: Data(json.utf8), filename: "daxuexi.json")
            #expect(again.contains("计入 0 条，此前已计入 1 条，未导入 1 条"))
            #expect(again.contains("应为含 memberNumber、episode、completedAt 三个文字字段的对象"))
            // A broken file is refused whole.
            let broken = try await district.upload("/study/import", [:], file: Data("[{".utf8), filename: "x.json")
            #expect(broken.status == .unprocessableEntity)
            #expect(broken.contains("不是有效的 JSON"))
            #expect(try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action == "study.import").count() == 2)
            #expect(try await district.get("/study/episodes/\(episode)").contains("<strong id=\"participation\">100.0%</strong>"))
            try await StatisticsTests.expectCountsMatchARecount(app)
        }
    }

    /// Hands all claims to the recorder at once, each from its own task.
    static func recordAtOnce(_ claims: [CompletionRecorder.Claim], app: Application) async throws -> [CompletionRecorder.Outcome] {
        let recorder = app.completionRecorder
        return try await withThrowingTaskGroup(of: CompletionRecorder.Outcome.self) { group in
            for claim in claims { group.addTask { try await recorder.submit(claim, on: app.eventLoopGroup.next()).get() } }
            return try await group.reduce(into: [CompletionRecorder.Outcome]()) { $0.append($1) }
        }
    }

    /// A branch in 海曙区 and an open episode the city published.
    static func branchAndEpisode(_ app: Application, _ first: Bootstrap.FirstAdministrator) async throws -> (Organization, Int) {
        let branch = try await Fixtures.child(app, of: try await Fixtures.unit(app, code: "330203"), "海曙区某团支部", .branch)
        let city = Browser(app)
        try await city.signInFirstTime(first.username, first.password)
        return (branch, try await Self.publish(city, app: app))
    }

    /// `count` members of `branch`, and a completion of `episode` claimed for each.
    static func membersAndClaims(_ count: Int, app: Application, in branch: Organization,
                                 episode: Int) async throws -> ([Member], [CompletionRecorder.Claim]) {
        var members: [Member] = []
        for index in 0..<count { members.append(try await Fixtures.member(app, "成员\(index)", sequence: 101 + index * 2, in: branch)) }
        return (members, members.map { CompletionRecorder.Claim(learner: .member(id: $0.id!, branchID: branch.id!, branchPath: branch.path),
                                                                episodeID: episode, score: 2, at: app.clock.now()) })
    }

    @Test func aBurstOfConcurrentCompletionsStoresEachMemberOnce() async throws {
        try await TestApp.run { app, first in
            let (branch, episode) = try await Self.branchAndEpisode(app, first)
            let (_, claims) = try await Self.membersAndClaims(20, app: app, in: branch, episode: episode)
            // Each member three times at once: exactly one of the three is recorded.
            let outcomes = try await Self.recordAtOnce(claims + claims + claims, app: app)
            #expect(outcomes.filter { $0 == .recorded }.count == 20)
            #expect(outcomes.filter { $0 == .alreadyDone }.count == 40)
            #expect(try await Scope.unrestricted.query(StudyCompletion.self, on: app.db).count() == 20)
            try await StatisticsTests.expectCountsMatchARecount(app)
        }
    }

    /// On SQLite the burst writes through a connection of its own (`SQLiteDirect`): while it
    /// does, the ordinary writes through Fluent go on, and neither side loses one.
    @Test func aBurstAndOrdinaryWritesAtTheSameTimeAllLand() async throws {
        try await TestApp.run { app, first in
            let (branch, episode) = try await Self.branchAndEpisode(app, first)
            let (members, claims) = try await Self.membersAndClaims(40, app: app, in: branch, episode: episode)
            let phones = members.map(\.id!)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let outcomes = try await Self.recordAtOnce(claims, app: app)
                    #expect(outcomes.allSatisfy { $0 == .recorded })
                }
                for id in phones + phones {
                    group.addTask {
                        // Read, then write, as most writes do: the pattern a second writer breaks on SQLite.
                        try await app.writer.write(app.db) { db in
                            let member = try await Member.find(id, on: db)!
                            member.phone = "1380000\(id % 10_000)"
                            try await member.update(on: db)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await Scope.unrestricted.query(StudyCompletion.self, on: app.db).count() == 40)
            #expect(try await Member.query(on: app.db).filter(\.$phone ~~ "1380000").count() == 40)
            try await StatisticsTests.expectCountsMatchARecount(app)
        }
    }

    /// The burst path (`CompletionBurst`) records only for a signed-in member with a live session
    /// and the right token; every other request gets exactly what the ordinary checks answer.
    @Test func theBurstPathTakesOnlyPlainCompletionsAndLeavesEveryOtherAnswerToTheOrdinaryChecks() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let classA = try await Fixtures.child(app, of: haishu, "某中学高一(1)班团支部", .branch)
            let classB = try await Fixtures.child(app, of: haishu, "某中学高一(2)班团支部", .branch)
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            let episode = try await Self.publish(city, app: app)
            let answers = ["q1": "A", "q2": "B"]
            func json(_ browser: Browser, _ form: [String: String] = answers) async throws -> Browser.Page {
                try await browser.post("/learn/\(episode)", form, accept: "application/json")
            }
            func stored() async throws -> Int { try await Scope.unrestricted.query(StudyCompletion.self, on: app.db).count() }

            // No session, or a wrong token: nothing is stored and the ordinary answers come back.
            #expect(try await json(Browser(app)).location?.hasPrefix("/login") == true)
            let (wu, wuRecord) = try await Self.member(app, "wu", in: classA)
            try await wu.get("/learn/\(episode)")
            #expect(try await json(wu, answers.merging(["csrf": "forged"]) { $1 }).status == .forbidden)
            // Cadres and volunteers do not take part; a one-time password must be replaced first.
            let district = try await Fixtures.administrator(app, "haishu", of: haishu)
            #expect(try await json(district).status == .forbidden)
            try await Fixtures.account(app, "helper", kind: .volunteer, unit: classA)
            let helper = Browser(app)
            try await helper.signIn("helper", "Secret123")
            try await helper.get("/volunteer/me")
            let refused = try await json(helper)
            #expect(refused.status == .notFound, "\(refused.status) \(refused.body.prefix(300))")
            let (sun, _) = try await Self.member(app, "sun", in: classA)
            try await sun.get("/learn/\(episode)")
            try await app.writer.write(app.db) { db in
                try await Account.query(on: db).filter(\.$username == "sun").set(\.$mustChangePassword, to: true).update()
            }
            #expect(try await json(sun).location == "/account/password")
            #expect(try await stored() == 0)

            // A plain completion is recorded once, under the branch the member is in at that moment,
            // and keeps the session alive.
            try await Self.moveMember(app, wuRecord, to: classB)
            app.clock.advance(by: 5 * 60)
            let done = try await json(wu)
            #expect(done.body.contains("\"status\":\"recorded\""), "\(done.status) \(done.body)")
            #expect(try await json(wu).body.contains("\"status\":\"alreadyDone\""))
            #expect(try await Scope.unrestricted.query(StudyCompletion.self, on: app.db).all().map(\.branchID) == [classB.id!])
            let session = try await BrowserSession.query(on: app.db).filter(\.$id == SessionStore.key(for: wu.cookies["sl_session"]!)).first()
            #expect(abs(session!.lastSeenAt.timeIntervalSince(app.clock.now())) < 5)

            // An idle session has ended: the ordinary check closes it and asks for a sign-in.
            let (zhou, _) = try await Self.member(app, "zhou", in: classA)
            try await zhou.get("/learn/\(episode)")
            app.clock.advance(by: 31 * 60)
            #expect(try await json(zhou).location?.hasPrefix("/login") == true)
            #expect(try await BrowserSession.query(on: app.db).filter(\.$id == SessionStore.key(for: zhou.cookies["sl_session"] ?? "")).count() == 0)
            #expect(try await stored() == 1)
            try await StatisticsTests.expectCountsMatchARecount(app)
        }
    }

    @Test func aBurstThroughSessionsStoresEachMemberOnce() async throws {
        try await TestApp.run { app, first in
            let (branch, episode) = try await Self.branchAndEpisode(app, first)
            var claims: [CompletionRecorder.Claim] = []
            for index in 0..<12 {
                let (browser, _) = try await Self.member(app, "learner\(index)", in: branch)
                try await browser.get("/learn/\(episode)")
                // Every third one sends a token that is not its session's.
                let csrf = index % 3 == 2 ? "forged" : browser.csrf
                claims.append(CompletionRecorder.Claim(learner: .session(key: SessionStore.key(for: browser.cookies["sl_session"]!), csrf: csrf),
                                                       episodeID: episode, score: 2, at: app.clock.now()))
            }
            claims.append(CompletionRecorder.Claim(learner: .session(key: SessionStore.key(for: "no such session"), csrf: ""),
                                                   episodeID: episode, score: 2, at: app.clock.now()))
            // Each three times at once: one of the three is recorded; the others are left to the ordinary route.
            let outcomes = try await Self.recordAtOnce(claims + claims + claims, app: app)
            #expect(outcomes.filter { $0 == .recorded }.count == 8)
            #expect(outcomes.filter { $0 == .alreadyDone }.count == 16)
            #expect(outcomes.filter { $0 == .notForBurst }.count == 15)
            #expect(try await Scope.unrestricted.query(StudyCompletion.self, on: app.db).count() == 8)
            try await StatisticsTests.expectCountsMatchARecount(app)
        }
    }
}
