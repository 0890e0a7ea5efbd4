import Fluent
import LeagueCore
import SQLKit
import Vapor

/// How the branches below a unit keep the cadence of 三会一课 in a year.
enum OrgLifeQueries {
    struct BranchCompliance: Sendable {
        let branch: Organization
        let compliance: Compliance
    }

    /// The day a branch's duties start: its founding date, or the day it was entered here.
    static func start(of branch: Organization) -> CalendarDate? {
        branch.establishedOn.flatMap(CalendarDate.init) ?? branch.createdAt.map { CalendarDate(ChinaTime.dateString($0))! }
    }

    /// Every active branch in the unit's subtree, worst first.
    static func compliance(under unit: Organization, year: Int, today: CalendarDate, scope: Scope,
                           on db: any Database) async throws -> [BranchCompliance] {
        let within = Scope(reach: .subtree(unit.path))
        let branches = try await within.within(scope.organizations(on: db), \Organization.$path).filter(\.$status == .active)
            .filter(\.$type ~~ OrganizationType.allCases.filter(\.isBranch)).all()
        struct Row: Decodable { let branch_id: Int; let kind: String; let held_on: String }
        let select = db.sql.select().column("branch_id").column("kind").column("held_on").from(Meeting.schema)
            .where("held_on", .greaterThanOrEqual, SQLBind("\(year)-01-01")).where("held_on", .lessThanOrEqual, SQLBind("\(year)-12-31"))
            .where("branch_path", .greaterThanOrEqual, SQLBind(unit.path.subtreeLowerBound))
            .where("branch_path", .lessThan, SQLBind(unit.path.subtreeUpperBound))
        let rows = try await scope.restrict(select, paths: [SQLColumn("branch_path")]).all(decoding: Row.self)
        var held: [Int: [MeetingKind: [CalendarDate]]] = [:]
        for row in rows {
            guard let kind = MeetingKind(rawValue: row.kind), let date = CalendarDate(row.held_on) else { continue }
            held[row.branch_id, default: [:]][kind, default: []].append(date)
        }
        let cadence = try await MeetingWrites.cadence(on: db)
        let yearStart = CalendarDate(year: year, month: 1, day: 1)!
        let end = min(CalendarDate(year: year, month: 12, day: 31)!, today)
        return branches.map { branch in
            let from = max(yearStart, start(of: branch) ?? yearStart)
            return BranchCompliance(branch: branch, compliance: Compliance(held: held[branch.id!] ?? [:], cadence: cadence,
                                                                            from: from, to: end))
        }.sorted { ($0.compliance.percent, $0.branch.path) < ($1.compliance.percent, $1.branch.path) }
    }
}
