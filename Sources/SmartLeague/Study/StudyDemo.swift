import Fluent
import Foundation
import LeagueCore
import SQLKit
import Vapor

/// 青年大学习 in the demo city: the current season's weekly episodes (the latest open, the next
/// one announced), and members' completions at the rates a working city shows, different from
/// district to district and branch to branch, so that every ranking has an order.
enum StudyDemo {
    /// About this many completions at most: a million members would otherwise bring six
    /// million rows. A large city gets fewer weeks of the season instead of thinner ones, as if
    /// the season had begun recently, so every episode shown has a full week of learners.
    static let completionBudget = 1_400_000
    static let mostEpisodes = 10
    static let fewestEpisodes = 3
    /// Completions a transaction, counted in the same transaction (`insertCounted`).
    static let rowsPerTransaction = 20_000
    static let rowsPerStatement = 500

    static let titles = ["学习二十届三中全会精神", "强国有我 青春担当", "传承五四精神", "走进新时代的中国农村", "青春心向党 建功新时代",
                         "科技自立自强的青年力量", "绿水青山就是金山银山", "从红船出发", "奋斗的青春最美丽", "志愿服务 青春同行",
                         "中华民族共同体意识", "网络强国 青年争先"]

    static func fill(_ context: DemoCityContext, progress: @escaping @Sendable (Int, Int) -> Void) async throws {
        var random = context.random("study")
        let now = context.change.now
        let episodes = try await publishEpisodes(context, now: now, random: &random)
        let taken = episodes.filter { $0.opensAt <= now }
        let demoMember = context.people.memberID

        // Each district keeps its own habit, each branch its own around it: schools study most,
        // the mobile branches of the townships least.
        var districtRates: [Int: Double] = [:]
        for district in context.districts { if let id = district.id { districtRates[id] = 0.45 + Double(random.int(0...40)) / 100 } }
        let expected = Double(context.memberCount) * Double(taken.count) * 0.6
        let total = max(1, Int(expected))
        var pending: [CompletionRows.Entry] = []
        var written = 0
        func flush() async throws {
            let rows = pending
            pending = []
            try await context.app.writer.write(context.db) { db in try await insertCounted(rows, on: db) }
            written += rows.count
            progress(min(written, total), total)
        }
        for branch in context.branches {
            guard let members = branch.members else { continue }
            let districtRate = context.district(of: branch).flatMap { $0.id.flatMap { districtRates[$0] } } ?? 0.6
            let kindShift: Double = switch branch.kind {
            case .school: 0.12
            case .enterprise: -0.02
            case .township: branch.type == .mobileBranch ? -0.3 : -0.08
            }
            let branchRate = min(0.97, max(0.08, districtRate + kindShift + Double(random.int(-20...20)) / 100))
            // Some secretaries import the national platform's export instead of members answering here.
            let imports = random.chance(0.12)
            for memberID in members {
                // Most learners are regular; a few come now and then.
                let regular = random.chance(branchRate)
                for episode in taken {
                    let chance = episode.share * (regular ? 0.93 : 0.1)
                    let done = memberID == demoMember ? episode.demoMemberDone : random.chance(chance)
                    guard done else { continue }
                    let at = episode.completionTime(now: now, &random)
                    pending.append(CompletionRows.Entry(
                        episodeID: episode.id, memberID: memberID, branchID: branch.id, branchPath: branch.path, at: at,
                        source: imports ? "import" : "app", score: imports ? nil : max(0, episode.questions - random.int(0...1) - (random.chance(0.1) ? 1 : 0))))
                }
                if pending.count >= rowsPerTransaction { try await flush() }
            }
        }
        if !pending.isEmpty { try await flush() }
        let summary = "生成青年大学习演示数据：\(episodes.count) 期，完成记录 \(written) 条"
        let change = context.change
        let root = context.root
        try await context.app.writer.write(context.db) { db in
            try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(root), action: "study.demo",
                                   entityType: "study_completion", entityID: "demo", summary: summary)
        }
        progress(total, total)
    }

    /// One episode as the fill needs it.
    struct Episode {
        let id: Int
        let opensAt: Date
        let closesAt: Date
        let questions: Int
        /// Of a regular learner's weeks, how much this one reached: a full week for a closed
        /// episode, less for the one still open.
        let share: Double
        let demoMemberDone: Bool

        /// Most learners answer within a day of the release, the rest through the week.
        func completionTime(now: Date, _ random: inout SeededRandom) -> Date {
            let end = min(closesAt, now)
            let span = max(60, Int(end.timeIntervalSince(opensAt)))
            let offset = random.chance(0.55) ? random.int(0...min(span, 86_400)) : random.int(0...span)
            return opensAt.addingTimeInterval(TimeInterval(min(offset, span)))
        }
    }

    /// The current season, one episode a week released on Monday at 10:00 and open for the
    /// week, through the episodes' own publishing (audited); the next week's announced.
    private static func publishEpisodes(_ context: DemoCityContext, now: Date, random: inout SeededRandom) async throws -> [Episode] {
        let perWeek = Double(max(1, context.memberCount)) * 0.62
        let count = min(mostEpisodes, max(fewestEpisodes, Int(Double(completionBudget) / perWeek)))
        let mondayOffset = (context.today.dayNumber + 3) % 7
        var latestOpening = ChinaTime.startOfDay(context.day(mondayOffset)).addingTimeInterval(10 * 3600)
        if latestOpening > now { latestOpening = latestOpening.addingTimeInterval(-7 * 86_400) }
        let season = 13
        var episodes: [Episode] = []
        for number in 1...(count + 1) {
            let opensAt = latestOpening.addingTimeInterval(TimeInterval((number - count) * 7 * 86_400))
            let closesAt = opensAt.addingTimeInterval(7 * 86_400 - 60)
            let questions = random.int(3...5)
            let quiz = Quiz(questions: (0..<questions).map { index in
                Quiz.Question(text: "第\(number)期第\(index + 1)题：以下说法正确的是？",
                              choices: ["说法一", "说法二", "说法三", "说法四"], answer: random.int(0...3))
            })
            let draft = StudyEpisodes.Draft(season: season, number: number, title: titles[(number - 1) % titles.count],
                                            opensAt: opensAt, closesAt: closesAt,
                                            videoURL: "https://h5.cyol.com/special/daxuexi/s\(season)e\(number)/index.html", quiz: quiz)
            let change = context.change
            let episode = try await context.app.writer.write(context.db) { db in
                try await StudyEpisodes.publish(draft, change, on: db)
            }
            guard let id = episode.id else { continue }
            // The one still open has reached part of its learners: most within a day, the rest by the weekend.
            // Counted in whole days, so that two builds on one day with one seed draw the same learners.
            let elapsed = (now.timeIntervalSince(opensAt) / 86_400).rounded(.down) / 7
            let share = closesAt < now ? 1.0 : opensAt > now ? 0 : min(1, 0.35 + elapsed * 0.65)
            // The demo member has done all but one past week, and not yet this week's.
            episodes.append(Episode(id: id, opensAt: opensAt, closesAt: closesAt, questions: questions, share: share,
                                    demoMemberDone: closesAt < now && number != max(1, count - 2)))
        }
        return episodes
    }

    /// Completions with the counts they make, as the trigger would have made them: the trigger
    /// (`AddStudyCountTrigger`) counts each row for every unit of its path, five upserts a row,
    /// which is a third of the fill's time at a million members; here it is set aside for the
    /// transaction and the batch's counts are added in one go (`MemberStats.Delta`, the same
    /// counts), then it is put back, the same migration's statements, before the transaction
    /// commits. Nothing outside the transaction ever sees the table without its trigger.
    private static func insertCounted(_ rows: [CompletionRows.Entry], on db: any Database) async throws {
        try await AddStudyCountTrigger().revert(on: db)
        var counts = MemberStats.Delta()
        for row in rows { counts.add([(.study, String(row.episodeID))], at: row.branchPath, 1) }
        try await db.runOverlapping(stride(from: 0, to: rows.count, by: rowsPerStatement)) { start in
            statement(rows[start..<min(start + rowsPerStatement, rows.count)])
        }
        try await counts.apply(on: db)
        try await AddStudyCountTrigger().prepare(on: db)
    }

    /// Many rows a statement, counted by `insertCounted`. for its branch and every unit above it
    /// (`AddStudyCountTrigger`), as every completion does.
    private static func statement(_ rows: ArraySlice<CompletionRows.Entry>) -> BulkRows {
        var insert = BulkRows(into: StudyCompletion.schema,
                              columns: ["episode_id", "member_id", "branch_id", "branch_path", "completed_at", "source", "score"], rows: rows.count)
        for row in rows {
            insert.append(.init(row.episodeID), .init(row.memberID), .init(row.branchID), .init(row.branchPath.value),
                          .init(row.at), .init(row.source), .init(row.score))
        }
        return insert
    }
}
