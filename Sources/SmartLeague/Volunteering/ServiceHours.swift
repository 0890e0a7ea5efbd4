import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Hours served: credit hours from check-in and check-out, honour hours entered with a reason
/// and capped by the activity, disputes and their corrections. Each record moves the
/// volunteer's total in the same transaction, and every change is audited.
enum ServiceHours {
    enum Clocking: String, Sendable {
        case checkIn, checkOut
    }

    /// Counts a try at a sign-up's code before the code is checked, in a write of its own, so
    /// that guesses count when refused. False when there have been too many, which is audited.
    static func countClockAttempt(_ signUp: VolunteerSignUp, accountID: Int, actor: AuditActor, now: Date, writer: Writer,
                                  on db: any Database) async throws -> Bool {
        let id = signUp.id ?? 0
        let taken = try await RateCounters.take([RateCounters.Key("checkin-signup:\(id)", limit: CheckInAttempts.perSignUp),
                                                 RateCounters.Key("checkin-account:\(accountID)", limit: CheckInAttempts.perAccount)],
                                                now: now, writer: writer, on: db)
        guard taken.allowed else {
            let entry = Audit.Entry(actor: actor, at: now, unit: AuditUnit(id: nil, path: signUp.unitPath),
                                    action: "volunteer.check_in_throttled", entityType: "volunteer_signup", entityID: String(id),
                                    summary: "签到码尝试次数过多，已拒绝")
            try await writer.write(db) { try await Audit.record(entry, on: $0) }
            return false
        }
        return true
    }

    /// The volunteer's own check-in or check-out with the code shown on site; the organiser
    /// cannot clock for anyone, so credit hours always come from the volunteer's own phone.
    static func clock(_ clocking: Clocking, signUpID: Int, code: String, _ change: ChangeContext, on db: any Database) async throws -> VolunteerSignUp {
        guard case .ownAccount = change.scope.reach,
              let signUp = try await change.scope.query(VolunteerSignUp.self, on: db).filter(\.$id == signUpID).first() else { throw Abort(.notFound) }
        guard let post = try await Scope.unrestricted.query(VolunteerPost.self, on: db).filter(\.$id == signUp.postID).first() else { throw Abort(.notFound) }
        guard signUp.status == .accepted else { throw Refusal("报名\(signUp.status.label)，不能签到签退") }
        guard CheckInCode.accepts(code, secret: post.codeSecret, at: change.now) else {
            throw Refusal("签到码不正确或已过期，请输入组织者现场出示的 6 位数字", field: "code",
                          audit: Audit.Entry(actor: change.actor, at: change.now, unit: AuditUnit(id: nil, path: post.unitPath),
                                             action: "volunteer.check_in_refused", entityType: "volunteer_signup", entityID: String(signUpID),
                                             summary: "\(clocking == .checkIn ? "签到" : "签退")码错误：\(post.title) \(post.day)"))
        }
        let volunteer = try await Scope.unrestricted.find(Volunteer.self, signUp.volunteerID, on: db)
        switch clocking {
        case .checkIn:
            guard signUp.checkedInAt == nil else { throw Refusal("您已签到") }
            if let problem = ServiceTime.checkInProblem(at: change.now, slotStart: post.startsAt, slotEnd: post.endsAt) { throw Refusal(problem) }
            try await stamp("checked_in_at", signUpID, at: change.now, on: db)
            signUp.checkedInAt = change.now
            try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: nil, path: post.unitPath),
                                   action: "volunteer.check_in", entityType: "volunteer_signup", entityID: String(signUpID),
                                   summary: "\(volunteer.name)签到：\(post.title) \(post.day)",
                                   changes: [FieldChange(field: "签到时间", old: "", new: ChinaTime.dateTimeString(change.now))])
        case .checkOut:
            guard let checkedIn = signUp.checkedInAt else { throw Refusal("请先签到") }
            guard signUp.checkedOutAt == nil else { throw Refusal("您已签退") }
            if let problem = ServiceTime.checkOutProblem(at: change.now, slotEnd: post.endsAt) { throw Refusal(problem) }
            try await stamp("checked_out_at", signUpID, at: change.now, on: db)
            signUp.checkedOutAt = change.now
            // Honour hours entered before check-out count against the same slot.
            _ = try await lockSignUp(volunteerID: volunteer.id!, postID: post.id!, acceptedOnly: false, on: db)
            let served = ServiceTime.creditMinutes(checkIn: checkedIn, checkOut: change.now, slotStart: post.startsAt, slotEnd: post.endsAt)
            let already = try await recorded(volunteerID: volunteer.id!, postID: post.id!, except: nil, on: db)
            let credit = min(served, max(post.minutes - already, 0))
            if credit > 0 { try await record(.credit, minutes: credit, volunteer: volunteer, post: post, reason: nil, change, on: db) }
        }
        return signUp
    }

    /// Sets a check-in or check-out time only if it is still empty: a second tap at the same
    /// moment records nothing twice.
    private static func stamp(_ column: String, _ signUpID: Int, at now: Date, on db: any Database) async throws {
        struct Row: Decodable { let id: Int }
        let stamped = try await db.sql.update(VolunteerSignUp.schema).set(SQLColumn(column), to: SQLBind(now))
            .where("id", .equal, SQLBind(signUpID)).where(SQLColumn(column), .is, SQLLiteral.null)
            .where("status", .equal, SQLBind(SignUpStatus.accepted.rawValue))
            .returning("id").all(decoding: Row.self)
        guard !stamped.isEmpty else { throw Refusal(column == "checked_in_at" ? "未能签到：已签到或报名已取消" : "未能签退：已签退或报名已取消") }
    }

    /// Writes a record and moves the volunteer's total with it.
    @discardableResult
    private static func record(_ kind: ServiceRecord.Kind, minutes: Int, volunteer: Volunteer, post: VolunteerPost, reason: String?,
                               _ change: ChangeContext, on db: any Database) async throws -> ServiceRecord {
        let record = ServiceRecord()
        record.volunteerID = volunteer.id!
        record.postID = post.id!
        record.unitPath = post.unitPath
        record.kind = kind
        record.minutes = minutes
        record.servedOn = post.day
        record.content = post.title
        record.reason = reason
        record.recordedBy = change.actor.name
        record.recordedAt = change.now
        try await record.create(on: db)
        try await addToTotal(minutes, volunteerID: volunteer.id!, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: nil, path: post.unitPath),
                               action: "service_record.\(kind.rawValue)", entityType: "service_record", entityID: String(record.id!),
                               summary: "\(volunteer.name)（\(volunteer.volunteerNumber)）\(post.title) \(post.day) \(kind.label) \(ServiceTime.hoursText(minutes)) 小时",
                               changes: FieldChange.created(["类型": kind.label, "时长（小时）": ServiceTime.hoursText(minutes), "理由": reason ?? ""]))
        return record
    }

    private static func addToTotal(_ minutes: Int, volunteerID: Int, on db: any Database) async throws {
        try await db.sql.raw("UPDATE volunteers SET total_minutes = total_minutes + \(bind: minutes) WHERE id = \(bind: volunteerID)").run()
    }

    /// Touches the volunteer's sign-up for the post, so that concurrent writes of hours for the
    /// same person and post wait for each other on PostgreSQL and cannot both pass the cap (SQLite
    /// has one writer anyway); false when there is no such sign-up (accepted, if asked).
    private static func lockSignUp(volunteerID: Int, postID: Int, acceptedOnly: Bool, on db: any Database) async throws -> Bool {
        struct Row: Decodable { let id: Int }
        var update = db.sql.update(VolunteerSignUp.schema).set("status", to: SQLColumn("status"))
            .where("post_id", .equal, SQLBind(postID)).where("volunteer_id", .equal, SQLBind(volunteerID))
        if acceptedOnly { update = update.where("status", .equal, SQLBind(SignUpStatus.accepted.rawValue)) }
        return try await !update.returning("id").all(decoding: Row.self).isEmpty
    }

    /// Minutes already recorded for a volunteer on a post, leaving out one record being corrected;
    /// read after `lockSignUp`.
    private static func recorded(volunteerID: Int, postID: Int, except recordID: Int?, on db: any Database) async throws -> Int {
        var query = Scope.unrestricted.query(ServiceRecord.self, on: db).filter(\.$volunteerID == volunteerID).filter(\.$postID == postID)
        if let recordID { query = query.filter(\.$id != recordID) }
        return try await query.total(\.$minutes)
    }

    /// Honour hours (荣誉时长) for a volunteer accepted on a post of the caller's, with a reason,
    /// within the activity's length.
    static func addHonor(postID: Int, volunteerID: Int, minutes: Int, reason: String?, _ change: ChangeContext,
                         on db: any Database) async throws -> ServiceRecord {
        guard let post = try await change.scope.query(VolunteerPost.self, on: db).filter(\.$id == postID).first() else { throw Abort(.notFound) }
        guard try await lockSignUp(volunteerID: volunteerID, postID: postID, acceptedOnly: true, on: db) else {
            throw Refusal("该志愿者未被录用于此岗位", field: "volunteer")
        }
        let already = try await recorded(volunteerID: volunteerID, postID: postID, except: nil, on: db)
        if let problem = ServiceTime.honorProblem(minutes: minutes, reason: reason, alreadyRecorded: already, activityMinutes: post.minutes) {
            throw Refusal(problem, field: reason == nil ? "reason" : "hours")
        }
        let volunteer = try await Scope.unrestricted.find(Volunteer.self, volunteerID, on: db)
        return try await record(.honor, minutes: minutes, volunteer: volunteer, post: post, reason: reason, change, on: db)
    }

    /// Corrects an honour record; credit hours from check-in/out are never edited.
    static func correct(recordID: Int, minutes: Int, reason: String?, _ change: ChangeContext, on db: any Database) async throws -> ServiceRecord {
        guard let record = try await change.scope.query(ServiceRecord.self, on: db).filter(\.$id == recordID).first() else { throw Abort(.notFound) }
        guard record.kind == .honor else { throw Refusal("信用时长由签到签退生成，不能修改；如有差错请补录荣誉时长") }
        let post = try await Scope.unrestricted.query(VolunteerPost.self, on: db).filter(\.$id == record.postID).first()!
        _ = try await lockSignUp(volunteerID: record.volunteerID, postID: record.postID, acceptedOnly: false, on: db)
        let others = try await recorded(volunteerID: record.volunteerID, postID: record.postID, except: recordID, on: db)
        if let problem = ServiceTime.honorProblem(minutes: minutes, reason: reason, alreadyRecorded: others, activityMinutes: post.minutes) {
            throw Refusal(problem, field: reason == nil ? "reason" : "hours")
        }
        let before = record.minutes
        record.minutes = minutes
        record.reason = reason
        try await record.save(on: db)
        try await addToTotal(minutes - before, volunteerID: record.volunteerID, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: nil, path: record.unitPath),
                               action: "service_record.correct", entityType: "service_record", entityID: String(recordID),
                               summary: "更正荣誉时长：\(record.content) \(record.servedOn)，理由：\(reason ?? "")",
                               changes: [FieldChange(field: "时长（小时）", old: ServiceTime.hoursText(before), new: ServiceTime.hoursText(minutes))])
        return record
    }

    /// A volunteer objects to one of their records; one open objection a record.
    static func dispute(recordID: Int, reason: String, _ change: ChangeContext, on db: any Database) async throws -> ServiceDispute {
        guard case .ownAccount = change.scope.reach else { throw Abort(.notFound) }
        guard let record = try await change.scope.query(ServiceRecord.self, on: db).filter(\.$id == recordID).first() else { throw Abort(.notFound) }
        if try await Scope.unrestricted.query(ServiceDispute.self, on: db).filter(\.$recordID == recordID).filter(\.$status == .open).count() > 0 {
            throw Refusal("该记录已有待处理的异议", field: "reason")
        }
        let dispute = ServiceDispute()
        dispute.recordID = recordID
        dispute.volunteerID = record.volunteerID
        dispute.unitPath = record.unitPath
        dispute.reason = reason
        dispute.status = .open
        dispute.createdAt = change.now
        try await dispute.create(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: nil, path: record.unitPath),
                               action: "service_dispute.open", entityType: "service_dispute", entityID: String(dispute.id!),
                               summary: "对 \(record.content) \(record.servedOn) 的时长提出异议：\(reason)",
                               changes: FieldChange.created(["记录": "\(record.kind.label) \(ServiceTime.hoursText(record.minutes)) 小时", "理由": reason]))
        return dispute
    }

    /// The recording unit answers: the record stands, or it is corrected (an honour record in
    /// place, credit hours by honour hours added beside them).
    static func resolve(disputeID: Int, correctedMinutes: Int?, reply: String, _ change: ChangeContext, on db: any Database) async throws -> ServiceDispute {
        guard let dispute = try await change.scope.query(ServiceDispute.self, on: db).filter(\.$id == disputeID).first(),
              case .subtree = change.scope.reach else { throw Abort(.notFound) }
        guard dispute.status == .open else { throw Refusal("该异议已处理") }
        if let correctedMinutes {
            let record = try await Scope.unrestricted.query(ServiceRecord.self, on: db).filter(\.$id == dispute.recordID).first()!
            if record.kind == .honor {
                _ = try await correct(recordID: record.id!, minutes: correctedMinutes, reason: "异议更正：" + reply, change, on: db)
            } else {
                _ = try await addHonor(postID: record.postID, volunteerID: record.volunteerID, minutes: correctedMinutes,
                                       reason: "异议更正：" + reply, change, on: db)
            }
        }
        dispute.status = correctedMinutes == nil ? .dismissed : .corrected
        dispute.reply = reply
        dispute.decidedBy = change.actor.name
        try await dispute.save(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: nil, path: dispute.unitPath),
                               action: "service_dispute.resolve", entityType: "service_dispute", entityID: String(disputeID),
                               summary: "异议\(dispute.status.label)：\(reply)",
                               changes: [FieldChange(field: "状态", old: ServiceDispute.Status.open.label, new: dispute.status.label)])
        return dispute
    }

    // MARK: Stars

    static func starPolicy(on db: any Database) async throws -> StarPolicy {
        guard let record = try await StarPolicyRecord.query(on: db).first() else { return .standard }
        return (try? JSONDecoder().decode(StarPolicy.self, from: Data(record.policy.utf8))) ?? .standard
    }

    static func setStarPolicy(_ policy: StarPolicy, _ change: ChangeContext, on db: any Database) async throws {
        guard change.scope.isCityWide else { throw Refusal("星级标准由团市委确定") }
        if let problem = policy.problem { throw Refusal(problem, field: "stars") }
        let before = try await starPolicy(on: db)
        let record = try await StarPolicyRecord.query(on: db).first() ?? StarPolicyRecord()
        record.policy = try StoredJSON.text(policy)
        record.updatedAt = change.now
        try await record.save(on: db)
        let root = try await Scope.unrestricted.organizations(on: db).filter(\.$parentID == nil).first()!
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(root),
                               action: "volunteer.star_policy", entityType: "volunteer_star_policy", entityID: String(record.id!),
                               summary: "调整星级志愿者标准",
                               changes: [FieldChange(field: "一至五星（小时）", old: before.hours.map(String.init).joined(separator: "/"),
                                                     new: policy.hours.map(String.init).joined(separator: "/"))])
    }
}
