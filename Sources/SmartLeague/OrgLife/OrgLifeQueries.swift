import Fluent
import LeagueCore
import SQLKit
import Vapor

/// What the 三会一课 pages read: how the branches below a unit keep the cadence in a year, a
/// branch's record and one meeting.
enum OrgLifeQueries {
    /// The day a branch's duties start: its founding date, or the day it was entered here.
    static func start(of branch: Organization) -> CalendarDate? {
        start(established: branch.establishedOn, created: branch.createdAt)
    }

    static func start(established: String?, created: Date?) -> CalendarDate? {
        established.flatMap(CalendarDate.init) ?? created.flatMap { CalendarDate(ChinaTime.dateString($0)) }
    }

    /// The branches below a unit in a year, worst first, a page at a time (`OrgLifeStandings`).
    struct Overview {
        struct Row {
            let branchID: Int
            let name: String
            let compliance: Compliance
        }

        let total: Int
        /// How many branches fall in each of `OrgLifeOverviewPage.ranges`.
        let spread: [Int]
        let rows: [Row]
        let pagination: Pagination
    }

    /// Every active branch in the unit's subtree, worst first: a page of them, how many there are
    /// and how they spread over the percent ranges, from the kept compliance.
    static func overview(under unit: Organization, year: Int, today: CalendarDate, page: Int, ranges: [ClosedRange<Int>],
                         scope: Scope, writer: Writer, on db: any Database) async throws -> Overview {
        try await OrgLifeStandings.refresh(year: year, today: today, writer: writer, on: db)
        func kept(_ columns: [any SQLExpression]) -> SQLSelectBuilder {
            scope.restrict(db.sql.select().columns(columns).from(OrgLifeStanding.schema)
                .where("year", .equal, SQLBind(year))
                .where("branch_path", .greaterThanOrEqual, SQLBind(unit.path.subtreeLowerBound))
                .where("branch_path", .lessThan, SQLBind(unit.path.subtreeUpperBound)), paths: [SQLColumn("branch_path")])
        }
        struct Spread: Decodable { let total: Int; let r0: Int?; let r1: Int?; let r2: Int?; let r3: Int? }
        var columns: [any SQLExpression] = [SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("total"))]
        for (index, range) in ranges.prefix(4).enumerated() {
            columns.append(SQLAlias(SQLFunction("SUM", args: SQLRaw("CASE WHEN percent BETWEEN \(range.lowerBound) AND \(range.upperBound) THEN 1 ELSE 0 END")),
                                    as: SQLIdentifier("r\(index)")))
        }
        let spread = try await kept(columns).first(decoding: Spread.self)
        let total = spread?.total ?? 0
        let pagination = Pagination(page: page, pageSize: 50, total: total, keep: ["unit": String(unit.id ?? 0), "year": String(year)])
        let kept = try await kept([SQLColumn("branch_id"), SQLColumn("percent"), SQLColumn("items")])
            .orderBy("percent").orderBy("branch_path").limit(pagination.pageSize).offset(pagination.offset)
            .all(decoding: OrgLifeStandings.Row.self)
        let names = try await scope.organizations(on: db).filter(\.$id ~~ kept.map(\.branch_id)).all()
        let nameByID = Dictionary(names.compactMap { unit in unit.id.map { ($0, unit.name) } }, uniquingKeysWith: { first, _ in first })
        let decoder = JSONDecoder()
        let rows = kept.map { row in
            Overview.Row(branchID: row.branch_id, name: nameByID[row.branch_id] ?? "",
                         compliance: Compliance(items: (try? decoder.decode([Compliance.Item].self, from: Data(row.items.utf8))) ?? []))
        }
        return Overview(total: total, spread: [spread?.r0, spread?.r1, spread?.r2, spread?.r3].prefix(ranges.count).map { $0 ?? 0 },
                        rows: rows, pagination: pagination)
    }

    /// A branch's compliance in a year, worked out from its meetings; nil unless it is an active branch.
    static func compliance(of branch: Organization, year: Int, today: CalendarDate, on db: any Database) async throws -> Compliance? {
        guard let id = branch.id else { return nil }
        return try await OrgLifeStandings.compliance(ofBranch: id, year: year, today: today, on: db)
    }

    /// A branch's record this year: its compliance, its latest meetings with how many were at
    /// each, and the people a new record may tick.
    struct Branch {
        let branch: Organization
        let compliance: Compliance
        let meetings: [Meeting]
        let presentCounts: [Int: Int]
        let members: [Member]
        /// Applicants in training, who attend lessons for their class-hours.
        let trainees: [AdmissionApplication]
    }

    static func branch(_ id: Int, today: CalendarDate, scope: Scope, on db: any Database) async throws -> Branch {
        let branch = try await scope.organization(id, on: db)
        guard branch.type.isBranch else { throw Abort(.notFound) }
        let compliance = try await compliance(of: branch, year: today.year, today: today, on: db)
            ?? Compliance(held: [:], cadence: [:], from: today, to: today)
        let meetings = try await scope.query(Meeting.self, on: db).filter(\.$branchID == id).sort(\.$heldOn, .descending).range(0..<100).all()
        let present = try await MeetingAttendance.query(on: db).filter(\.$meetingID ~~ meetings.compactMap(\.id)).all()
        let trainees = try await scope.query(AdmissionApplication.self, on: db).filter(\.$branchID == id)
            .filter(\.$stage ~~ AdmissionStage.inTraining).sort(\.$name).all()
        let members = try await scope.members(on: db).filter(\.$branchID == id).sort(\.$name).range(0..<500).all()
        return Branch(branch: branch, compliance: compliance, meetings: meetings,
                      presentCounts: Dictionary(grouping: present, by: \.meetingID).mapValues(\.count), members: members, trainees: trainees)
    }

    /// One meeting in reach, who was there and its files.
    struct MeetingDetail {
        let meeting: Meeting
        let branch: Organization
        let members: [Member]
        let trainees: [AdmissionApplication]
        let files: [Attachment]
    }

    static func meeting(_ id: Int, scope: Scope, on db: any Database) async throws -> MeetingDetail {
        let meeting = try await scope.find(Meeting.self, id, on: db)
        let branch = try await scope.organization(meeting.branchID, on: db)
        let (members, trainees) = try await scope.attendees(of: meeting, on: db)
        let files = try await Attachments.list(ownerType: Meeting.attachmentOwner, ownerIDs: [id], on: db)[id] ?? []
        return MeetingDetail(meeting: meeting, branch: branch, members: members, trainees: trainees, files: files)
    }
}
