import Fluent
import LeagueCore
import SQLKit
import Vapor

/// The demo city's 团费: every member's category and income, an opening balance from the paper
/// ledger, and the months since the ledger opened here paid by most, reduced or waived for a few
/// in hardship, and left unpaid by some, a few of them long enough for a lapse review.
///
/// Profiles and payments are one or two rows a member, so the database writes them itself
/// (`INSERT … SELECT` over the members, drawn with `DemoDraw`).
enum DuesDemo {
    /// How a member pays, by a draw per member.
    enum Habit {
        /// Below this draw: pays every month (this month once they get round to it).
        static let regular = 78
        /// Below this: misses a month now and then.
        static let occasional = 90
        /// Below this: has paid nothing since before the ledger opened.
        static let inArrears = 96
        // The rest: reduced or waived for hardship.
    }

    static func fill(_ context: DemoCityContext, progress: @escaping @Sendable (Int, Int) -> Void) async throws {
        var random = context.random("dues")
        let categoryDraw = DemoDraw(&random), incomeDraw = DemoDraw(&random), habitDraw = DemoDraw(&random), monthDraw = DemoDraw(&random)
        let today = context.today
        // The ledger's months: a year in a small city, down to the last two at a million members,
        // so that payments stay within about 1.2 million rows.
        let months = min(12, max(2, 1_200_000 / max(1, context.memberCount * 9 / 10)))
        let ledgerMonths = (0..<months).reversed().map { DuesMonths.month(of: today.adding(months: -$0)) }
        let opening = DuesMonths.month(of: today.adding(months: -months))
        // Members in arrears settled up to one to nine months before the ledger opened.
        let arrearsSettled = (1...9).map { DuesMonths.month(of: today.adding(months: -months - $0)) }
        let thisMonthPaid = min(85, 15 + 3 * today.day)
        let policy = try await DuesWrites.policy(on: context.db)
        let demoMember = try await firstMember(of: context.people.branchID, context)
        let now = context.change.now, recordedBy = context.change.actor.name

        let habit = "CASE WHEN m.id = \(demoMember) THEN 0 ELSE \(habitDraw.sql("m.id")) END"
        let due = """
            CASE p.category WHEN 'salaried' THEN
              CASE WHEN p.income_fen < \(policy.thresholdFen) THEN \(policy.lowIncomeFen)
                   WHEN p.income_fen * \(policy.perMille) / 1000 / 100 * 100 > \(policy.capFen) THEN \(policy.capFen)
                   ELSE p.income_fen * \(policy.perMille) / 1000 / 100 * 100 END
            WHEN 'farmer' THEN \(policy.farmerFen) ELSE \(policy.flatFen) END
            """
        var monthValues: [SQLQueryString] = []
        for (index, month) in ledgerMonths.enumerated() {
            let chance = index == ledgerMonths.count - 1 ? thisMonthPaid : 100
            monthValues.append("(\(literal: month), \(literal: index + 1), \(literal: chance))")
        }
        var settledChoice: SQLQueryString = "CASE \(unsafeRaw: monthDraw.sql("m.id", "77")) % 9"
        for (index, month) in arrearsSettled.enumerated() { settledChoice += " WHEN \(literal: index) THEN \(literal: month)" }
        settledChoice += " END"

        // The habit, the amount due and the month's roll are named in several conditions each.
        let once = DemoDraw.computedOnce(on: context.db)
        let chunks = try await memberIDChunks(context)
        var profiles = 0, payments = 0
        for (number, chunk) in chunks.enumerated() {
            let (low, high) = (chunk.lowerBound, chunk.upperBound)
            let insertProfiles: SQLQueryString = """
                INSERT INTO \(ident: DuesProfile.schema) (member_id, category, income_fen, updated_at, settled_through)
                SELECT c.id, c.category, CASE WHEN c.category = 'salaried' THEN c.income ELSE 0 END, \(bind: now),
                       CASE WHEN c.habit >= \(literal: Habit.occasional) AND c.habit < \(literal: Habit.inArrears) THEN c.settled
                            ELSE \(literal: opening) END
                FROM (SELECT m.id,
                        CASE m.occupation WHEN 'student' THEN 'student' WHEN 'farmer' THEN 'farmer'
                          WHEN 'employed' THEN 'salaried' WHEN 'freelance' THEN 'salaried'
                          WHEN 'unemployed' THEN CASE WHEN \(unsafeRaw: categoryDraw.sql("m.id")) < 15 THEN 'relief' ELSE 'unemployed' END
                          ELSE CASE WHEN \(unsafeRaw: categoryDraw.sql("m.id")) < 50 THEN 'unemployed' ELSE 'salaried' END END AS category,
                        180000 + \(unsafeRaw: incomeDraw.sql("m.id")) * 9000 + \(unsafeRaw: incomeDraw.sql("m.id", "1")) * 100 AS income,
                        \(unsafeRaw: habit) AS habit, \(settledChoice) AS settled
                      FROM \(ident: Member.schema) m WHERE m.id >= \(bind: low) AND m.id <= \(bind: high) AND COALESCE(m.left_on, '') = ''
                      \(once)) c
                ORDER BY c.id
                """
            // A month is paid from the month of joining on, unless the member is in arrears; the
            // occasional payer misses three months in ten; hardship is reduced or waived.
            let insertPayments: SQLQueryString = """
                WITH ledger(month, number, chance) AS (VALUES
                """ + monthValues.joined(separator: ", ") + """
                )
                INSERT INTO \(ident: DuesPayment.schema) (member_id, branch_id, branch_path, month, kind, amount_fen, reason, recorded_by, at)
                SELECT c.member_id, c.branch_id, c.branch_path, c.month,
                       CASE WHEN c.habit < \(literal: Habit.inArrears) THEN 'paid' WHEN c.due > 20 AND c.habit % 2 = 0 THEN 'reduced' ELSE 'waived' END,
                       CASE WHEN c.habit < \(literal: Habit.inArrears) THEN c.due WHEN c.due > 20 AND c.habit % 2 = 0 THEN c.due / 2 ELSE 0 END,
                       CASE WHEN c.habit < \(literal: Habit.inArrears) THEN NULL
                            WHEN c.due > 20 AND c.habit % 2 = 0 THEN \(literal: "收入减少，经支部大会同意、基层团委批准减半缴纳")
                            ELSE \(literal: "家庭困难，经支部大会同意、基层团委批准免缴") END,
                       \(bind: recordedBy), \(bind: now)
                FROM (SELECT m.id AS member_id, m.branch_id, m.branch_path, l.month, \(unsafeRaw: habit) AS habit, \(unsafeRaw: due) AS due,
                             \(unsafeRaw: monthDraw.sql("m.id", "l.number")) AS roll, l.chance
                      FROM \(ident: Member.schema) m JOIN \(ident: DuesProfile.schema) p ON p.member_id = m.id CROSS JOIN ledger l
                      WHERE m.id >= \(bind: low) AND m.id <= \(bind: high) AND COALESCE(m.left_on, '') = ''
                        AND l.month >= substr(m.joined_on, 1, 7) AND l.month > COALESCE(p.settled_through, '')
                      \(once)) c
                WHERE (c.habit < \(literal: Habit.regular) AND c.roll < c.chance)
                   OR (c.habit >= \(literal: Habit.regular) AND c.habit < \(literal: Habit.occasional) AND c.roll * 10 < c.chance * 7)
                   OR (c.habit >= \(literal: Habit.inArrears) AND c.roll < c.chance)
                ORDER BY c.member_id, c.month
                """
            let (newProfiles, newPayments) = try await context.app.writer.write(context.db) { db in
                (try await OrgLifeDemo.insertedRows(DuesProfile.schema, on: db) { try await db.sql.raw(insertProfiles).run() },
                 try await OrgLifeDemo.insertedRows(DuesPayment.schema, on: db) { try await db.sql.raw(insertPayments).run() })
            }
            profiles += newProfiles
            payments += newPayments
            progress(number + 1, chunks.count + 1)
        }

        let change = context.change, summary = "生成演示团费：\(profiles) 名团员的类别与期初结清月份，\(ledgerMonths.first ?? "") 起 \(payments) 笔收缴"
        try await context.app.writer.write(context.db) { db in
            try await DuesMonthTotals.rebuild(on: db)
            try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(context.root),
                                   action: "dues.demo", entityType: "demo", entityID: String(context.seed), summary: summary)
        }
        progress(chunks.count + 1, chunks.count + 1)
    }

    /// The members' ids in runs of 50,000, up to the highest: parts that ran before may have
    /// admitted members after the city's own.
    static func memberIDChunks(_ context: DemoCityContext) async throws -> [ClosedRange<Int>] {
        let highest = try await OrgLifeDemo.maxID(Member.schema, on: context.db)
        return stride(from: 1, through: highest, by: 50_000).map { $0...min($0 + 49_999, highest) }
    }

    /// The demo member: the first member of the demo administrators' branch (0 when there is none).
    static func firstMember(of branchID: Int?, _ context: DemoCityContext) -> Int {
        context.branches.first { $0.id == branchID }?.members?.lowerBound ?? 0
    }
}
