import Fluent
import Foundation
import LeagueCore
import SQLKit
import Vapor

/// 离团's share of the demo city, through the part's own writes: members who turned 28 more than a
/// quarter ago have mostly left (超龄离团, in monthly batches over the last year, the oldest first and
/// at most one member in a hundred), those who turned 28 lately are mostly still on the page's
/// age-28 list; some left on request (退团); and the
/// branches' lapse decisions (自行脱团) for members without dues or meetings for six months,
/// waiting for the level above, approved or refused.
enum LeavingDemo {
    static let withdrawalReasons = ["本人书面申请，出国定居", "本人书面申请，因个人原因自愿退团", "本人书面申请，加入其他政治组织前自愿退团",
                                    "本人书面申请，长期在外地工作无法参加组织生活"]

    struct Overage: Decodable, Sendable {
        let id: Int
        let birth_date: String
    }

    static func fill(_ context: DemoCityContext, progress: @escaping @Sendable (Int, Int) -> Void) async throws {
        var random = context.random("leaving")
        let today = context.today
        // The demo member stays, and so does anyone on the move: their transfer is the demo's too.
        var keep = Set([context.people.memberID].compactMap { $0 })
        keep.formUnion(try await Scope.unrestricted.transfers(on: context.db)
            .filter(\.$status ~~ [.awaitingSender, .awaitingReceiver, .awaitingPlacement]).all(\.$memberID))
        progress(0, 4)

        try await lapses(context, keep: &keep, &random)
        progress(1, 4)
        try await withdrawals(context, keep: &keep, &random)
        progress(2, 4)

        // The age-28 list, as the page reads it: the oldest first.
        let latest = MembershipAge.latestBirthDate(forAge: MembershipAge.leavingAge, on: today)
        let overage = try await context.db.sql.select().column("id").column("birth_date").from(Member.schema)
            .where("left_on", .is, SQLLiteral.null).where("holds_league_post", .equal, SQLBind(false))
            .where("birth_date", .lessThanOrEqual, SQLBind(latest.description)).orderBy("id").all(decoding: Overage.self)
        // Each leaves on the monthly batch day (the 25th) after turning 28, within the last year;
        // the oldest first, up to one member in a hundred (each leaving is a write of its own).
        var byDay: [CalendarDate: [Int]] = [:]
        let yearAgo = today.adding(days: -365)
        var leaving = 0
        let cap = max(50, context.memberCount / 100)
        for member in overage.sorted(by: { ($0.birth_date, $0.id) < ($1.birth_date, $1.id) }) where !keep.contains(member.id) && leaving < cap {
            guard let born = CalendarDate(member.birth_date) else { continue }
            let year = born.year + MembershipAge.leavingAge
            // Born on 29 February: 28 on the first of March.
            guard let turned = CalendarDate(year: year, month: born.month, day: born.day) ?? CalendarDate(year: year, month: 3, day: 1) else { continue }
            let recent = turned > today.adding(days: -90)
            guard random.chance(recent ? 0.15 : 0.85) else { continue }
            var day = max(turned, yearAgo).adding(days: random.int(0...40))
            day = CalendarDate(year: day.year, month: day.month, day: 25) ?? day
            if day < turned { day = day.adding(months: 1) }
            byDay[min(day, today), default: []].append(member.id)
            leaving += 1
        }
        let batches = byDay.keys.sorted().flatMap { day in
            stride(from: 0, to: byDay[day]?.count ?? 0, by: 500).map { start in
                (day, Array((byDay[day] ?? [])[start..<min(start + 500, byDay[day]?.count ?? 0)]))
            }
        }
        for (index, (day, ids)) in batches.enumerated() {
            try await context.app.writer.write(context.db) { db in
                _ = try await LeavingWrites.overage(ids, on: day, today: today, context.leavingChange(on: day), on: db)
            }
            progress(2 * batches.count + index, 4 * max(1, batches.count))
        }
        let left = byDay.values.reduce(0) { $0 + $1.count }
        try await context.app.writer.write(context.db) { db in
            try await Audit.record(on: db, actor: context.change.actor, at: context.change.now, unit: AuditUnit(context.root),
                                   action: "member.leave.demo", entityType: "demo", entityID: String(context.seed),
                                   summary: "生成演示数据：超龄离团 \(left) 人，退团、自行脱团若干；\(overage.count - left) 名年满 28 周岁的团员待办理")
        }
        progress(4, 4)
    }

    /// Members' ids drawn from the mobile-members branches for half of them, from any branch for the rest.
    static func draw(_ count: Int, _ context: DemoCityContext, keep: Set<Int>, _ random: inout SeededRandom) -> [Int] {
        let mobile = context.branches.filter { $0.type == .mobileBranch && $0.members != nil }
        let any = context.branches.filter { $0.members != nil }
        guard !any.isEmpty else { return [] }
        var ids = Set<Int>()
        for attempt in 0..<(count * 3) where ids.count < count {
            let branch = attempt % 2 == 0 && !mobile.isEmpty ? random.pick(mobile) : random.pick(any)
            guard let run = branch.members else { continue }
            let id = random.int(run)
            if !keep.contains(id) { ids.insert(id) }
        }
        return ids.sorted()
    }

    /// 退团 on written request: about one member in five thousand over the last year.
    static func withdrawals(_ context: DemoCityContext, keep: inout Set<Int>, _ random: inout SeededRandom) async throws {
        let drawn = draw(max(3, context.memberCount / 5000), context, keep: keep, &random)
        let members = try await Scope.unrestricted.members(on: context.db).filter(\.$id ~~ drawn).sort(\.$id).all()
        let today = context.today
        let plans: [(Int, CalendarDate, String)] = members.compactMap { member in
            guard let id = member.id, let joined = CalendarDate(member.joinedOn) else { return nil }
            keep.insert(id)
            return (id, max(joined, today.adding(days: -random.int(5...330))), random.pick(withdrawalReasons))
        }
        try await context.app.writer.write(context.db) { db in
            for (id, day, reason) in plans {
                _ = try await LeavingWrites.withdraw(memberID: id, on: day, reason: reason, today: today, context.leavingChange(on: day), on: db)
            }
        }
    }

    /// The branches' lapse decisions (自行脱团) for members who paid no dues and came to no meeting
    /// for six months: the rules decide who qualifies, so candidates who do not are passed over.
    /// Of those decided, some still wait for the level above, most are approved, a few refused.
    static func lapses(_ context: DemoCityContext, keep: inout Set<Int>, _ random: inout SeededRandom) async throws {
        let wanted = max(4, context.memberCount / 4000)
        let today = context.today
        // A wide sample, narrowed in one read to those with neither dues (nor an opening balance
        // covering the months) nor meetings lately; the write checks the rule itself.
        // Few qualify where dues and meetings are kept up (about one in a thousand): a wide sample.
        let sample = draw(min(context.memberCount, wanted * 400), context, keep: keep, &random)
        let since = today.adding(months: -LeavingRules.lapseMonths)
        let sinceMonth = String(since.description.prefix(7))
        struct Row: Decodable { let id: Int }
        var quiet = Set<Int>()
        for start in stride(from: 0, to: sample.count, by: 900) {
            let slice = Array(sample[start..<min(start + 900, sample.count)])
            let rows = try await context.db.sql.raw("""
                SELECT id FROM members m WHERE m.id IN \(SQLBind.group(slice))
                AND NOT EXISTS (SELECT 1 FROM dues_payments d WHERE d.member_id = m.id AND d.month >= \(bind: sinceMonth))
                AND NOT EXISTS (SELECT 1 FROM dues_profiles p WHERE p.member_id = m.id AND p.settled_through >= \(bind: sinceMonth))
                AND NOT EXISTS (SELECT 1 FROM meeting_attendance a JOIN meetings g ON g.id = a.meeting_id
                                WHERE a.member_id = m.id AND g.held_on >= \(bind: since.description))
                """).all(decoding: Row.self)
            quiet.formUnion(rows.map(\.id))
        }
        let candidates = try await Scope.unrestricted.members(on: context.db).filter(\.$id ~~ quiet.sorted()).sort(\.$id)
            .range(0..<(wanted * 2)).all()
        let plans: [(id: Int, path: TreePath, day: CalendarDate, decided: CalendarDate)] = candidates.compactMap { member in
            guard let id = member.id else { return nil }
            let day = today.adding(days: -random.int(1...60))
            return (id, member.branchPath, day, min(today, day.adding(days: random.int(3...20))))
        }
        keep.formUnion(plans.map(\.id))
        let proposed = try await context.app.writer.write(context.db) { db -> [(Int, CalendarDate)] in
            var made: [(Int, CalendarDate)] = []
            for plan in plans where made.count < wanted {
                do {
                    let request = try await LeavingWrites.proposeLapse(memberID: plan.id, on: plan.day, today: today,
                                                                       context.leavingChange(on: plan.day, scope: Scope(reach: .subtree(plan.path))), on: db)
                    if let id = request.id { made.append((id, plan.decided)) }
                } catch is Refusal {
                    // Paid dues or came to a meeting lately: not lapsed, and the branch leaves them be.
                    continue
                }
            }
            return made
        }
        try await context.app.writer.write(context.db) { db in
            // Three in ten still wait; of the rest, most are approved (the member leaves), one in ten refused.
            for (index, (request, decided)) in proposed.enumerated() where index % 10 >= 3 || index == 1 || index == 2 {
                let approve = index != 1 && index % 10 != 3
                _ = try await LeavingWrites.decideLapse(request, approve: approve, today: today, context.leavingChange(on: decided), on: db)
            }
        }
    }
}

private extension DemoCityContext {
    /// The demo's author acting on a past day, at a working hour, never later than the demo's now.
    func leavingChange(on day: CalendarDate, scope: Scope = .unrestricted) -> ChangeContext {
        let moment = ChinaTime.startOfDay(min(day, today)).addingTimeInterval(11 * 3600)
        return ChangeContext(scope: scope, actor: change.actor, now: min(moment, change.now))
    }
}
