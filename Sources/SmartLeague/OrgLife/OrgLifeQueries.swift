import Fluent
import LeagueCore
import SQLKit
import Vapor

/// What the 三会一课 pages read: how the branches below a unit keep the cadence in a year, a
/// branch's record and one meeting.
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
        let compliance = try await compliance(under: branch, year: today.year, today: today, scope: scope, on: db)
            .first?.compliance ?? Compliance(held: [:], cadence: [:], from: today, to: today)
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
