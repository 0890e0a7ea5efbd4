import Fluent
import LeagueCore
import Vapor

/// 青年之声: young people ask, the responsible unit accepts and answers within working-day
/// deadlines, overdue items are reported to the level above, askers rate and may reopen once, and
/// answers the asker allowed are published (seed 一.3, 三.2).
struct YouthVoicePart: LeaguePart {
    var menu: [MenuEntry] {
        [MenuEntry("青年之声", VoiceAdminRoute.queue, for: .administrators, rank: 175),
         MenuEntry("我的提问", VoiceRoute.mine, for: [.members, .volunteers, .account(.youth)], rank: 75),
         MenuEntry("青年之声", VoiceRoute.answers, for: [.visitors, .volunteers, .account(.youth)], rank: 60),
         MenuEntry("我要提问", VoiceRoute.ask, for: [.visitors, .account(.youth)], rank: 61)]
    }

    var migrations: [any Migration] { [CreateYouthVoice(), CreateVoiceOutreach(), CreateVoiceStudios()] }

    func routes(_ routes: PartRoutes) throws {
        try routes.visitors.register(collection: VoicePublicController())
        try routes.signedIn.register(collection: VoiceSelfController())
        try routes.administrators.register(collection: VoiceAdminController())
        try routes.administrators.register(collection: OutreachController())
    }

    func configure(_ app: Application) throws {
        VoiceAskQueue.configure(app)
    }

    /// An open item is the ongoing work of its unit and passes to the unit it merges into, as do
    /// the roster, proposals and contacts; meetings held stay as the unit's history.
    var unitPathColumns: [UnitPathColumn] {
        [UnitPathColumn(VoiceItem.schema, "unit_path", unitID: "unit_id", .passesToSuccessor(condition: "status IN ('submitted', 'accepted')")),
         UnitPathColumn(OutreachMeeting.schema, "unit_path", unitID: "unit_id", .staysAsHistory)]
            + [Deputy.schema, Studio.schema, Proposal.schema, YouthContact.schema].map { UnitPathColumn($0, "unit_path", unitID: "unit_id", .passesToSuccessor(condition: nil)) }
            + [UnitPathColumn(ContactVisit.schema, "unit_path", .passesToSuccessor(condition: nil))]
    }

    /// Open items count as the unit's work: a unit with questions waiting is not dissolved.
    func contents(of unit: Organization, on db: any Database) async throws -> [String] {
        guard let id = unit.id else { return [] }
        let open = try await Scope.unrestricted.query(VoiceItem.self, on: db).filter(\.$unitID == id).filter(\.$status ~~ [.submitted, .accepted]).count()
        return open > 0 ? ["\(open) 条待办青年之声诉求"] : []
    }

    func unitMoved(_ unit: Organization, from oldParent: TreePath, to newParent: TreePath, on db: any Database) async throws {
        guard let id = unit.id else { return }
        try await VoiceTotals.byStatus.move(id, from: oldParent, to: newParent, on: db)
    }

    func unitMerging(_ source: Organization, into target: Organization, _ change: ChangeContext, on db: any Database) async throws {
        try await VoiceTotals.merging(source, into: target, on: db)
    }

    /// Every five minutes, overdue items are reported to the level above (督办).
    var periodic: [PeriodicTask] {
        [PeriodicTask(name: "青年之声逾期督办", every: .minutes(5)) { app in
            let now = app.clock.now()
            guard let today = ChinaTime.calendarDay(now) else { return }
            _ = try await app.writer.write(app.db) { db in
                try await VoiceWrites.escalateOverdue(today: today, ChangeContext(scope: .unrestricted, actor: AuditActor(accountID: nil, name: "系统（逾期督办）", ip: "本机"), now: now), on: db)
            }
        }]
    }

    /// 青年之声 in the yearly evaluation: answers in time and askers satisfied, in the unit's subtree.
    var indicators: [ComputedIndicator] {
        [ComputedIndicator(source: IndicatorSource(rawValue: "voiceOnTime")!, label: "系统计算：青年之声按时答复率") { year, unitID, today, db in
            let figures = try await VoiceStatistics.figures(unitID: unitID, year: year, today: today, on: db)
            return figures.items == 0 ? 100 : (figures.items - figures.overdue) * 100 / figures.items
         },
         ComputedIndicator(source: IndicatorSource(rawValue: "voiceSatisfaction")!, label: "系统计算：青年之声满意率") { year, unitID, today, db in
            let figures = try await VoiceStatistics.figures(unitID: unitID, year: year, today: today, on: db)
            return figures.rated == 0 ? 100 : figures.satisfied * 100 / figures.rated
         }]
    }

    /// Leans on no other fill: its askers are the demo accounts and accounts of its own; 志愿服务 waits for
    /// it.
    var demo: DemoFill? {
        DemoFill(name: "青年之声", leansOn: []) { context, progress in try await VoiceDemo.fill(context, progress: progress) }
    }
}
