import Fluent
import Foundation
import LeagueCore
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Each active branch's 三会一课 compliance in a year, kept so that the overview of a district or
/// of the city reads fifty rows in order of their percent instead of working out every branch
/// below it on each request (28,500 branches in a city of a million members).
///
/// A compliance depends on the branch's meetings, the cadence, the branch (active, founded when,
/// where in the tree) and, in the current year, on today. The kept rows carry a stamp of all of
/// these but the meetings; a meeting recorded refreshes its branch's row in its own transaction.
/// A read that finds the stamp out of date works out every branch again, once: the first read of
/// a day, or after a unit changed.
enum OrgLifeStandings {
    /// One branch's kept compliance.
    struct Row: Decodable {
        let branch_id: Int
        let percent: Int
        let items: String
    }

    /// The shape of the kept rows' `items`: a new shape makes every kept row out of date.
    static let keptFormat = 1

    /// Kept items read back, by their text. Most branches stand alike (every meeting held, or the
    /// same periods missing), so a page's fifty rows hold a few distinct texts; decoding each
    /// row's JSON was a fifth of the city's overview under load. The texts are few (kinds ×
    /// missing periods of one year); past 4,096 the memo starts again.
    private static let readBack = NIOLockedValueBox<[String: Compliance]>([:])

    static func compliance(keptItems text: String) -> Compliance {
        if let known = readBack.withLockedValue({ $0[text] }) { return known }
        let compliance = Compliance(items: (try? JSONDecoder().decode([Compliance.Item].self, from: Data(text.utf8))) ?? [])
        readBack.withLockedValue { memo in
            if memo.count >= 4_096 { memo.removeAll(keepingCapacity: true) }
            memo[text] = compliance
        }
        return compliance
    }

    /// How many branches below each unit stand at each percent in a year, kept up the tree with
    /// the rows: the overview's count and spread at the city root read one unit's figures (at most
    /// 101 a year) instead of going through 28,500 kept rows on each request (7 ms).
    static let spread = SubtreeTotals(table: "org_life_spread", keys: ["year", "percent"], figures: ["branches"])

    /// The spread's key of a branch standing at `percent` in `year`.
    private static func spreadKey(year: Int, percent: Int) -> [String] { [String(year), String(percent)] }

    /// How many branches of the unit's subtree stand at each percent in a year.
    static func spread(under unitID: Int, year: Int, on db: any Database) async throws -> [Int: Int] {
        var branches: [Int: Int] = [:]
        for row in try await spread.rows(of: unitID, keyPrefix: [String(year)], on: db) {
            guard let percent = row.key.last.flatMap({ Int($0) }), let count = row.figures.first, count != 0 else { continue }
            branches[percent, default: 0] += count
        }
        return branches
    }

    /// What the kept rows were worked out from, apart from the meetings.
    static func stamp(year: Int, today: CalendarDate, on db: any Database) async throws -> String {
        let units = try await TreeStamp.current(on: db)
        let cadence = try await MeetingWrites.cadence(on: db).sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key.rawValue)=\($0.value.rawValue)" }.joined(separator: ",")
        let asOf = year < today.year ? "\(year)-12-31" : today.description
        return "\(keptFormat)|\(asOf)|\(cadence)|\(units)"
    }

    /// Makes the kept rows of `year` current, working every branch out again if the stamp moved.
    static func refresh(year: Int, today: CalendarDate, writer: Writer, on db: any Database) async throws {
        let current = try await stamp(year: year, today: today, on: db)
        guard try await keptStamp(year: year, on: db) != current else { return }
        try await writer.write(db) { db in
            // On PostgreSQL, writes run side by side: the refresh waits for meetings being recorded
            // to commit, and holds new ones back until it has, so that it reads every meeting and
            // none of their rows is overwritten by a result worked out without it.
            try await lockAgainstMeetings(on: db)
            // Another request may have done it while this one waited for the writer.
            let current = try await stamp(year: year, today: today, on: db)
            guard try await keptStamp(year: year, on: db) != current else { return }
            try await db.sql.delete(from: OrgLifeStanding.schema).where("year", .equal, SQLBind(year)).run()
            let branches = try await activeBranches(on: db)
            let held = try await meetings(year: year, branchID: nil, on: db)
            let cadence = try await MeetingWrites.cadence(on: db)
            let rows = branches.map { branch in
                (branch, compliance(of: branch, held: held[branch.id] ?? [:], cadence: cadence, year: year, today: today))
            }
            for start in stride(from: 0, to: rows.count, by: 400) {
                try await insert(rows[start..<min(start + 400, rows.count)], year: year, on: db)
            }
            try await spread.rebuild(rows.compactMap { branch, compliance in
                TreePath(branch.path).map { (path: $0, key: spreadKey(year: year, percent: compliance.percent), figures: [1]) }
            }, keyPrefix: [String(year)], on: db)
            try await db.sql.insert(into: OrgLifeStandingStamp.schema).columns("year", "stamp").values(SQLBind(year), SQLBind(current))
                .onConflict(with: ["year"]) { $0.set(excludedValueOf: "stamp") }.run()
        }
    }

    /// Works one branch out again after a meeting was recorded, inside that write.
    static func refresh(branchID: Int, year: Int, today: CalendarDate, on db: any Database) async throws {
        // Two meetings of one branch recorded at once on PostgreSQL: the second works the branch
        // out only once the first has committed, so that it sees both.
        try await OrganizationWrites.lock(unitID: branchID, on: db)
        guard let branch = try await activeBranches(id: branchID, on: db).first else { return }
        struct Kept: Decodable { let percent: Int; let branch_path: String }
        let kept = try await db.sql.select().columns("percent", "branch_path").from(OrgLifeStanding.schema)
            .where("branch_id", .equal, SQLBind(branchID)).where("year", .equal, SQLBind(year)).first(decoding: Kept.self)
        let compliance = try await compliance(of: branch, year: year, today: today, on: db)
        try await insert([(branch, compliance)][...], year: year, on: db)
        var changes = SubtreeTotals.Changes()
        if let kept, let path = TreePath(kept.branch_path) { changes.add([-1], key: spreadKey(year: year, percent: kept.percent), at: path) }
        if let path = TreePath(branch.path) { changes.add([1], key: spreadKey(year: year, percent: compliance.percent), at: path) }
        try await spread.apply(changes, on: db)
    }

    /// An active branch's compliance in a year, worked out from its meetings; nil for another unit.
    static func compliance(ofBranch id: Int, year: Int, today: CalendarDate, on db: any Database) async throws -> Compliance? {
        guard let branch = try await activeBranches(id: id, on: db).first else { return nil }
        return try await compliance(of: branch, year: year, today: today, on: db)
    }

    private static func compliance(of branch: Branch, year: Int, today: CalendarDate, on db: any Database) async throws -> Compliance {
        let held = try await meetings(year: year, branchID: branch.id, on: db)
        return compliance(of: branch, held: held[branch.id] ?? [:], cadence: try await MeetingWrites.cadence(on: db), year: year, today: today)
    }

    /// A share row exclusive lock on the kept rows (PostgreSQL; SQLite has one writer): it waits
    /// for the transactions that have written a branch's row and keeps others from writing one.
    private static func lockAgainstMeetings(on db: any Database) async throws {
        guard db.isPostgres else { return }
        try await db.sql.raw("LOCK TABLE \(ident: OrgLifeStanding.schema) IN SHARE ROW EXCLUSIVE MODE").run()
    }

    /// Every year's kept rows are worked out again on their next read (the cadence changed, units moved).
    static func forget(on db: any Database) async throws {
        try await db.sql.delete(from: OrgLifeStandingStamp.schema).run()
    }

    /// A branch's compliance in a year, from the dates of its meetings by kind.
    static func compliance(of branch: Branch, held: [MeetingKind: [CalendarDate]], cadence: [MeetingKind: Cadence],
                           year: Int, today: CalendarDate) -> Compliance {
        let yearStart = CalendarDate(year: year, month: 1, day: 1) ?? today
        let end = min(CalendarDate(year: year, month: 12, day: 31) ?? today, today)
        return Compliance(held: held, cadence: cadence, from: max(yearStart, branch.start ?? yearStart), to: end)
    }

    /// What a compliance needs of a branch.
    struct Branch: Decodable {
        let id: Int
        let path: String
        let established_on: String?
        let created_at: Date?

        var start: CalendarDate? { OrgLifeQueries.start(established: established_on, created: created_at) }
    }

    private static func activeBranches(id: Int? = nil, on db: any Database) async throws -> [Branch] {
        var select = db.sql.select().columns("id", "path", "established_on", "created_at").from(Organization.schema)
            .where("status", .equal, SQLBind(Organization.Status.active.rawValue))
            .where("type", .in, SQLBind.group(OrganizationType.allCases.filter(\.isBranch).map(\.rawValue)))
        if let id { select = select.where("id", .equal, SQLBind(id)) }
        return try await select.all(decoding: Branch.self)
    }

    /// The dates of the year's meetings, by branch and kind.
    private static func meetings(year: Int, branchID: Int?, on db: any Database) async throws -> [Int: [MeetingKind: [CalendarDate]]] {
        struct Held: Decodable { let branch_id: Int; let kind: String; let held_on: String }
        var select = db.sql.select().columns("branch_id", "kind", "held_on").from(Meeting.schema)
            .where("held_on", .greaterThanOrEqual, SQLBind("\(year)-01-01")).where("held_on", .lessThanOrEqual, SQLBind("\(year)-12-31"))
        if let branchID { select = select.where("branch_id", .equal, SQLBind(branchID)) }
        var held: [Int: [MeetingKind: [CalendarDate]]] = [:]
        for row in try await select.all(decoding: Held.self) {
            guard let kind = MeetingKind(rawValue: row.kind), let date = CalendarDate(row.held_on) else { continue }
            held[row.branch_id, default: [:]][kind, default: []].append(date)
        }
        return held
    }

    private static func insert(_ rows: ArraySlice<(Branch, Compliance)>, year: Int, on db: any Database) async throws {
        guard !rows.isEmpty else { return }
        var insert = db.sql.insert(into: OrgLifeStanding.schema).columns("branch_id", "branch_path", "year", "percent", "met", "due", "items")
        for (branch, compliance) in rows {
            let items = try StoredJSON.text(compliance.items)
            insert = insert.values(SQLBind(branch.id), SQLBind(branch.path), SQLBind(year), SQLBind(compliance.percent),
                                   SQLBind(compliance.met), SQLBind(compliance.due), SQLBind(items))
        }
        try await insert.onConflict(with: ["branch_id", "year"]) { update in
            ["branch_path", "percent", "met", "due", "items"].reduce(update) { $0.set(excludedValueOf: $1) }
        }.run()
    }

    private static func keptStamp(year: Int, on db: any Database) async throws -> String? {
        struct Kept: Decodable { let stamp: String }
        return try await db.sql.select().column("stamp").from(OrgLifeStandingStamp.schema).where("year", .equal, SQLBind(year))
            .first(decoding: Kept.self)?.stamp
    }
}

/// A branch's kept compliance in a year (`OrgLifeStandings`).
enum OrgLifeStanding {
    static let schema = "org_life_standings"
}

/// What the kept compliance of a year was worked out from (`OrgLifeStandings.stamp`).
enum OrgLifeStandingStamp {
    static let schema = "org_life_standing_stamps"
}

/// The kept compliance, read in order of percent along an index, and meetings found by branch.
struct CreateOrgLifeStandings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OrgLifeStanding.schema)
            .field("branch_id", .int, .required, .references(Organization.schema, "id"))
            .field("branch_path", database.byteOrderedText, .required)
            .field("year", .int, .required)
            .field("percent", .int, .required)
            .field("met", .int, .required)
            .field("due", .int, .required)
            .field("items", .string, .required)
            .unique(on: "branch_id", "year")
            .create()
        try await database.createIndex("org_life_standings_path", on: OrgLifeStanding.schema, columns: ["year", "branch_path", "percent"])
        try await database.createIndex("org_life_standings_order", on: OrgLifeStanding.schema, columns: ["year", "percent", "branch_path"])
        try await database.schema(OrgLifeStandingStamp.schema)
            .field("year", .int, .required)
            .field("stamp", .string, .required)
            .unique(on: "year")
            .create()
        try await database.createIndex("meetings_branch", on: Meeting.schema, columns: ["branch_id", "held_on"])
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "meetings_branch").run()
        for schema in [OrgLifeStandingStamp.schema, OrgLifeStanding.schema] { try await database.schema(schema).delete() }
    }
}

/// The kept spread of percents up the tree (`OrgLifeStandings.spread`). The kept rows are worked
/// out again on their next read, which fills it.
struct CreateOrgLifeSpread: SubtreeTotalsMigration {
    var totals: SubtreeTotals { OrgLifeStandings.spread }
    func fill(on database: any Database) async throws { try await OrgLifeStandings.forget(on: database) }
}
