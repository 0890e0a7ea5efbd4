import Fluent
import LeagueCore
import SQLKit
import Vapor

/// The demo city's 对标定级: last year's round graded (levels follow how each branch kept its
/// meetings), and, from November, this year's round under way with sheets at every stage.
enum GradingDemo {
    struct Branch: Decodable {
        let id: Int
        let path: String
        let established_on: String?
    }

    /// What a reviewer saw of a branch in a year, as `GradingFacts` words it.
    struct YearRecord {
        var meetings = 0
        var percent = 100
    }

    /// Returns the number of sheets.
    static func fill(_ context: DemoCityContext, plan: MeetingPlan, _ random: inout SeededRandom) async throws -> Int {
        let today = context.today
        let branches = try await context.db.sql.select().column("id").column("path").column("established_on").from(Organization.schema)
            .where("type", .in, OrgLifeDemo.branchTypes).where("status", .equal, Organization.Status.active.rawValue)
            .orderBy("id").all(decoding: Branch.self)
        struct Secretary: Decodable { let unit_id: Int; let name: String }
        let secretaries = Dictionary(
            try await context.db.sql.select().column("unit_id").column("name").from(Cadre.schema)
                .where("post", .equal, CadrePost.secretary.rawValue).where(SQLColumn("left_on"), .is, SQLLiteral.null)
                .orderBy("id").all(decoding: Secretary.self).map { ($0.unit_id, $0.name) },
            uniquingKeysWith: { first, _ in first })
        var memberCounts: [Int: Int] = [:]
        for branch in context.branches { memberCounts[branch.id] = branch.members?.count ?? 0 }

        var rounds: [(year: Int, opens: CalendarDate)] = [(today.year - 1, CalendarDate(year: today.year - 1, month: 11, day: 20)!)]
        if today.month >= 11 { rounds.append((today.year, CalendarDate(year: today.year, month: 11, day: 1)!)) }
        let cadence = try await MeetingWrites.cadence(on: context.db)
        var sheetCount = 0
        for (year, opens) in rounds {
            let isCurrent = year == today.year
            let records = try await yearRecords(year: year, to: min(today, CalendarDate(year: year, month: 12, day: 31)!),
                                                branches: branches, cadence: cadence, on: context.db)
            var rows: [[any SQLExpression]] = []
            let change = context.change
            let roundID = try await context.app.writer.write(context.db) { db in
                let round = GradingRound()
                round.year = year
                round.opensOn = opens.description
                round.createdAt = change.now
                try await round.create(on: db)
                return round.id ?? 0
            }
            for branch in branches {
                guard let established = branch.established_on.flatMap(CalendarDate.init),
                      GradingRules.takesPart(established: established, roundOpens: opens) else { continue }
                let record = records[branch.id] ?? YearRecord()
                let secretary = secretaries[branch.id]
                let status: GradingSheet.Status
                if branch.id == plan.exemplaryBranch {
                    status = isCurrent ? .submitted : .reviewed
                } else if isCurrent {
                    status = random.chance(0.25) ? .reviewed : random.chance(0.4) ? .submitted : .draft
                } else {
                    status = random.chance(0.98) ? .reviewed : .submitted
                }
                // The score follows the meetings kept, give or take the other items.
                let score = min(99, max(30, 40 + record.percent * 55 / 100 + random.int(-4...4)))
                var vetoes: [GradingVeto] = []
                if record.meetings == 0 { vetoes.append(.noActivityForAYear) }
                if secretary == nil { vetoes.append(.leadershipVacant) }
                if random.chance(0.01) { vetoes.append(.seriousViolation) }
                let reviewScores = split(score, &random)
                let selfScores = reviewScores.map { min(GradingItem.points, $0 + random.int(0...2)) }
                let partial = status == .draft && random.chance(0.5)
                let started = status != .draft || partial
                let shownSelf = status == .draft ? (partial ? Array(selfScores.prefix(random.int(1...4))) : []) : selfScores
                let reviewed = status == .reviewed
                let level = StarLevel(score: score, vetoed: !vetoes.isEmpty)
                let facts = ["团员人数：\(memberCounts[branch.id] ?? 0) 名",
                             "\(year) 年三会一课：\(record.meetings) 次，落实率 \(record.percent)%",
                             "在任支部书记：\(secretary ?? "空缺")"].joined(separator: "；")
                rows.append([
                    SQLBind(roundID), SQLBind(branch.id), SQLBind(branch.path), SQLBind(status.rawValue), SQLBind(json(shownSelf)),
                    SQLBind(started ? evidence : "{}"),
                    SQLBind(status == .draft ? nil : secretary ?? DemoPeople.name(male: random.chance(0.5), &random)),
                    SQLBind(status == .draft ? nil : DemoPeople.name(male: random.chance(0.5), &random)),
                    SQLBind(reviewed ? json(reviewScores) : "{}"),
                    SQLBind(reviewed ? vetoes.map(\.rawValue).joined(separator: ",") : ""),
                    SQLBind(reviewed ? score : nil), SQLBind(reviewed ? level.rawValue : nil),
                    SQLBind(reviewed ? comment(level) : nil), SQLBind(reviewed ? facts : ""),
                ])
            }
            for start in stride(from: 0, to: rows.count, by: 10_000) {
                let chunk = rows[start..<min(start + 10_000, rows.count)]
                try await context.app.writer.write(context.db) { db in
                    for part in stride(from: chunk.startIndex, to: chunk.endIndex, by: 500) {
                        var insert = db.sql.insert(into: GradingSheet.schema).columns(
                            "round_id", "branch_id", "branch_path", "status", "self_scores", "evidence", "secretary_signature",
                            "representative_signature", "review_scores", "vetoes", "score", "level", "review_comment", "facts")
                        for row in chunk[part..<min(part + 500, chunk.endIndex)] { insert = insert.values(row) }
                        try await insert.run()
                    }
                }
            }
            sheetCount += rows.count
        }
        return sheetCount
    }

    /// Each branch's meetings in the year and the share of due periods kept, counted by the
    /// database (distinct months and quarters per kind) and weighed as `Compliance` does.
    static func yearRecords(year: Int, to end: CalendarDate, branches: [Branch], cadence: [MeetingKind: Cadence],
                            on db: any Database) async throws -> [Int: YearRecord] {
        struct Row: Decodable { let branch_id: Int; let kind: String; let n: Int; let months: Int; let quarters: Int }
        let rows = try await db.sql.raw("""
            SELECT branch_id, kind, COUNT(*) AS n, COUNT(DISTINCT substr(held_on, 1, 7)) AS months,
                   COUNT(DISTINCT (CAST(substr(held_on, 6, 2) AS INTEGER) + 2) / 3) AS quarters
            FROM \(ident: Meeting.schema) WHERE held_on >= \(bind: "\(year)-01-01") AND held_on <= \(bind: "\(year)-12-31")
            GROUP BY branch_id, kind
            """).all(decoding: Row.self)
        var held: [Int: [MeetingKind: Row]] = [:]
        for row in rows { if let kind = MeetingKind(rawValue: row.kind) { held[row.branch_id, default: [:]][kind] = row } }
        let yearStart = CalendarDate(year: year, month: 1, day: 1)!
        var records: [Int: YearRecord] = [:]
        for branch in branches {
            let from = max(yearStart, branch.established_on.flatMap(CalendarDate.init) ?? yearStart)
            var due = 0, met = 0, meetings = 0
            for kind in MeetingKind.allCases {
                let row = held[branch.id]?[kind]
                meetings += row?.n ?? 0
                let rule = cadence[kind] ?? kind.defaultCadence
                let periods = rule.periods(from: from, to: end).count
                guard periods > 0 else { continue }
                let covered: Int = switch rule {
                case .monthly: row?.months ?? 0
                case .quarterly: row?.quarters ?? 0
                case .yearly: (row?.n ?? 0) > 0 ? 1 : 0
                case .asNeeded: 0
                }
                due += periods
                met += min(periods, covered)
            }
            records[branch.id] = YearRecord(meetings: meetings, percent: due == 0 ? 100 : met * 100 / due)
        }
        return records
    }

    /// A score split over the five items, none above its maximum.
    static func split(_ score: Int, _ random: inout SeededRandom) -> [Int] {
        var items = Array(repeating: score / GradingItem.allCases.count, count: GradingItem.allCases.count)
        for index in 0..<(score % items.count) { items[index] += 1 }
        for _ in 0..<2 {
            let from = random.int(0...items.count - 1), to = random.int(0...items.count - 1)
            if items[from] > 0 && items[to] < GradingItem.points { items[from] -= 1; items[to] += 1 }
        }
        return items
    }

    static func json(_ scores: [Int]) -> String {
        "{" + zip(GradingItem.allCases, scores).map { "\"\($0.0.rawValue)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    static let evidence = "{" + GradingItem.allCases.map { item in
        "\"\(item.rawValue)\":\"\(item.label)：见系统记录及支部台账\""
    }.joined(separator: ",") + "}"

    static func comment(_ level: StarLevel) -> String {
        switch level {
        case .fiveStar: "各项工作扎实规范，组织生活经常、认真，予以五星级认定。"
        case .fourStar: "工作规范有序，建议进一步丰富组织生活内容。"
        case .threeStar: "基本完成各项工作，三会一课落实有待加强。"
        case .lagging: "组织生活不够经常，请制定整改计划并报上级团组织。"
        case .weak: "存在否决项或组织生活长期缺失，列为软弱涣散团支部，限期整顿。"
        }
    }
}
