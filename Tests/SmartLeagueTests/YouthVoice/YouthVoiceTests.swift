import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

/// 青年之声 end to end: a young person asks (with a light account made on the spot), the item goes
/// to the unit the city's rules name, is accepted, passed, answered once, published without
/// personal data, rated and reopened once; overdue items are reported to the level above; every
/// reader sees only what their scope allows.
@Suite struct YouthVoiceTests {
    static let haishu = "330203"

    static func question(_ app: Application, district: Organization, category: String = "就业创业",
                         title: String = "毕业生见习岗位怎么申请", mayPublish: Bool = true) async throws -> VoiceWrites.Question {
        let categoryID = try #require(try await VoiceCategory.query(on: app.db).filter(\.$name == category).first()?.id)
        return .init(categoryID: categoryID, districtID: district.id!, title: title, body: "今年毕业，想了解就业见习基地的申请条件和补贴。",
                     phone: "13800001111", mayPublish: mayPublish, anonymous: false)
    }

    /// Asks through the write as a young person of a light account, on a given day.
    static func ask(_ app: Application, _ question: VoiceWrites.Question, on day: CalendarDate, username: String = "youth.one") async throws -> VoiceItem {
        let change = ChangeContext(scope: .unrestricted, actor: .commandLine(), now: ChinaTime.startOfDay(day).addingTimeInterval(10 * 3600))
        let hash = try await Passwords.hash("Secret123", app: app)
        return try await app.writer.write(app.db) { db in
            try await VoiceWrites.askWithNewAccount(question, account: .init(username: username, passwordHash: hash, name: "小王"),
                                                    today: day, change, on: db)
        }
    }

    @Test func itemsGoWhereTheCitysRulesSay() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: Self.haishu)
            let committee = try await Fixtures.child(app, of: haishu, "海曙区某街道团工委", .committee)
            let school = try await Fixtures.child(app, of: haishu, "海曙区某中学团委", .committee)
            let day = CalendarDate(year: 2026, month: 11, day: 2)!
            // Without a rule: the district's own committee.
            var item = try await Self.ask(app, try await Self.question(app, district: haishu), on: day)
            #expect(item.unitID == haishu.id && item.status == .submitted)
            #expect(item.acceptDue == "2026-11-03" && item.answerDue == "2026-11-09")
            #expect(item.number == VoiceWrites.number(id: item.id!, day: day))
            // A district-wide rule, and one for a category, which wins for its category.
            let city = Fixtures.context(app)
            try await app.writer.write(app.db) { db in
                _ = try await VoiceSettings.setRule(.init(districtID: haishu.id!, categoryID: nil, unit: school.code), city, on: db)
                let employment = try await VoiceCategory.query(on: db).filter(\.$name == "就业创业").first()!.id
                _ = try await VoiceSettings.setRule(.init(districtID: haishu.id!, categoryID: employment, unit: committee.code), city, on: db)
            }
            item = try await Self.ask(app, try await Self.question(app, district: haishu), on: day, username: "youth.two")
            #expect(item.unitID == committee.id && item.unitPath == committee.path)
            item = try await Self.ask(app, try await Self.question(app, district: haishu, category: "心理健康"), on: day, username: "youth.three")
            #expect(item.unitID == school.id)
            // A rule's unit must lie in its district.
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            await #expect(throws: Refusal.self) {
                try await app.writer.write(app.db) { db in
                    _ = try await VoiceSettings.setRule(.init(districtID: jiangbei.id!, categoryID: nil, unit: school.code), city, on: db)
                }
            }
            // Setting a rule again replaces it.
            try await app.writer.write(app.db) { db in
                _ = try await VoiceSettings.setRule(.init(districtID: haishu.id!, categoryID: nil, unit: haishu.code), city, on: db)
            }
            #expect(try await VoiceRoutingRule.query(on: app.db).filter(\.$categoryID == nil).count() == 1)
            // The city itself, for a question of the whole city.
            let root = try await Scope.unrestricted.organizations(on: app.db).filter(\.$parentID == nil).first()!
            item = try await Self.ask(app, try await Self.question(app, district: root), on: day, username: "youth.four")
            #expect(item.unitID == root.id)
        }
    }

    @Test func aYoungPersonAsksOnThePhoneAndACadreAnswers() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: Self.haishu)
            let category = try #require(try await VoiceCategory.query(on: app.db).filter(\.$name == "权益保护").first())
            let visitor = Browser(app)
            let form = try await visitor.get("/voice/ask")
            #expect(form.status == .ok && form.contains("权益保护") && form.contains("创建账号"))
            // Wrong input: every problem beside its field, nothing stored.
            let wrong = try await visitor.post("/voice/ask", ["category": "", "district": String(haishu.id!), "title": "短", "body": "太短",
                                                             "name": "小李", "username": "xiaoli2026", "password": "short", "confirm": "short"])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.contains("请选择问题类别") && wrong.contains("标题至少 4 个字") && wrong.contains("问题或诉求至少 10 个字"))
            #expect(try await VoiceItem.query(on: app.db).count() == 0)
            #expect(try await Account.query(on: app.db).filter(\.$username == "xiaoli2026").count() == 0)
            // A post without the page's token is refused.
            let stranger = Browser(app)
            #expect(try await stranger.post("/voice/ask", ["title": "x", "csrf": "forged"]).status == .forbidden)
            let asked = try await visitor.post("/voice/ask", [
                "category": String(category.id!), "district": String(haishu.id!), "title": "实习单位不发补贴",
                "body": "在一家公司实习三个月，没有签实习协议，也没有发放约定的补贴。", "phone": "13900002222", "mayPublish": "1",
                "name": "小李", "username": "xiaoli2026", "password": "Secret123", "confirm": "Secret123"])
            #expect(asked.status == .ok && asked.contains("xiaoli2026"))
            let item = try #require(try await VoiceItem.query(on: app.db).first())
            #expect(asked.contains(item.number) && item.unitID == haishu.id && item.askerName == "小李")
            let account = try #require(try await Account.query(on: app.db).filter(\.$username == "xiaoli2026").first())
            #expect(account.kind == .youth && item.askerAccountID == account.id)

            // The young person follows it from their light account; league pages stay closed.
            let youth = Browser(app)
            #expect(try await youth.signIn("xiaoli2026", "Secret123").status == .seeOther)
            #expect(try await youth.get("/").location == "/voice/mine")
            let mine = try await youth.get("/voice/mine")
            #expect(mine.contains(item.number) && mine.contains("待受理"))
            #expect(try await youth.get("/members").status == .notFound)
            #expect(try await youth.get("/voice/queue").status == .notFound)

            // The district's cadre accepts and answers, publishing it.
            let cadre = try await Fixtures.administrator(app, "haishu.voice", of: haishu)
            let queue = try await cadre.get("/voice/queue")
            #expect(queue.contains(item.number) && queue.contains("实习单位不发补贴"))
            #expect(try await cadre.get("/voice/queue/\(item.id!)").contains("13900002222"))
            #expect(try await cadre.post("/voice/queue/\(item.id!)/accept").status == .seeOther)
            let short = try await cadre.post("/voice/queue/\(item.id!)/answer", ["answer": "好", "publish": "1"])
            #expect(short.status == .unprocessableEntity && short.contains("答复内容至少 5 个字"))
            try await cadre.get("/voice/queue/\(item.id!)")
            let answer = "已联系区人力社保局劳动监察大队，请携带实习期间的考勤和聊天记录前往登记，我们将跟进处理结果。"
            #expect(try await cadre.post("/voice/queue/\(item.id!)/answer", ["answer": answer, "publish": "1"]).status == .seeOther)
            // Answered once: a second answer is refused and the first stays.
            try await cadre.get("/voice/queue/\(item.id!)")
            let again = try await cadre.post("/voice/queue/\(item.id!)/answer", ["answer": "另一个答复内容，覆盖前一个。"])
            #expect(again.status == .unprocessableEntity && again.contains("请查看已有的答复"))
            let answered = try await Scope.unrestricted.query(VoiceItem.self, on: app.db).filter(\.$id == item.id!).first()!
            #expect(answered.answer == answer && answered.status == .answered && answered.published)

            // The public sees the question and answer, not the asker's name or phone.
            let list = try await Browser(app).get("/voice")
            #expect(list.contains("实习单位不发补贴"))
            let published = try await Browser(app).get("/voice/answers/\(item.id!)")
            #expect(published.contains(answer) && !published.contains("13900002222") && !published.contains("小李") && published.contains("小同学"))
            #expect(try await Browser(app).get("/voice?q=%E5%AE%9E%E4%B9%A0").contains("实习单位不发补贴"))
            #expect(!(try await Browser(app).get("/voice?q=%E4%B8%8D%E5%AD%98%E5%9C%A8").contains("实习单位不发补贴")))

            // The asker reads which unit answered, not the cadre's name or account.
            let read = try await youth.get("/voice/mine/\(item.id!)")
            #expect(read.contains(answer) && !read.contains("haishu.voice"))
            // Not satisfied: reopened once, back to the same unit with new deadlines, off the public list.
            try await youth.get("/voice/mine/\(item.id!)")
            let reopened = try await youth.post("/voice/mine/\(item.id!)/rating", ["rating": "dissatisfied", "reopen": "1"])
            #expect(reopened.status == .seeOther)
            let back = try await Scope.unrestricted.query(VoiceItem.self, on: app.db).filter(\.$id == item.id!).first()!
            #expect(back.status == .accepted && back.unitID == haishu.id && back.reopened == 1 && !back.published)
            #expect(back.answerDue >= answered.answerDue)
            #expect(!(try await Browser(app).get("/voice").contains("实习单位不发补贴")))
            try await cadre.get("/voice/queue/\(item.id!)")
            #expect(try await cadre.post("/voice/queue/\(item.id!)/answer", ["answer": "经再次协调，实习单位已同意补发补贴，请留意到账。"]).status == .seeOther)
            try await youth.get("/voice/mine/\(item.id!)")
            let twice = try await youth.post("/voice/mine/\(item.id!)/rating", ["rating": "dissatisfied", "reopen": "1"])
            #expect(twice.status == .unprocessableEntity && twice.contains("不能再次要求重新办理"))
            try await youth.get("/voice/mine/\(item.id!)")
            #expect(try await youth.post("/voice/mine/\(item.id!)/rating", ["rating": "fairlySatisfied"]).status == .seeOther)
            let closed = try await Scope.unrestricted.query(VoiceItem.self, on: app.db).filter(\.$id == item.id!).first()!
            #expect(closed.status == .closed && closed.rating == .fairlySatisfied)
            // Every step is in the audit log.
            let actions = try await AuditEntry.query(on: app.db).filter(\.$entityType == "voice_item").all().map(\.action)
            for action in ["voice.ask", "voice.accept", "voice.answer", "voice.rate"] { #expect(actions.contains(action)) }
        }
    }

    @Test func eachReaderSeesOnlyWhatTheirScopeAllows() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: Self.haishu)
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let committee = try await Fixtures.child(app, of: haishu, "海曙区某街道团工委", .committee)
            let day = CalendarDate(year: 2026, month: 11, day: 2)!
            let item = try await Self.ask(app, try await Self.question(app, district: haishu, mayPublish: false), on: day)
            let other = try await Self.ask(app, try await Self.question(app, district: jiangbei), on: day, username: "youth.jb")
            // Beside and below the unit: nothing.
            let jb = try await Fixtures.administrator(app, "jb.voice", of: jiangbei)
            #expect(try await jb.get("/voice/queue/\(item.id!)").status == .notFound)
            #expect(!(try await jb.get("/voice/queue").contains(item.number)))
            #expect(try await jb.post("/voice/queue/\(item.id!)/answer", ["answer": "越权答复的内容"]).status == .notFound)
            let below = try await Fixtures.administrator(app, "committee.voice", of: committee)
            #expect(try await below.get("/voice/queue/\(item.id!)").status == .notFound)
            // Another young person cannot read or rate it.
            let youth = Browser(app)
            _ = try await youth.signIn("youth.jb", "Secret123")
            #expect(try await youth.get("/voice/mine/\(item.id!)").status == .notFound)
            #expect(try await youth.get("/voice/mine/\(other.id!)").status == .ok)
            // Not published: the public sees nothing of it.
            #expect(try await Browser(app).get("/voice/answers/\(item.id!)").status == .notFound)
            // Only the city changes the settings.
            let district = try await Fixtures.administrator(app, "haishu.settings", of: haishu)
            #expect(try await district.get("/voice/settings").status == .notFound)
            #expect(try await district.post("/voice/settings/policy", ["acceptDays": "3", "answerDays": "9", "reopenLimit": "1"]).status == .notFound)
        }
    }

    @Test func itemsArePassedDownAndBackUpWithAReason() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: Self.haishu)
            let committee = try await Fixtures.child(app, of: haishu, "海曙区某街道团工委", .committee)
            let item = try await Self.ask(app, try await Self.question(app, district: haishu), on: CalendarDate(year: 2026, month: 11, day: 2)!)
            let district = try await Fixtures.administrator(app, "haishu.pass", of: haishu)
            let page = try await district.get("/voice/queue/\(item.id!)")
            #expect(page.contains(committee.name))
            #expect(try await district.post("/voice/queue/\(item.id!)/pass", ["unit": String(committee.id!)]).status == .seeOther)
            var moved = try await Scope.unrestricted.query(VoiceItem.self, on: app.db).filter(\.$id == item.id!).first()!
            #expect(moved.unitID == committee.id && moved.unitPath == committee.path && moved.status == .submitted)
            #expect(moved.answerDue == item.answerDue)
            // Back up needs a reason; sideways is refused.
            let below = try await Fixtures.administrator(app, "committee.pass", of: committee)
            try await below.get("/voice/queue/\(item.id!)")
            let noReason = try await below.post("/voice/queue/\(item.id!)/pass", ["unit": String(haishu.id!)])
            #expect(noReason.status == .unprocessableEntity && noReason.contains("退回上级请说明理由"))
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            try await below.get("/voice/queue/\(item.id!)")
            let sideways = try await below.post("/voice/queue/\(item.id!)/pass", ["unit": String(jiangbei.id!)])
            #expect(sideways.status == .unprocessableEntity)
            try await below.get("/voice/queue/\(item.id!)")
            #expect(try await below.post("/voice/queue/\(item.id!)/pass", ["unit": String(haishu.id!), "reason": "不属于本街道辖区"]).status == .seeOther)
            moved = try await Scope.unrestricted.query(VoiceItem.self, on: app.db).filter(\.$id == item.id!).first()!
            #expect(moved.unitID == haishu.id)
            let hops = try await VoiceHop.query(on: app.db).filter(\.$itemID == item.id!).sort(\.$id).all()
            #expect(hops.map(\.kind) == [.routed, .passedDown, .passedUp] && hops.last?.reason == "不属于本街道辖区")
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "voice.pass").count() == 2)
        }
    }

    /// The overdue list of a unit, read along the path index (a small subtree) or along the order of
    /// deadlines (the city's): the same items in the same order, late answers and late acceptances.
    @Test func theOverdueListIsTheSameWhicheverIndexReadsIt() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: Self.haishu)
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let question = try await Self.question(app, district: haishu)
            let lateAnswer = try await Self.ask(app, question, on: CalendarDate(year: 2026, month: 10, day: 26)!, username: "youth.a")
            let lateAccepted = try await Self.ask(app, question, on: CalendarDate(year: 2026, month: 10, day: 27)!, username: "youth.b")
            let lateAcceptance = try await Self.ask(app, question, on: CalendarDate(year: 2026, month: 11, day: 12)!, username: "youth.c")
            _ = try await Self.ask(app, question, on: CalendarDate(year: 2026, month: 11, day: 16)!, username: "youth.d")
            let elsewhere = try await Self.ask(app, try await Self.question(app, district: jiangbei), on: CalendarDate(year: 2026, month: 10, day: 26)!,
                                               username: "youth.e")
            _ = try await app.writer.write(app.db) { db in try await VoiceWrites.accept(lateAccepted.id!, Fixtures.context(app), on: db) }
            let today = CalendarDate(year: 2026, month: 11, day: 16)!
            for condition in [Scope.PathCondition.usingThePathIndex, .walkingTheOrder] {
                let overdue = try await VoiceQueries.overdueItems(today: today, scope: Scope(reach: .subtree(haishu.path)), condition, on: app.db)
                #expect(overdue.map(\.id) == [lateAnswer.id, lateAccepted.id, lateAcceptance.id], "\(condition)")
                let city = try await VoiceQueries.overdueItems(today: today, scope: .unrestricted, condition, on: app.db)
                #expect(Set(city.map(\.id)) == Set([lateAnswer.id, lateAccepted.id, lateAcceptance.id, elsewhere.id]), "\(condition)")
            }
        }
    }

    @Test func overdueItemsAreReportedToTheLevelAboveOnce() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: Self.haishu)
            let root = try await Scope.unrestricted.organizations(on: app.db).filter(\.$parentID == nil).first()!
            let monday = CalendarDate(year: 2026, month: 11, day: 2)!
            let waiting = try await Self.ask(app, try await Self.question(app, district: haishu), on: monday)
            let answeredInTime = try await Self.ask(app, try await Self.question(app, district: haishu), on: monday, username: "youth.two")
            let change = Fixtures.context(app)
            _ = try await app.writer.write(app.db) { db in
                try await VoiceWrites.answer(answeredInTime.id!, text: "按时答复的内容。", publish: false, change, on: db)
            }
            // Tuesday is the last day to accept: not overdue yet.
            var count = try await app.writer.write(app.db) { try await VoiceWrites.escalateOverdue(today: monday.adding(days: 1), change, on: $0) }
            #expect(count == 0)
            count = try await app.writer.write(app.db) { try await VoiceWrites.escalateOverdue(today: monday.adding(days: 2), change, on: $0) }
            #expect(count == 1)
            let late = try await Scope.unrestricted.query(VoiceItem.self, on: app.db).filter(\.$id == waiting.id!).first()!
            #expect(late.escalatedUnitID == root.id && late.unitID == haishu.id && late.isOverdue(today: monday.adding(days: 2)))
            count = try await app.writer.write(app.db) { try await VoiceWrites.escalateOverdue(today: monday.adding(days: 9), change, on: $0) }
            #expect(count == 0)
            // The city sees it reported; the district sees it overdue.
            let city = try await Fixtures.administrator(app, "city.voice", of: root)
            let cityQueue = try await city.get("/voice/queue")
            #expect(cityQueue.contains("下级逾期上报") && cityQueue.contains(late.number))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "voice.escalate").count() == 1)
            // Passed on, it answers to its new unit, and is reported above that one when late there.
            let committee = try await Fixtures.child(app, of: haishu, "海曙区某街道团工委", .committee)
            let passed = try await app.writer.write(app.db) { db in
                try await VoiceWrites.pass(waiting.id!, to: committee.id!, reason: nil, today: monday.adding(days: 2), change, on: db)
            }
            #expect(passed.escalatedUnitID == nil && passed.escalatedAt == nil)
            // The server's periodic sweep does the same for today.
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
            let forgotten = try await Self.ask(app, try await Self.question(app, district: haishu), on: today.adding(days: -20), username: "youth.old")
            for task in YouthVoicePart().periodic { try await task.run(app) }
            let swept = try await Scope.unrestricted.query(VoiceItem.self, on: app.db).filter(\.$id == forgotten.id!).first()!
            #expect(swept.escalatedUnitID == root.id && swept.escalatedAt != nil)
        }
    }

    @Test func twoCadresAnsweringAtOnceLeaveOneAnswer() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: Self.haishu)
            let item = try await Self.ask(app, try await Self.question(app, district: haishu), on: CalendarDate(year: 2026, month: 11, day: 2)!)
            let change = Fixtures.context(app)
            func attempt(_ text: String) async -> VoiceItem? {
                try? await app.writer.write(app.db) { db in
                    try await VoiceWrites.answer(item.id!, text: text, publish: false, change, on: db)
                }
            }
            async let first = attempt("第一位干部的答复。")
            async let second = attempt("第二位干部的答复。")
            let succeeded = await [first, second].compactMap { $0 }
            #expect(succeeded.count == 1)
            let stored = try await Scope.unrestricted.query(VoiceItem.self, on: app.db).filter(\.$id == item.id!).first()!
            #expect(stored.answer == succeeded.first?.answer)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "voice.answer").count() == 1)
        }
    }

    @Test func theCityKeepsItsCalendarAndDeadlines() async throws {
        try await TestApp.run { app, _ in
            let root = try await Scope.unrestricted.organizations(on: app.db).filter(\.$parentID == nil).first()!
            let city = try await Fixtures.administrator(app, "city.settings", of: root)
            #expect(try await city.get("/voice/settings").status == .ok)
            let weekend = try await city.post("/voice/settings/calendar", ["day": "2026-10-03", "kind": "holiday", "note": "国庆节"])
            #expect(weekend.status == .unprocessableEntity && weekend.contains("本就不上班"))
            try await city.get("/voice/settings")
            #expect(try await city.post("/voice/settings/calendar", ["day": "2026-10-01", "kind": "holiday", "note": "国庆节"]).status == .seeOther)
            try await city.get("/voice/settings")
            #expect(try await city.post("/voice/settings/calendar", ["day": "2026-10-10", "kind": "workday", "note": "国庆节调休"]).status == .seeOther)
            let calendar = try await VoicePolicyData.calendar(on: app.db)
            #expect(!calendar.isWorkingDay(CalendarDate("2026-10-01")!) && calendar.isWorkingDay(CalendarDate("2026-10-10")!))
            try await city.get("/voice/settings")
            let bad = try await city.post("/voice/settings/policy", ["acceptDays": "x", "answerDays": "0", "reopenLimit": "9"])
            #expect(bad.status == .unprocessableEntity && bad.contains("受理期限应为") && bad.contains("答复期限应为"))
            try await city.get("/voice/settings")
            #expect(try await city.post("/voice/settings/policy", ["acceptDays": "2", "answerDays": "10", "reopenLimit": "1"]).status == .seeOther)
            #expect(try await VoicePolicyData.policy(on: app.db) == VoicePolicy(acceptDays: 2, answerDays: 10, reopenLimit: 1))
            try await city.get("/voice/settings")
            let duplicate = try await city.post("/voice/settings/categories", ["name": "学业"])
            #expect(duplicate.status == .unprocessableEntity && duplicate.contains("已有类别"))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "voice_setting").count() >= 1)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "calendar.day.add").count() == 2)
        }
    }

    @Test func theDemoCityHasQuestionsInEveryState() async throws {
        try await TestApp.run { app, _ in
            _ = try await DemoCity.build(app, members: 3000, seed: 3)
            let items = try await Scope.unrestricted.query(VoiceItem.self, on: app.db).all()
            #expect(items.count >= 6)
            #expect(Set(items.map(\.status)).count >= 3)
            #expect(items.contains { $0.published } && items.contains { $0.rating != nil })
            #expect(try await WorkingCalendarDay.query(on: app.db).count() > 10)
            // 代表委员联系青年: the roster, meetings, proposals in more than one state, contacts.
            #expect(try await Scope.unrestricted.query(Deputy.self, on: app.db).count() >= 10)
            #expect(try await Scope.unrestricted.query(OutreachMeeting.self, on: app.db).count() > 0)
            #expect(try await Scope.unrestricted.query(Proposal.self, on: app.db).count() > 0)
            #expect(try await Scope.unrestricted.query(YouthContact.self, on: app.db).count() == 33)
            #expect(try await Scope.unrestricted.query(ContactVisit.self, on: app.db).count() > 33)
            let member = Browser(app)
            _ = try await member.signIn("demo.member", DemoCity.demoPassword)
            #expect(try await member.get("/voice/mine").status == .ok)
            let district = Browser(app)
            _ = try await district.signIn("demo.district", DemoCity.demoPassword)
            for page in ["/voice/queue", "/voice/statistics", "/voice/deputies", "/voice/meetings", "/voice/proposals", "/voice/contacts"] {
                #expect(try await district.get(page).status == .ok, "\(page)")
            }
            #expect(try await district.get("/voice/contacts").contains("青年district1"))
        }
    }

    /// The kept counts by status equal a recount from the items (rows come to zero are left).
    static func expectKeptCountsMatchARecount(_ app: Application) async throws {
        let kept = try await Fixtures.keptRows(VoiceTotals.byStatus, app).filter { !$0.hasSuffix(" 0") }
        try await app.writer.write(app.db) { try await VoiceTotals.rebuild(on: $0) }
        #expect(try await Fixtures.keptRows(VoiceTotals.byStatus, app) == kept)
    }

    @Test func keptCountsFollowEveryStepMergesAndMoves() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: Self.haishu)
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let school = try await Fixtures.child(app, of: haishu, "海曙区某中学团委", .committee)
            let a = try await Fixtures.child(app, of: school, "高三(1)班团支部", .branch)
            let b = try await Fixtures.child(app, of: school, "高三(2)班团支部", .branch)
            let monday = CalendarDate(year: 2026, month: 11, day: 2)!
            let change = Fixtures.context(app)
            var items: [VoiceItem] = []
            for number in 0..<4 {
                items.append(try await Self.ask(app, try await Self.question(app, district: haishu), on: monday, username: "youth.k\(number)"))
            }
            let asked = items
            try await app.writer.write(app.db) { db in
                let items = asked
                _ = try await VoiceWrites.pass(items[0].id!, to: a.id!, reason: nil, today: monday, change, on: db)
                _ = try await VoiceWrites.pass(items[1].id!, to: a.id!, reason: nil, today: monday, change, on: db)
                _ = try await VoiceWrites.accept(items[1].id!, change, on: db)
                _ = try await VoiceWrites.pass(items[2].id!, to: b.id!, reason: nil, today: monday, change, on: db)
                _ = try await VoiceWrites.answer(items[2].id!, text: "支部的答复内容。", publish: false, change, on: db)
                _ = try await VoiceWrites.answer(items[3].id!, text: "团区委的答复内容。", publish: false, change, on: db)
                _ = try await VoiceWrites.rate(items[3].id!, .dissatisfied, reopen: true, askerAccountID: items[3].askerAccountID,
                                               today: monday, change, on: db)
            }
            #expect(try await VoiceTotals.counts(of: haishu.id!, on: app.db) == [.submitted: 1, .accepted: 2, .answered: 1])
            #expect(try await VoiceTotals.counts(of: a.id!, on: app.db) == [.submitted: 1, .accepted: 1])
            try await Self.expectKeptCountsMatchARecount(app)
            // A merges into B: its open items go with it; B's school moves to 江北.
            let admin = try await Fixtures.administrator(app, "haishu.merge", of: haishu)
            #expect(try await admin.post("/units/\(a.id!)/merge", ["target": b.code]).status == .seeOther)
            #expect(try await Scope.unrestricted.query(VoiceItem.self, on: app.db).filter(\.$unitID == b.id!).count() == 3)
            try await Self.expectKeptCountsMatchARecount(app)
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            try await city.moveApproved(school, to: jiangbei)
            try await Self.expectKeptCountsMatchARecount(app)
            #expect(try await VoiceTotals.counts(of: jiangbei.id!, on: app.db) == [.submitted: 1, .accepted: 1, .answered: 1])
            // The queue's tabs read the kept counts.
            let queue = try await city.get("/voice/queue")
            #expect(queue.contains("待受理（1）") && queue.contains("办理中（2）") && queue.contains("已答复（1）"))
        }
    }

    @Test func statisticsCountByCategoryAndUnitWithinReach() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: Self.haishu)
            let committee = try await Fixtures.child(app, of: haishu, "海曙区某街道团工委", .committee)
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
            let change = Fixtures.context(app)
            let first = try await Self.ask(app, try await Self.question(app, district: haishu), on: today)
            _ = try await Self.ask(app, try await Self.question(app, district: haishu, category: "心理健康"), on: today, username: "youth.s2")
            let third = try await Self.ask(app, try await Self.question(app, district: haishu), on: today, username: "youth.s3")
            try await app.writer.write(app.db) { db in
                _ = try await VoiceWrites.answer(first.id!, text: "当天的答复内容。", publish: false, change, on: db)
                _ = try await VoiceWrites.rate(first.id!, .satisfied, reopen: false, askerAccountID: first.askerAccountID, today: today, change, on: db)
                _ = try await VoiceWrites.pass(third.id!, to: committee.id!, reason: nil, today: today, change, on: db)
            }
            let district = try await Fixtures.administrator(app, "haishu.stats", of: haishu)
            let page = try await district.get("/voice/statistics")
            #expect(page.status == .ok && page.contains("<th id=\"voice-total\">3</th>"))
            #expect(page.contains("<td>就业创业</td><td>2</td><td>1</td><td>0 / 0</td><td>0 / 0</td><td>0.0%</td><td>100.0%</td><td>0.0%</td>"))
            #expect(page.contains(committee.name))
            // A unit beyond reach has no statistics for this cadre.
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            #expect(try await district.get("/voice/statistics?unit=\(jiangbei.id!)").status == .notFound)
            let below = try await district.get("/voice/statistics?unit=\(committee.id!)")
            #expect(below.contains("<th id=\"voice-total\">1</th>"))
        }
    }

    @Test func theEvaluationScoresUnitsByAnswersInTimeAndSatisfaction() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: Self.haishu)
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
            let change = Fixtures.context(app)
            // One answered in time and rated satisfied, one a month past its deadline.
            let inTime = try await Self.ask(app, try await Self.question(app, district: haishu), on: today)
            _ = try await Self.ask(app, try await Self.question(app, district: haishu), on: CalendarDate(year: today.year, month: 1, day: 5)!,
                                   username: "youth.late")
            try await app.writer.write(app.db) { db in
                _ = try await VoiceWrites.answer(inTime.id!, text: "按时的答复内容。", publish: false, change, on: db)
                _ = try await VoiceWrites.rate(inTime.id!, .fairlySatisfied, reopen: false, askerAccountID: inTime.askerAccountID, today: today, change, on: db)
            }
            let onTime = try #require(IndicatorSource(rawValue: "voiceOnTime"))
            let satisfaction = try #require(IndicatorSource(rawValue: "voiceSatisfaction"))
            #expect(try await EvaluationFigures.score(onTime, year: today.year, unitID: haishu.id!, today: today, on: app.db) == 50)
            #expect(try await EvaluationFigures.score(satisfaction, year: today.year, unitID: haishu.id!, today: today, on: app.db) == 100)
            // An open question is late only once its deadline has passed on the day asked about.
            _ = try await Self.ask(app, try await Self.question(app, district: haishu), on: today, username: "youth.open")
            #expect(try await EvaluationFigures.score(onTime, year: today.year, unitID: haishu.id!, today: today, on: app.db) == 66)
            #expect(try await EvaluationFigures.score(onTime, year: today.year, unitID: haishu.id!, today: today.adding(days: 30), on: app.db) == 33)
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            #expect(try await EvaluationFigures.score(onTime, year: today.year, unitID: jiangbei.id!, today: today, on: app.db) == 100)
            // The city's scheme offers them; an unknown key is refused.
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            try await city.get("/evaluations")
            let created = try await city.post("/evaluations", ["year": String(today.year), "title": "年度考核"])
            let scheme = try #require(created.location)
            let page = try await city.get(scheme)
            #expect(page.contains("系统计算：青年之声按时答复率") && page.contains("value=\"voiceOnTime\""))
            let bogus = try await city.post(scheme + "/indicators", ["name": "不存在的指标", "weight": "5", "source": "bogus"])
            #expect(bogus.status == .unprocessableEntity && bogus.contains("请选择计分方式"))
        }
    }

    @Test func questionsAskedAtOnceAreFiledTogetherAndARefusalStaysWithItsQuestion() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: Self.haishu)
            let study = try #require(try await VoiceCategory.query(on: app.db).filter(\.$name == "学业").first())
            let family = try #require(try await VoiceCategory.query(on: app.db).filter(\.$name == "婚恋家庭").first())
            var askers: [Browser] = []
            for number in 0..<12 {
                try await Fixtures.account(app, "youth.b\(number)", kind: .youth, unit: haishu)
                let browser = Browser(app)
                _ = try await browser.signIn("youth.b\(number)", "Secret123")
                try await browser.get("/voice/ask")
                askers.append(browser)
            }
            // The city retires a category while one young person still has the form open.
            try await app.writer.write(app.db) { db in _ = try await VoiceSettings.toggleCategory(family.id!, Fixtures.context(app), on: db) }
            let statuses = try await withThrowingTaskGroup(of: (Int, HTTPResponseStatus, String).self) { group in
                for (number, browser) in askers.enumerated() {
                    group.addTask {
                        let page = try await browser.post("/voice/ask", [
                            "category": String((number == 5 ? family : study).id!), "district": String(haishu.id!),
                            "title": "图书馆自习座位不够", "body": "期末复习期间图书馆自习座位很紧张，希望青年之家能开放自习室。"])
                        // A question received leads to its own page, which says so.
                        guard let location = page.location else { return (number, page.status, page.body) }
                        return (number, page.status, try await browser.get(location).body)
                    }
                }
                return try await group.reduce(into: [Int: (HTTPResponseStatus, String)]()) { $0[$1.0] = ($1.1, $1.2) }
            }
            #expect(statuses[5]?.0 == .unprocessableEntity && statuses[5]?.1.contains("请选择问题类别") == true)
            #expect(statuses.filter { $0.key != 5 }.allSatisfy { $0.value.0 == .seeOther && $0.value.1.contains("提交成功") })
            let items = try await Scope.unrestricted.query(VoiceItem.self, on: app.db).all()
            #expect(items.count == 11 && Set(items.map(\.number)).count == 11)
            #expect(try await VoiceTotals.counts(of: haishu.id!, on: app.db) == [.submitted: 11])
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "voice.ask").count() == 11)
            try await Self.expectKeptCountsMatchARecount(app)
        }
    }

    @Test func aQuestionTheDatabaseRefusesDoesNotSinkTheOthersOfItsBatch() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: Self.haishu)
            let study = try #require(try await VoiceCategory.query(on: app.db).filter(\.$name == "学业").first())
            let youth = try await Fixtures.account(app, "youth.batch", kind: .youth, unit: haishu)
            func asking(by accountID: Int, _ title: String) -> VoiceWrites.Asking {
                VoiceWrites.Asking(question: .init(categoryID: study.id!, districtID: haishu.id!, title: title,
                                                   body: "期末复习期间图书馆自习座位很紧张，希望能开放更多自习室。", phone: nil, mayPublish: false, anonymous: false),
                                   asker: .init(accountID: accountID, name: "小王"), today: CalendarDate(year: 2026, month: 12, day: 2)!, change: Fixtures.context(app))
            }
            // The middle one names an account that does not exist: its row breaks a foreign key.
            let results = try await VoiceAskQueue.file([asking(by: youth.id!, "自习室不够"), asking(by: 987_654, "无主的问题"),
                                                    asking(by: youth.id!, "图书馆闭馆太早")], app)
            #expect(results.count == 3)
            #expect((try? results[0].get())?.title == "自习室不够" && (try? results[2].get())?.title == "图书馆闭馆太早")
            if case .failure(let refusal) = results[1] { #expect(refusal.message == "提交未成功，请检查填写的内容后再试") } else { Issue.record("filed: \(results[1])") }
            let items = try await Scope.unrestricted.query(VoiceItem.self, on: app.db).all()
            #expect(Set(items.map(\.title)) == ["自习室不够", "图书馆闭馆太早"])
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "voice.ask").count() == 2)
            #expect(try await VoiceTotals.counts(of: haishu.id!, on: app.db) == [.submitted: 2])
        }
    }

    @Test func aPhotoGoesWithTheQuestionToTheAskerAndTheUnitOnly() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: Self.haishu)
            let study = try #require(try await VoiceCategory.query(on: app.db).filter(\.$name == "社区生活").first())
            try await Fixtures.account(app, "youth.photo", kind: .youth, unit: haishu)
            let youth = Browser(app)
            _ = try await youth.signIn("youth.photo", "Secret123")
            let fields = ["category": String(study.id!), "district": String(haishu.id!), "title": "小区篮球场灯坏了",
                          "body": "小区篮球场的照明灯坏了一个多月，晚上没法打球，照片见附件。", "mayPublish": "1"]
            // Not an image: refused beside the field, nothing stored.
            try await youth.get("/voice/ask")
            let text = try await youth.upload("/voice/ask", fields, file: Data("不是图片".utf8), filename: "a.txt", contentType: "text/plain", field: "photo")
            #expect(text.status == .unprocessableEntity && text.contains("class=\"error\""))
            #expect(try await Scope.unrestricted.query(VoiceItem.self, on: app.db).count() == 0)
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52])
            try await youth.get("/voice/ask")
            let asked = try await youth.upload("/voice/ask", fields, file: png, filename: "court.png", contentType: "image/png", field: "photo")
            let item = try #require(try await Scope.unrestricted.query(VoiceItem.self, on: app.db).first())
            // The answer leads to the question's own page: reloading that asks nothing again.
            #expect(asked.status == .seeOther && asked.location == "/voice/mine/\(item.id!)?asked=1")
            let received = try await youth.get(try #require(asked.location))
            #expect(received.status == .ok && received.contains("提交成功") && received.contains(item.number))
            #expect(try await youth.get("/voice/mine/\(item.id!)").contains("提交成功") == false)
            let photo = try #require(try await VoiceQueries.photos(of: item.id!, on: app.db).first)
            // The asker and the unit see it; another district and the public do not.
            let mine = try await youth.get("/voice/mine/\(item.id!)")
            #expect(mine.contains("/voice/mine/\(item.id!)/photos/\(photo)"))
            #expect(try await youth.get("/voice/mine/\(item.id!)/photos/\(photo)").status == .ok)
            let cadre = try await Fixtures.administrator(app, "haishu.photo", of: haishu)
            #expect(try await cadre.get("/voice/queue/\(item.id!)").contains("/voice/queue/\(item.id!)/photos/\(photo)"))
            #expect(try await cadre.get("/voice/queue/\(item.id!)/photos/\(photo)").status == .ok)
            let other = try await Fixtures.administrator(app, "jb.photo", of: try await Fixtures.unit(app, code: "330205"))
            #expect(try await other.get("/voice/queue/\(item.id!)/photos/\(photo)").status == .notFound)
            try await cadre.get("/voice/queue/\(item.id!)")
            _ = try await cadre.post("/voice/queue/\(item.id!)/answer", ["answer": "已联系物业，本周内修好照明灯。", "publish": "1"])
            let published = try await Browser(app).get("/voice/answers/\(item.id!)")
            #expect(published.status == .ok && !published.contains("/photos/"))
        }
    }
}
