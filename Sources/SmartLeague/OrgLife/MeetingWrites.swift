import Fluent
import LeagueCore
import Vapor

/// Recording meetings and lessons, and the city's cadence.
enum MeetingWrites {
    struct Draft: Sendable {
        let kind: MeetingKind
        let heldOn: CalendarDate
        let topic: String
        let place: String
        let minutes: String
        let teacher: String?
        let teacherIsHead: Bool
        let classHours: Int
        let attendees: [Int]
        /// Applicants in training (activists) who were present.
        let applicants: [Int]
        /// Checked apart from the fields, as the upload it came in.
        var file: Upload?
    }

    /// A branch's meeting with its attendance, in one transaction and one audit entry.
    static func record(branchID: Int, _ draft: Draft, today: CalendarDate, _ change: ChangeContext,
                       on db: any Database) async throws -> Meeting {
        let branch = try await change.scope.activeOrganization(branchID, on: db)
        guard branch.type.isBranch else { throw Refusal("三会一课按团支部记录，请到具体团支部登记") }
        guard draft.heldOn <= today else { throw Refusal("会议日期不能晚于今天", field: "heldOn") }
        if draft.kind == .lesson {
            guard draft.teacher != nil else { throw Refusal("团课请填写授课人", field: "teacher") }
            guard (1...8).contains(draft.classHours) else { throw Refusal("团课学时应为 1 到 8", field: "classHours") }
        }
        // In id order, as the attendance rows are written: the same meeting gets the same rows
        // (and row ids) whatever order the database returns them in.
        let members = try await change.scope.members(on: db).filter(\.$branchID == branchID).filter(\.$id ~~ draft.attendees).sort(\.$id).all()
        guard members.count == Set(draft.attendees).count else { throw Refusal("出席人员须是本支部团员", field: "attendees") }
        let trainees = try await change.scope.query(AdmissionApplication.self, on: db).filter(\.$branchID == branchID)
            .filter(\.$id ~~ draft.applicants).filter(\.$stage ~~ AdmissionStage.inTraining).sort(\.$id).all()
        guard trainees.count == Set(draft.applicants).count else {
            throw Refusal("列席的入团积极分子须是本支部正在培养的人员", field: "attendees")
        }
        let meeting = Meeting()
        meeting.branchID = branchID
        meeting.branchPath = branch.path
        meeting.kind = draft.kind
        meeting.heldOn = draft.heldOn.description
        meeting.topic = draft.topic
        meeting.place = draft.place
        meeting.minutes = draft.minutes
        meeting.teacher = draft.kind == .lesson ? draft.teacher : nil
        meeting.teacherIsHead = draft.kind == .lesson && draft.teacherIsHead
        meeting.classHours = draft.kind == .lesson ? draft.classHours : 0
        meeting.recordedBy = change.actor.name
        meeting.createdAt = change.now
        try await meeting.create(on: db)
        try await OrgLifeStandings.refresh(branchID: branchID, year: draft.heldOn.year, today: today, on: db)
        for member in members {
            let present = MeetingAttendance()
            present.meetingID = meeting.id!
            present.memberID = member.id!
            try await present.create(on: db)
        }
        for trainee in trainees {
            let present = MeetingAttendance()
            present.meetingID = meeting.id!
            present.applicantID = trainee.id!
            try await present.create(on: db)
        }
        var fields = ["类型": draft.kind.label, "日期": draft.heldOn.description, "主题": draft.topic, "地点": draft.place,
                      "出席": "\(members.count) 人" + (trainees.isEmpty ? "" : "，入团积极分子 \(trainees.count) 人")]
        if let teacher = meeting.teacher { fields["授课人"] = teacher + (meeting.teacherIsHead ? "（基层团委书记）" : "") }
        if meeting.classHours > 0 { fields["学时"] = String(meeting.classHours) }
        if let file = draft.file {
            let stored = try await Attachments.store(file, ownerType: Meeting.attachmentOwner, ownerID: meeting.id!, change, on: db)
            fields["附件"] = stored.fileName
        }
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(branch),
                               action: "orglife.meeting", entityType: "meeting", entityID: String(meeting.id!),
                               summary: "登记\(draft.kind.label)：\(draft.topic)", changes: FieldChange.created(fields))
        return meeting
    }

    /// The cadence in force: the city's table, or the defaults for kinds it has not set.
    static func cadence(on db: any Database) async throws -> [MeetingKind: Cadence] {
        var result = Dictionary(uniqueKeysWithValues: MeetingKind.allCases.map { ($0, $0.defaultCadence) })
        for row in try await MeetingCadence.query(on: db).all() { result[row.kind] = row.cadence }
        return result
    }

    static func setCadence(_ kind: MeetingKind, to cadence: Cadence, _ change: ChangeContext, on db: any Database) async throws {
        guard change.scope.isCityWide else { throw Refusal("三会一课的频次由团市委设定") }
        let before = try await self.cadence(on: db)[kind]!
        guard before != cadence else { return }
        let row = try await MeetingCadence.query(on: db).filter(\.$kind == kind).first() ?? MeetingCadence()
        row.kind = kind
        row.cadence = cadence
        try await row.save(on: db)
        try await OrgLifeStandings.forget(on: db)
        let root = try await Scope.unrestricted.organizations(on: db).filter(\.$parentID == nil).first()!
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(root),
                               action: "orglife.cadence", entityType: "meeting_cadence", entityID: kind.rawValue,
                               summary: "调整\(kind.label)频次", changes: [FieldChange(field: kind.label, old: before.label, new: cadence.label)])
    }

    /// The meetings someone attended: a member, or an applicant in training.
    static func attended(member: Int? = nil, applicant: Int? = nil, on db: any Database) async throws -> QueryBuilder<Meeting> {
        var present = MeetingAttendance.query(on: db)
        if let member { present = present.filter(\.$memberID == member) }
        if let applicant { present = present.filter(\.$applicantID == applicant) }
        return Scope.unrestricted.query(Meeting.self, on: db).filter(\.$id ~~ (try await present.all(\.$meetingID)))
    }

    /// Class-hours of league lessons an applicant attended in training: what admission counts.
    static func classHours(applicant: Int, on db: any Database) async throws -> Int {
        try await attended(applicant: applicant, on: db).filter(\.$kind == .lesson).total(\.$classHours)
    }

    /// Class-hours of league lessons a member attended.
    static func classHours(member: Int, on db: any Database) async throws -> Int {
        try await attended(member: member, on: db).filter(\.$kind == .lesson).total(\.$classHours)
    }
}
