import Fluent
import LeagueCore
import SQLKit
import Vapor

/// The demo city's 团员教育评议 and 团籍注册: last year's round approved almost everywhere, and this
/// year's under way (more branches the nearer the year's end), each branch's members rated with
/// at most 30% 优秀, a few 基本合格 or 不合格, and those rated 基本合格 or better registered.
///
/// It runs after transfers and leaving: the members rated are those in each branch now (and, for
/// last year, those who left only after it). Ratings are one row a member a year, so the database
/// writes them itself (`INSERT … SELECT` with `DemoDraw`).
enum ReviewDemo {
    static func fill(_ context: DemoCityContext, progress: @escaping @Sendable (Int, Int) -> Void) async throws {
        var random = context.random("review")
        let statusDraw = DemoDraw(&random), dayDraw = DemoDraw(&random), ratingDraw = DemoDraw(&random)
        let today = context.today
        let demoBranch = context.people.branchID ?? 0
        let chunks = try await DuesDemo.memberIDChunks(context)
        let total = 2 * (chunks.count + 1)
        var done = 0, reviews = 0, ratings = 0

        for year in [today.year - 1, today.year] {
            let isCurrent = year == today.year
            // Who is reviewed: members by the end of the year (or today), not gone before it.
            let asOf = isCurrent ? today.description : "\(year)-12-31"
            // (Written so that no index on left_on tempts SQLite away from the member's id or branch.)
            let members: SQLQueryString = isCurrent ? "m.joined_on <= \(literal: asOf) AND COALESCE(m.left_on, '') = ''"
                : "m.joined_on <= \(literal: asOf) AND COALESCE(m.left_on, '9999') > \(literal: asOf)"
            // Last year's round is done but for a few; this year's opens towards the year's end.
            let opened = isCurrent ? min(60, max(5, (today.month - 8) * 15)) : 100
            let (approved, submitted) = isCurrent ? (opened / 4, opened * 58 / 100) : (96, 99)
            let status = """
                CASE WHEN o.id = \(isCurrent ? demoBranch : -1) THEN 'submitted'
                     WHEN \(statusDraw.sql("o.id", String(year))) < \(approved) THEN 'approved'
                     WHEN \(statusDraw.sql("o.id", String(year))) < \(submitted) THEN 'submitted' ELSE 'draft' END
                """
            let meetingDays = (0..<6).map { _ in
                isCurrent ? context.day(random.int(0...min(45, today.dayNumber - CalendarDate(year: year, month: 1, day: 1)!.dayNumber))).description
                    : CalendarDate(year: year, month: 12, day: random.int(1...28))!.adding(days: random.int(0...40)).description
            }.map { min($0, today.description) }
            let meetingOn = dayDraw.choice("o.id", String(year), among: meetingDays)
            let insertReviews: SQLQueryString = """
                INSERT INTO \(ident: BranchReview.schema) (year, branch_id, branch_path, status, meeting_on, present, members)
                SELECT \(literal: year), c.id, c.path, c.status,
                       CASE WHEN c.status = 'draft' THEN NULL ELSE c.meeting_on END,
                       CASE WHEN c.status = 'draft' THEN NULL ELSE c.n - c.n * c.absent / 100 END, c.n
                FROM (SELECT o.id, o.path, counted.n, \(unsafeRaw: status) AS status, \(meetingOn) AS meeting_on,
                             \(unsafeRaw: dayDraw.sql("o.id", "7")) % 25 AS absent,
                             \(unsafeRaw: statusDraw.sql("o.id", String(year + 1))) AS opens
                      FROM \(ident: Organization.schema) o
                      JOIN (SELECT m.branch_id, COUNT(*) AS n FROM \(ident: Member.schema) m WHERE \(members)
                            GROUP BY m.branch_id) counted ON counted.branch_id = o.id
                      WHERE o.type IN (\(literals: OrgLifeDemo.branchTypes, joinedBy: ", "))
                        AND o.status = \(literal: Organization.Status.active.rawValue)) c
                WHERE c.opens < \(literal: opened) OR c.id = \(literal: demoBranch)
                ORDER BY c.id
                """
            reviews += try await context.app.writer.write(context.db) { db in
                try await OrgLifeDemo.insertedRows(BranchReview.schema, on: db) { try await db.sql.raw(insertReviews).run() }
            }
            done += 1
            progress(done, total)

            // Ratings: 优秀 for a fifth to a quarter of each branch (never above 30%), then a few
            // 基本合格 and 不合格; registered once the level above approved.
            let order = ratingDraw.sql("m.id", String(year))
            let excellentShare = "(20 + \(ratingDraw.sql("r.branch_id", String(year))) % 9)"
            for chunk in chunks {
                let (low, high) = (chunk.lowerBound, chunk.upperBound)
                let insertRatings: SQLQueryString = """
                    INSERT INTO \(ident: MemberRating.schema) (review_id, member_id, member_name, rating, registered)
                    SELECT c.review_id, c.member_id, c.name, c.rating,
                           CASE WHEN c.status = 'approved' AND c.rating <> 'unqualified' THEN \(true) ELSE \(false) END
                    FROM (SELECT r.id AS review_id, r.status, m.id AS member_id, m.name,
                                 CASE WHEN r.status = 'draft' THEN NULL
                                      WHEN ROW_NUMBER() OVER (PARTITION BY r.id ORDER BY \(unsafeRaw: order), m.id) * 100
                                           <= COUNT(*) OVER (PARTITION BY r.id) * \(unsafeRaw: excellentShare) THEN 'excellent'
                                      WHEN \(unsafeRaw: ratingDraw.sql("m.id", String(year + 1))) < 2 THEN 'unqualified'
                                      WHEN \(unsafeRaw: ratingDraw.sql("m.id", String(year + 1))) < 9 THEN 'basicallyQualified'
                                      ELSE 'qualified' END AS rating
                          FROM \(ident: BranchReview.schema) r JOIN \(ident: Member.schema) m ON m.branch_id = r.branch_id
                          WHERE r.year = \(literal: year) AND m.id >= \(bind: low) AND m.id <= \(bind: high) AND \(members)) c
                    ORDER BY c.review_id, c.member_id
                    """
                ratings += try await context.app.writer.write(context.db) { db in
                    try await OrgLifeDemo.insertedRows(MemberRating.schema, on: db) { try await db.sql.raw(insertRatings).run() }
                }
                done += 1
                progress(done, total)
            }
        }

        let change = context.change, summary = "生成演示团员教育评议：\(reviews) 个团支部评议，\(ratings) 名团员评定等次"
        try await context.app.writer.write(context.db) { db in
            try await ReviewTotals.rebuild(on: db)
            try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(context.root),
                                   action: "review.demo", entityType: "demo", entityID: String(context.seed), summary: summary)
        }
    }
}
