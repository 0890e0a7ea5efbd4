import Fluent
import Foundation
import LeagueCore
import Vapor

/// 青年之声 in the demo city, through the part's own writes: this year's working calendar, a
/// routing rule, and young people's questions of the last two months in every state — waiting,
/// being handled, answered and published, rated, reopened, passed down and overdue (reported to
/// the level above). The demo member has asked twice.
enum VoiceDemo {
    /// The State Council's 2026 calendar as the city would enter it: weekdays off and weekend days worked.
    static let calendar2026: [(String, WorkingCalendarDay.Kind, String)] = [
        ("2026-01-01", .holiday, "元旦"), ("2026-01-02", .holiday, "元旦"), ("2026-01-04", .workday, "元旦调休"),
        ("2026-02-14", .workday, "春节调休"), ("2026-02-16", .holiday, "春节"), ("2026-02-17", .holiday, "春节"), ("2026-02-18", .holiday, "春节"),
        ("2026-02-19", .holiday, "春节"), ("2026-02-20", .holiday, "春节"), ("2026-02-23", .holiday, "春节"), ("2026-02-28", .workday, "春节调休"),
        ("2026-04-06", .holiday, "清明节"), ("2026-05-01", .holiday, "劳动节"), ("2026-05-04", .holiday, "劳动节"), ("2026-05-05", .holiday, "劳动节"),
        ("2026-05-09", .workday, "劳动节调休"), ("2026-06-19", .holiday, "端午节"), ("2026-09-20", .workday, "国庆节调休"),
        ("2026-09-25", .holiday, "中秋节"), ("2026-10-01", .holiday, "国庆节"), ("2026-10-02", .holiday, "国庆节"), ("2026-10-05", .holiday, "国庆节"),
        ("2026-10-06", .holiday, "国庆节"), ("2026-10-07", .holiday, "国庆节"), ("2026-10-10", .workday, "国庆节调休"),
    ]

    static let questions: [String: [(String, String)]] = [
        "学业": [("考研复习找不到自习室", "学校图书馆座位紧张，附近有没有面向青年开放的自习空间？希望青年之家能延长开放时间。")],
        "就业创业": [("应届毕业生就业见习岗位怎么申请", "今年毕业还没找到工作，听说团市委有就业见习基地，想了解申请条件和补贴标准。"),
                 ("想在村里创业开民宿，有什么扶持", "返乡准备创业开民宿，想了解青年创业贷款贴息和创业导师的政策。")],
        "权益保护": [("实习单位不签协议也不发补贴", "在一家公司实习三个月，没有签实习协议，也没有发放约定的补贴，不知道怎么维权。")],
        "心理健康": [("工作压力大经常失眠", "刚入职半年，加班多，经常失眠焦虑，想找专业的心理咨询，不知道有没有免费的渠道。")],
        "婚恋家庭": [("单位青年多，希望组织联谊活动", "我们园区青年职工多、交友圈子小，希望团组织能牵头组织青年交友联谊活动。")],
        "社区生活": [("小区附近缺少篮球场", "小区周边青年很多，但附近没有公共篮球场，晚上只能去很远的体育中心。"),
                 ("新市民子女暑期托管", "外地来甬工作，孩子暑假没人照看，希望社区能有暑期托管班。")],
        "其他": [("志愿服务时长没有记录上", "上个月参加了地铁站文明引导，签到了但平台上没有看到服务时长。")],
    ]

    static let answers = ["您好，已联系相关部门核实，具体办理方式如下：请携带身份证到所在街道青年之家咨询登记，工作人员将一对一协助办理。",
                          "感谢您的反映。经了解，该事项已纳入今年为青年办实事项目，预计下月起实施，届时将在青年之声公开进展。",
                          "您好，已将您的诉求转交相关单位，并约定在一周内与您电话联系，如未联系请再次留言。"]

    static func fill(_ context: DemoCityContext, progress: @escaping @Sendable (Int, Int) -> Void) async throws {
        var random = context.random("voice")
        let db = context.db
        let change = context.change
        let today = context.today
        try await context.app.writer.write(db) { db in
            for (day, kind, note) in calendar2026 {
                guard let date = CalendarDate(day) else { continue }
                _ = try await VoiceSettings.addCalendarDay(.init(day: date, kind: kind, note: note), change, on: db)
            }
            // The first district's employment questions go to its first committee, as the city set.
            if let district = context.districts.first, let districtID = district.id,
               let committee = try await Scope.unrestricted.organizations(on: db).filter(\.$parentID == districtID).filter(\.$status == .active).sort(\.$code).first(),
               let employment = try await VoiceCategory.query(on: db).filter(\.$name == "就业创业").first(), let categoryID = employment.id {
                _ = try await VoiceSettings.setRule(.init(districtID: districtID, categoryID: categoryID, unit: committee.code), change, on: db)
            }
        }
        let categories = try await VoiceCategory.query(on: db).filter(\.$active == true).sort(\.$position).all()
        let places = try await Organization.cityAndDistricts(on: db)
        guard !categories.isEmpty, !places.isEmpty else { return }
        let total = min(2000, max(12, context.memberCount / 500))
        let hash = try await Passwords.hash(DemoCity.demoPassword, app: context.app)
        let steps = 4
        progress(0, steps)
        var made: [(item: VoiceItem, daysAgo: Int)] = []
        for start in stride(from: 0, to: total, by: 100) {
            let count = min(100, total - start)
            var drafts: [(VoiceWrites.Question, Int, Int)] = []
            for number in start..<(start + count) {
                let category = random.pick(categories)
                let (title, body) = random.pick(questions[category.name] ?? [("关于青年发展的一点建议", "希望团组织多听听我们青年的想法，多开展贴近青年需求的活动。")])
                // Every third asks in the first district, whose demo administrators see the queue.
                let place = number % 3 == 0 && places.count > 1 ? places[1] : random.pick(places)
                let question = VoiceWrites.Question(categoryID: category.id ?? 0, districtID: place.id ?? 0, title: title, body: body,
                                                    phone: "1\(random.int(30...89))\(random.int(10_000_000...99_999_999))",
                                                    mayPublish: random.chance(0.7), anonymous: random.chance(0.4))
                drafts.append((question, number, random.int(0...60)))
            }
            let ready = drafts
            let written = try await context.app.writer.write(db) { db in
                var written: [(VoiceItem, Int)] = []
                for (question, number, daysAgo) in ready {
                    let day = today.adding(days: -daysAgo)
                    let at = ChinaTime.startOfDay(day).addingTimeInterval(TimeInterval(9 * 3600 + number % 600 * 60))
                    let then = ChangeContext(scope: change.scope, actor: change.actor, now: at)
                    let item: VoiceItem
                    if number < 2, let accountID = context.people.memberAccountID {
                        item = try await VoiceWrites.ask(question, by: .init(accountID: accountID, name: "演示团员"), today: day, then, on: db)
                    } else {
                        item = try await VoiceWrites.askWithNewAccount(question, account: .init(
                            username: "youth\(number + 1)", passwordHash: hash, name: "青年\(number + 1)"), today: day, then, on: db)
                    }
                    written.append((item, daysAgo))
                }
                return written
            }
            made += written
            progress(min(2, 1 + (start + count) * 2 / max(1, total)), steps)
        }
        // The units work through them: the older the question, the further it has gone.
        for start in stride(from: 0, to: made.count, by: 100) {
            let batch = Array(made[start..<min(start + 100, made.count)])
            var plans: [(Int, Int, Int, Int)] = []
            for (item, daysAgo) in batch { plans.append((item.id ?? 0, daysAgo, random.int(0...99), random.int(0...answers.count - 1))) }
            let ready = plans
            try await context.app.writer.write(db) { db in
                for (id, daysAgo, draw, answer) in ready where id > 0 {
                    let handled = ChangeContext(scope: change.scope, actor: change.actor,
                                                now: ChinaTime.startOfDay(today.adding(days: -max(0, daysAgo - 2))).addingTimeInterval(15 * 3600))
                    // Recent ones wait; a few old ones were forgotten (overdue).
                    if daysAgo < 2 || draw < 6 { continue }
                    _ = try await VoiceWrites.accept(id, handled, on: db)
                    if daysAgo < 5 || draw < 15 { continue }
                    _ = try await VoiceWrites.answer(id, text: answers[answer], publish: draw % 5 != 0, handled, on: db)
                    guard let asked = try await Scope.unrestricted.query(VoiceItem.self, on: db).filter(\.$id == id).first(), daysAgo > 8, draw >= 30 else { continue }
                    let rated = ChangeContext(scope: change.scope, actor: change.actor, now: handled.now.addingTimeInterval(86_400))
                    let rating: VoiceRating = draw < 85 ? .satisfied : (draw < 93 ? .fairlySatisfied : .dissatisfied)
                    _ = try await VoiceWrites.rate(id, rating, reopen: rating == .dissatisfied && draw % 2 == 0, askerAccountID: asked.askerAccountID,
                                                   today: today.adding(days: -max(0, daysAgo - 3)), rated, on: db)
                }
            }
            progress(3, steps)
        }
        // Overdue ones are reported to the level above, as the server's sweep does.
        _ = try await context.app.writer.write(db) { db in
            try await VoiceWrites.escalateOverdue(today: today, change, on: db)
        }
        progress(steps, steps)
    }
}
