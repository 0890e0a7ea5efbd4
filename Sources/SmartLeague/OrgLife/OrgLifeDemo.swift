import Fluent
import LeagueCore
import SQLKit
import Vapor

/// The demo city's 三会一课, cadres and grading: two years of meetings kept at rates that vary from
/// branch to branch (some exemplary, some lagging), attendance for the recent months, a committee
/// for every unit, and last year's grading done with this year's under way.
///
/// Meetings and attendance are inserted by the database itself (`INSERT … SELECT` over the
/// branches and a small table of meeting slots, drawn with `DemoDraw`): at a million members they
/// are about a million rows each, too many to bind one value at a time within the budget.
enum OrgLifeDemo {
    /// How a branch keeps the cadence, by a draw per branch and year: the chance, in percent, that
    /// a due period has its meeting.
    static func keepingRate(_ draw: String) -> String {
        "CASE WHEN \(draw) < 25 THEN 100 WHEN \(draw) < 68 THEN 88 WHEN \(draw) < 88 THEN 72 WHEN \(draw) < 97 THEN 35 ELSE 0 END"
    }

    static var branchTypes: [String] { OrganizationType.allCases.filter(\.isBranch).map(\.rawValue) }

    static func fill(_ context: DemoCityContext, progress: @escaping @Sendable (Int, Int) -> Void) async throws {
        var random = context.random("orglife")
        let batches = stride(from: 0, to: context.branches.count, by: 1_500).map { $0..<min($0 + 1_500, context.branches.count) }
        let total = 3 + batches.count * 2
        var done = 0
        func step() { done += 1; progress(done, total) }

        try await establishBranches(context, &random)
        step()
        let cadreCount = try await appointCadres(context, &random)
        step()

        // Meetings of last year and this year, then who attended the recent ones.
        let plan = MeetingPlan(context, exemplaryBranch: context.people.branchID ?? 0, &random)
        var meetingCount = 0, attendanceCount = 0
        for batch in batches {
            let branches = context.branches[batch]
            guard let first = branches.first?.id, let last = branches.last?.id else { continue }
            let (meetings, present) = try await context.app.writer.write(context.db) { db in
                try await plan.insert(branchIDs: first...last, on: db)
            }
            meetingCount += meetings
            step()
            attendanceCount += present
            step()
        }

        // The kept compliance is worked out again on the next read, from the meetings now in.
        try await context.app.writer.write(context.db) { db in try await OrgLifeStandings.forget(on: db) }
        let sheets = try await GradingDemo.fill(context, plan: plan, &random)
        step()

        let change = context.change
        let summary = "生成演示三会一课：\(meetingCount) 次会议，\(attendanceCount) 人次出席，\(cadreCount) 名团干部，\(sheets) 份对标定级"
        try await context.app.writer.write(context.db) { db in
            try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(context.root),
                                   action: "orglife.demo", entityType: "demo", entityID: String(context.seed), summary: summary)
        }
    }

    /// Branches have a founding date: the cadence and the grading count from it. A few are young
    /// (not yet six months old, so they sit out the grading). A date another part set stays.
    private static func establishBranches(_ context: DemoCityContext, _ random: inout SeededRandom) async throws {
        var dates = (0..<62).map { _ in context.day(random.int(400...5_000)).description }
        dates += [context.day(random.int(40...150)).description, context.day(random.int(200...330)).description]
        var expression: SQLQueryString = "CASE id % \(literal: dates.count)"
        for (index, date) in dates.enumerated() { expression += " WHEN \(literal: index) THEN \(literal: date)" }
        expression += " END"
        let update: SQLQueryString = "UPDATE \(ident: Organization.schema) SET established_on = " + expression
            + " WHERE established_on IS NULL AND type IN (\(literals: branchTypes, joinedBy: ", "))"
        try await context.app.writer.write(context.db) { db in try await db.sql.raw(update).run() }
    }

    /// Every unit has its committee: a branch's secretary, deputy and a committee member are its
    /// own members (the second to fourth of the branch), elected together; some branches keep a
    /// former secretary; a few branches' terms ran out. Committees and general branches get
    /// cadres in bulk, the city and districts through `CadreWrites`.
    private static func appointCadres(_ context: DemoCityContext, _ random: inout SeededRandom) async throws -> Int {
        let draw = DemoDraw(&random)
        // Eight election days, the last one overdue for a two-year term.
        let terms = (0..<8).map { index in context.day(index == 7 ? random.int(760...1_000) : random.int(20...690)) }
        let termStart = draw.choice("r.branch_id", "3", among: terms.map(\.description))
        let previousTerm = draw.choice("r.branch_id", "3", among: terms.map { $0.adding(months: -24).description })
        let now = context.change.now
        var inserted = 0
        let runs = context.branches.compactMap(\.members)
        for start in stride(from: 0, to: runs.count, by: 2_000) {
            let chunk = runs[start..<min(start + 2_000, runs.count)]
            guard let low = chunk.first?.lowerBound, let high = chunk.last?.upperBound else { continue }
            let insert: SQLQueryString = """
                INSERT INTO \(ident: Cadre.schema) (unit_id, unit_path, name, post, mode, term_start, left_on, front_line, created_at)
                SELECT r.branch_id, r.branch_path, r.name,
                  CASE r.rn WHEN 2 THEN 'secretary' WHEN 3 THEN 'deputySecretary' WHEN 5 THEN 'secretary' ELSE 'committeeMember' END,
                  CASE WHEN \(unsafeRaw: draw.sql("r.id", "1")) < 5 THEN 'seconded' WHEN \(unsafeRaw: draw.sql("r.id", "1")) < 8 THEN 'fullTime' ELSE 'partTime' END,
                  CASE WHEN r.rn = 5 THEN \(previousTerm) ELSE \(termStart) END,
                  CASE WHEN r.rn = 5 THEN \(termStart) ELSE NULL END,
                  CASE WHEN r.occupation IN ('employed', 'farmer', 'freelance', 'student') THEN \(true) ELSE \(false) END,
                  \(bind: now)
                FROM (SELECT id, branch_id, branch_path, name, occupation,
                             ROW_NUMBER() OVER (PARTITION BY branch_id ORDER BY id) AS rn
                      FROM \(ident: Member.schema) WHERE id >= \(bind: low) AND id <= \(bind: high) AND COALESCE(left_on, '') = '') r
                WHERE r.rn BETWEEN 2 AND 4 OR (r.rn = 5 AND \(unsafeRaw: draw.sql("r.branch_id", "2")) < 20)
                ORDER BY r.branch_id, r.rn
                """
            inserted += try await context.app.writer.write(context.db) { db in
                try await insertedRows(Cadre.schema, on: db) { try await db.sql.raw(insert).run() }
            }
        }

        // Grassroots committees and general branches: a secretary and two or three others.
        struct Unit: Decodable { let id: Int; let path: String; let type: String }
        let units = try await context.db.sql.select().column("id").column("path").column("type").from(Organization.schema)
            .where("type", .in, [OrganizationType.committee, .workingCommittee, .generalBranch].map(\.rawValue))
            .where("status", .equal, Organization.Status.active.rawValue)
            .orderBy("id").all(decoding: Unit.self)
        var rows: [[any SQLExpression]] = []
        for unit in units {
            let isCommittee = unit.type != OrganizationType.generalBranch.rawValue
            let elected = context.day(random.int(30...(isCommittee ? 1_200 : 800))).description
            let posts: [CadrePost] = isCommittee ? [.secretary, .deputySecretary, .deputySecretary, .committeeMember]
                : [.secretary, .deputySecretary, .committeeMember]
            for post in posts.prefix(isCommittee ? random.int(3...4) : 3) {
                let mode: CadreMode = post == .secretary && isCommittee
                    ? (random.chance(0.35) ? .fullTime : random.chance(0.3) ? .seconded : .partTime)
                    : (random.chance(0.12) ? .seconded : .partTime)
                rows.append([SQLBind(unit.id), SQLBind(unit.path), SQLBind(DemoPeople.name(male: random.chance(0.5), &random)),
                             SQLBind(post.rawValue), SQLBind(mode.rawValue), SQLBind(elected), SQLBind(random.chance(0.55)), SQLBind(now)])
            }
        }
        for start in stride(from: 0, to: rows.count, by: 10_000) {
            let chunk = rows[start..<min(start + 10_000, rows.count)]
            try await context.app.writer.write(context.db) { db in
                for part in stride(from: chunk.startIndex, to: chunk.endIndex, by: 500) {
                    var insert = db.sql.insert(into: Cadre.schema)
                        .columns("unit_id", "unit_path", "name", "post", "mode", "term_start", "front_line", "created_at")
                    for row in chunk[part..<min(part + 500, chunk.endIndex)] { insert = insert.values(row) }
                    try await insert.run()
                }
            }
        }
        inserted += rows.count

        // The city and its districts: 专职 secretaries and deputies, a 挂职 and a 兼职 deputy.
        let leadership: [(CadrePost, CadreMode, Bool)] = [(.secretary, .fullTime, false), (.deputySecretary, .fullTime, false),
                                                          (.deputySecretary, .seconded, false), (.deputySecretary, .partTime, true),
                                                          (.standingMember, .partTime, true)]
        for unit in [context.root] + context.districts {
            let elected = context.day(random.int(100...1_500))
            let drafts = leadership.map { post, mode, frontLine in
                CadreWrites.Draft(unitID: unit.id, name: DemoPeople.name(male: random.chance(0.5), &random), post: post, mode: mode,
                                  termStart: elected, frontLine: frontLine)
            }
            let change = context.change, today = context.today
            try await context.app.writer.write(context.db) { db in
                for draft in drafts { _ = try await CadreWrites.add(draft, today: today, change, on: db) }
            }
            inserted += drafts.count
        }
        try await context.app.writer.write(context.db) { db in try await CadreFigures.rebuild(on: db) }
        return inserted
    }

    /// How many rows a bulk insert added, from the highest id before and after: the ids of one
    /// statement's rows follow each other on both engines, and counting a large table would scan it.
    static func insertedRows(_ table: String, on db: any Database, _ insert: () async throws -> Void) async throws -> Int {
        let before = try await maxID(table, on: db)
        try await insert()
        return try await maxID(table, on: db) - before
    }

    static func maxID(_ table: String, on db: any Database) async throws -> Int {
        struct Row: Decodable { let n: Int? }
        return try await db.sql.select().column(SQLFunction("MAX", args: SQLColumn("id")), as: "n").from(table)
            .first(decoding: Row.self)?.n ?? 0
    }
}

/// The meetings a branch could hold in the two years, one slot a period and kind, and how the
/// database picks which are held: a branch's keeping rate for the year against a draw per slot.
struct MeetingPlan: Sendable {
    struct Slot: Sendable {
        let number: Int
        let kind: MeetingKind
        let year: Int
        /// Four days in the period, up to today; a draw per branch picks one.
        let days: [String]
        let topics: [String]
        let minutes: String
        let teachers: [String]
        let teacherIsHead: Bool
        let classHours: Int
        /// Group meetings are held as needed: a share of the keeping rate.
        let share: Int
    }

    let slots: [Slot]
    /// A draw per branch and year sets its keeping rate; another per branch and slot decides.
    let rateDraw: DemoDraw
    let slotDraw: DemoDraw
    let attendanceDraw: DemoDraw
    /// Attendance is kept for meetings from this day on: all of them in a small city, the recent
    /// weeks in a large one, to keep the rows within budget.
    let attendanceFrom: String
    /// The demo administrators' branch keeps the cadence fully, so that its pages show a full record.
    let exemplaryBranch: Int
    let recordedBy: String
    let now: Date

    static let topics: [MeetingKind: [String]] = [
        .generalMeeting: ["学习贯彻团的二十大精神", "团员教育评议动员", "年度工作总结与计划", "推优入党讨论", "发展团员讨论",
                          "主题团日：青春心向党", "学习习近平总书记回信精神", "团费收缴情况通报"],
        .committeeMeeting: ["研究本月工作安排", "讨论入团积极分子培养", "研究主题团日活动方案", "团员信息核对与组织关系转接",
                            "研究志愿服务安排", "团费收缴情况分析", "青年大学习参学情况通报", "讨论推优名单"],
        .groupMeeting: ["小组学习交流", "志愿服务分工", "读书分享会", "谈心谈话", "岗位建功交流"],
        .lesson: ["青年大学习专题团课", "团史学习：百年奋斗", "新时代青年的使命担当", "传承五四精神", "团章学习",
                  "宁波青年榜样故事", "社会主义核心价值观", "国家安全教育"],
    ]
    static let places = ["团员活动室", "会议室", "青年之家", "线上会议", "党群服务中心"]

    init(_ context: DemoCityContext, exemplaryBranch: Int, _ random: inout SeededRandom) {
        rateDraw = DemoDraw(&random)
        slotDraw = DemoDraw(&random)
        attendanceDraw = DemoDraw(&random)
        let today = context.today
        // About 0.55 attendances a member a month: at most a million or so rows.
        let days = min(800, max(45, Int(1_100_000.0 / (0.55 * Double(max(1, context.memberCount))) * 30.4)))
        attendanceFrom = context.day(days).description
        self.exemplaryBranch = exemplaryBranch
        recordedBy = context.change.actor.name
        now = context.change.now
        var slots: [Slot] = []
        for year in [today.year - 1, today.year] {
            let lastMonth = year == today.year ? today.month : 12
            func days(_ months: ClosedRange<Int>, _ random: inout SeededRandom) -> [String] {
                (0..<4).map { _ in
                    let month = random.int(months.lowerBound...min(months.upperBound, lastMonth))
                    let lastDay = year == today.year && month == today.month ? today.day : CalendarDate.daysIn(month: month, year: year)
                    return CalendarDate(year: year, month: month, day: random.int(1...lastDay))?.description ?? today.description
                }.sorted()
            }
            func slot(_ kind: MeetingKind, _ months: ClosedRange<Int>, head: Bool = false, share: Int = 100) {
                let topics = (0..<2).map { _ in random.pick(Self.topics[kind] ?? ["组织生活"]) }
                let minutes = "会议由支部书记主持，围绕「\(topics[0])」开展学习讨论，与会团员逐一发言，形成会议纪要并明确下一步工作。"
                slots.append(Slot(number: slots.count + 1, kind: kind, year: year, days: days(months, &random), topics: topics,
                                  minutes: minutes,
                                  teachers: kind == .lesson ? (0..<4).map { _ in DemoPeople.name(male: random.chance(0.5), &random) } : [],
                                  teacherIsHead: head, classHours: kind == .lesson ? random.int(1...3) : 0, share: share))
            }
            for month in 1...lastMonth { slot(.committeeMeeting, month...month) }
            for quarter in 1...((lastMonth - 1) / 3 + 1) {
                let months = (quarter * 3 - 2)...(quarter * 3)
                slot(.generalMeeting, months)
                slot(.lesson, months, head: quarter == 2)
                slot(.groupMeeting, months, share: 50)
            }
        }
        self.slots = slots
    }

    /// Inserts the branches' meetings and the attendance of the recent ones; returns both counts.
    func insert(branchIDs: ClosedRange<Int>, on db: any Database) async throws -> (meetings: Int, attendance: Int) {
        let before = try await OrgLifeDemo.maxID(Meeting.schema, on: db)
        var values: [SQLQueryString] = []
        for slot in slots {
            let teachers = slot.teachers.isEmpty ? [""] : slot.teachers
            values.append("""
                (\(literal: slot.number), \(literal: slot.kind.rawValue), \(literal: slot.year), \(literal: slot.days[0]), \(literal: slot.days[1]), \
                \(literal: slot.days[2]), \(literal: slot.days[3]), \(literal: slot.topics[0]), \(literal: slot.topics[1]), \(literal: slot.minutes), \
                \(literal: teachers[0]), \(literal: teachers[teachers.count > 1 ? 1 : 0]), \(slot.teacherIsHead), \(literal: slot.classHours), \(literal: slot.share))
                """)
        }
        // Each draw once a candidate (`d`, kept apart: `DemoDraw.computedOnce`), then what it picks
        // (`c`), which the conditions and the insert name again.
        let once = DemoDraw.computedOnce(on: db)
        let rate = OrgLifeDemo.keepingRate("d.rate_draw")
        let insertMeetings: SQLQueryString = """
            WITH s(slot, kind, year, d0, d1, d2, d3, t0, t1, minutes, teacher0, teacher1, head, hours, share) AS (VALUES
            """ + values.joined(separator: ", ") + """
            )
            INSERT INTO \(ident: Meeting.schema) (branch_id, branch_path, kind, held_on, topic, place, minutes, teacher, teacher_is_head,
                                                  class_hours, recorded_by, created_at)
            SELECT c.branch_id, c.branch_path, c.kind, c.held_on, c.topic, \(OrgLifeDemo.choiceOfPlace(slotDraw, branch: "c.branch_id", slot: "c.slot")),
                   c.minutes, c.teacher, c.head, c.hours, \(bind: recordedBy), \(bind: now)
            FROM (SELECT d.branch_id, d.branch_path, d.established, d.kind, d.slot, d.minutes, d.head, d.hours,
                         CASE d.pick % 4 WHEN 0 THEN d.d0 WHEN 1 THEN d.d1 WHEN 2 THEN d.d2 ELSE d.d3 END AS held_on,
                         CASE WHEN d.pick < 50 THEN d.t0 ELSE d.t1 END AS topic,
                         NULLIF(CASE WHEN d.pick < 50 THEN d.teacher0 ELSE d.teacher1 END, '') AS teacher,
                         CASE WHEN d.branch_id = \(literal: exemplaryBranch) THEN 100 ELSE \(unsafeRaw: rate) END * d.share AS chance,
                         d.roll * 100 AS roll
                  FROM (SELECT o.id AS branch_id, o.path AS branch_path, o.established_on AS established, s.kind, s.slot, s.minutes,
                               s.head, s.hours, s.share, s.d0, s.d1, s.d2, s.d3, s.t0, s.t1, s.teacher0, s.teacher1,
                               \(unsafeRaw: slotDraw.sql("o.id", "s.slot + 1000")) AS pick,
                               \(unsafeRaw: rateDraw.sql("o.id", "s.year")) AS rate_draw,
                               \(unsafeRaw: slotDraw.sql("o.id", "s.slot")) AS roll
                        FROM \(ident: Organization.schema) o CROSS JOIN s
                        WHERE o.id >= \(literal: branchIDs.lowerBound) AND o.id <= \(literal: branchIDs.upperBound)
                          AND o.type IN (\(literals: OrgLifeDemo.branchTypes, joinedBy: ", ")) AND o.status = \(literal: Organization.Status.active.rawValue)
                        \(once)) d) c
            WHERE c.roll < c.chance AND c.held_on >= COALESCE(c.established, '')
            ORDER BY c.branch_id, c.held_on, c.slot
            """
        try await db.sql.raw(insertMeetings).run()
        let after = try await OrgLifeDemo.maxID(Meeting.schema, on: db)
        guard after > before else { return (0, 0) }
        let attendanceBefore = try await OrgLifeDemo.maxID(MeetingAttendance.schema, on: db)
        let present = attendanceDraw.sql("m.id", "mt.id")
        // Meetings and lessons: most of the branch; group meetings: a quarter of it, by group.
        // The joins are written in the order SQLite should walk them (CROSS JOIN keeps it): the
        // batch's meetings, then each branch's members by index; PostgreSQL plans its own.
        try await db.sql.raw("""
            INSERT INTO \(ident: MeetingAttendance.schema) (meeting_id, member_id)
            SELECT mt.id, m.id FROM \(ident: Meeting.schema) mt CROSS JOIN \(ident: Member.schema) m
            WHERE m.branch_id = mt.branch_id AND mt.id > \(literal: before) AND mt.id <= \(literal: after) AND mt.held_on >= \(literal: attendanceFrom)
              AND COALESCE(m.left_on, '') = '' AND m.joined_on <= mt.held_on
              AND ((mt.kind IN ('generalMeeting', 'lesson') AND \(unsafeRaw: present) < 86)
                   OR (mt.kind = 'groupMeeting' AND (m.id + mt.id) % 4 = 0 AND \(unsafeRaw: present) < 92))
            ORDER BY mt.id, m.id
            """).run()
        // Committee meetings: the branch's serving cadres.
        try await db.sql.raw("""
            INSERT INTO \(ident: MeetingAttendance.schema) (meeting_id, member_id)
            SELECT DISTINCT mt.id, m.id FROM \(ident: Cadre.schema) c CROSS JOIN \(ident: Member.schema) m CROSS JOIN \(ident: Meeting.schema) mt
            WHERE c.left_on IS NULL AND c.unit_id >= \(literal: branchIDs.lowerBound) AND c.unit_id <= \(literal: branchIDs.upperBound)
              AND m.branch_id = c.unit_id AND m.name = c.name AND COALESCE(m.left_on, '') = ''
              AND mt.branch_id = c.unit_id AND mt.id > \(literal: before) AND mt.id <= \(literal: after)
              AND mt.held_on >= \(literal: attendanceFrom) AND mt.kind = 'committeeMeeting' AND \(unsafeRaw: present) < 93
            ORDER BY mt.id, m.id
            """).run()
        let attendance = try await OrgLifeDemo.maxID(MeetingAttendance.schema, on: db) - attendanceBefore
        return (after - before, attendance)
    }
}

extension OrgLifeDemo {
    static func choiceOfPlace(_ draw: DemoDraw, branch: String, slot: String) -> SQLQueryString {
        draw.choice(branch, "\(slot) + 2000", among: MeetingPlan.places)
    }
}
