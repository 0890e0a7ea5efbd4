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
        // About one question a week per 10,000 members over the two months shown: 800 at 1,000,000.
        let total = min(800, max(12, context.memberCount / 1250))
        let hash = context.passwordHash
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
                // Each asks from an account of their own (the demo member's first two), filed
                // together as questions that arrive at once are.
                var askings: [VoiceWrites.Asking] = []
                for (question, number, daysAgo) in ready {
                    let day = today.adding(days: -daysAgo)
                    let at = ChinaTime.startOfDay(day).addingTimeInterval(TimeInterval(9 * 3600 + number % 600 * 60))
                    let then = ChangeContext(scope: change.scope, actor: change.actor, now: at)
                    let asker: VoiceWrites.Asker
                    if number < 2, let accountID = context.people.memberAccountID {
                        asker = .init(accountID: accountID, name: "演示团员")
                    } else {
                        let light = VoiceWrites.LightAccount(username: "youth\(number + 1)", passwordHash: hash, name: "青年\(number + 1)")
                        asker = .init(accountID: try await VoiceWrites.openLightAccount(light, districtID: question.districtID, then, on: db),
                                      name: light.name)
                    }
                    askings.append(.init(question: question, asker: asker, today: day, change: then))
                }
                return zip(try await VoiceWrites.ask(askings, on: db), ready).compactMap { result, draft in
                    (try? result.get()).map { ($0, draft.2) }
                }
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
        try await outreach(context, &random)
        progress(steps, steps)
    }

    static let surnames = ["陈", "王", "李", "张", "刘", "杨", "黄", "周", "吴", "徐", "孙", "胡", "朱", "林", "何", "郭"]
    static let sectors = ["教育", "企业", "社区", "医疗卫生", "法律", "文化", "农业", "科技"]

    /// 代表委员联系青年: each district's and the city's deputies and mentors, 面对面 on the 月季年
    /// cadence with a few months missed, proposals built from answered needs in every state, and
    /// the demo cadres' young people with their contacts.
    private static func outreach(_ context: DemoCityContext, _ random: inout SeededRandom) async throws {
        let db = context.db
        let change = context.change
        let today = context.today
        let units = [context.root] + context.districts
        var plans: [(unit: Organization, studio: String, deputies: [OutreachWrites.NewDeputy], meetings: [OutreachWrites.NewMeeting])] = []
        for unit in units {
            guard let unitID = unit.id else { continue }
            let city = unit.parentID == nil
            let place = city ? "宁波市" : String(unit.name.dropFirst("共青团宁波市".count).dropLast("委员会".count))
            let roles: [DeputyRole] = [.peoplesCongress, .peoplesCongress, .politicalConsultative, .youthRepresentative, .mentor]
            let deputies = roles.map { role in
                OutreachWrites.NewDeputy(unitID: unitID, name: random.pick(surnames) + (role == .mentor ? "导师" : role == .youthRepresentative ? "同学" : "代表"),
                                         role: role, level: city ? "市" : "区县（市）", sector: random.pick(sectors),
                                         phone: "1\(random.int(30...89))\(random.int(10_000_000...99_999_999))", studioID: nil)
            }
            // The city quarterly, districts monthly; now and then one is missed.
            var meetings: [OutreachWrites.NewMeeting] = []
            let months = city ? [2, 5, 8, 11] : Array(1...12)
            for month in months where month <= today.month && random.chance(city ? 0.9 : 0.8) {
                let day = CalendarDate(year: today.year, month: month, day: random.int(5...25)) ?? today
                guard day <= today else { continue }
                meetings.append(.init(unitID: unitID, heldOn: day, title: "\(place)代表委员与青年面对面（\(month)月）",
                                      deputies: deputies.prefix(3).map(\.name).joined(separator: "、"), youthCount: random.int(20...120),
                                      topics: random.pick(["青年就业创业", "青少年心理健康", "新市民子女教育", "青年婚恋交友", "青年人才安居"]),
                                      needs: random.pick(["希望增加就业见习岗位和补贴", "建议学校配齐专职心理教师", "希望延长青年之家开放时间",
                                                          "建议增加青年人才公寓房源", "希望多组织青年交友联谊活动"])))
            }
            plans.append((unit, "\(place)代表委员青少年工作室", deputies, meetings))
        }
        let answered = try await Scope.unrestricted.query(VoiceItem.self, on: db).filter(\.$status ~~ [.answered, .closed]).sort(\.$id)
            .range(0..<2000).all()
        let sessions = ["\(today.year)年市人大十七届五次会议", "\(today.year)年市政协十七届五次会议"]
        let statuses: [ProposalStatus] = [.submitted, .registered, .assigned, .replied, .concluded, .concluded]
        let steps = (0..<units.count).map { _ in random.pick(statuses) }
        let planned = plans
        try await context.app.writer.write(db) { db in
            for (index, plan) in planned.enumerated() {
                // Each committee's studio, where its 人大代表 and 政协委员 sit.
                let studio = try await OutreachWrites.foundStudio(.init(unitID: plan.unit.id ?? 0, name: plan.studio,
                                                                        foundedOn: CalendarDate(year: today.year - 2, month: 3, day: 15) ?? today), change, on: db)
                var made: [Deputy] = []
                for var deputy in plan.deputies {
                    if deputy.role == .peoplesCongress || deputy.role == .politicalConsultative { deputy.studioID = studio.id }
                    made.append(try await OutreachWrites.addDeputy(deputy, change, on: db))
                }
                for meeting in plan.meetings { _ = try await OutreachWrites.recordMeeting(meeting, today: today, change, on: db) }
                // A proposal from this unit's answered needs, taken as far as its step.
                let needs = answered.filter { plan.unit.path.contains($0.unitPath) }.prefix(3).map(\.number)
                guard !needs.isEmpty, let proposer = made.first(where: { $0.role == .peoplesCongress }), let proposerID = proposer.id else { continue }
                let proposal = try await OutreachWrites.createProposal(.init(
                    deputyID: proposerID, title: "关于进一步做好青年就业见习工作的建议",
                    body: "青年之声收到多条关于就业见习的诉求，建议扩大见习基地规模、提高见习补贴标准。", session: sessions[0],
                    itemNumbers: Array(needs)), change, on: db)
                guard let id = proposal.id else { continue }
                var status = ProposalStatus.submitted
                while let next = status.next, status != steps[index] {
                    _ = try await OutreachWrites.advanceProposal(id, .init(
                        status: next, handlingUnit: "市人力资源和社会保障局", reply: "已研究，将扩大见习基地并提高补贴标准。",
                        outcome: "纳入年度民生实事，新增见习岗位 2000 个"), change, on: db)
                    status = next
                }
            }
            // The demo cadres keep in touch with young people.
            for (username, count) in [("demo.city", 12), ("demo.district", 10), ("demo.committee", 8), ("demo.branch", 3)] {
                guard let account = try await Scope.unrestricted.accounts(on: db).filter(\.$username == username).first(), let accountID = account.id else { continue }
                for number in 1...count {
                    let contact = try await OutreachWrites.addContact(.init(name: "青年\(username.dropFirst(5))\(number)", phone: nil,
                                                                             note: ["宁波大学学生", "园区企业青年职工", "社区青年", "返乡创业青年"][number % 4]),
                                                                       cadre: (accountID, account.displayName, account.organizationID), change, on: db)
                    guard let contactID = contact.id else { continue }
                    for back in [number * 3, number * 3 + 20] where back < 90 {
                        _ = try await OutreachWrites.logVisit(contactID, on: today.adding(days: -back), way: [ContactWay.visit, .call, .talk][back % 3],
                                                              note: "了解学习工作情况和需求", cadreAccountID: accountID, today: today, change, on: db)
                    }
                }
            }
        }
    }
}
