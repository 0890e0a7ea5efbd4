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
        established.flatMap(CalendarDate.init) ?? created.flatMap(ChinaTime.calendarDay)
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
        // The unit is in reach, so its whole subtree is: its kept figures need no restriction.
        let spread = try await OrgLifeStandings.spread(under: unit.id ?? 0, year: year, on: db)
        let total = spread.values.reduce(0, +)
        let pagination = Pagination(page: page, pageSize: 50, total: total, keep: ["unit": String(unit.id ?? 0), "year": String(year)])
        // A district's or the city's thousands of branches are read along the (percent, path) index
        // until the page is full, not gathered by path and sorted.
        let condition: Scope.PathCondition = total >= 2_000 ? .walkingTheOrder : .usingThePathIndex
        let path = Scope.pathExpression("branch_path", table: OrgLifeStanding.schema, condition, on: db)
        let kept = try await scope.restrict(db.sql.select().columns("branch_id", "percent", "items").from(OrgLifeStanding.schema)
            .where("year", .equal, SQLBind(year))
            .where(path, .greaterThanOrEqual, SQLBind(unit.path.subtreeLowerBound))
            .where(path, .lessThan, SQLBind(unit.path.subtreeUpperBound)), paths: [path])
            .orderBy("percent").orderBy("branch_path").limit(pagination.pageSize).offset(pagination.offset)
            .all(decoding: OrgLifeStandings.Row.self)
        let nameByID = try await scope.unitNames(kept.map(\.branch_id), on: db)
        let rows = kept.map { row in
            Overview.Row(branchID: row.branch_id, name: nameByID[row.branch_id] ?? "",
                         compliance: OrgLifeStandings.compliance(keptItems: row.items))
        }
        let bands = ranges.prefix(4).map { range in spread.filter { range.contains($0.key) }.values.reduce(0, +) }
        return Overview(total: total, spread: bands, rows: rows, pagination: pagination)
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
