import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Sign-up (报名): every change to a post's sign-ups first locks the post's row, so they happen one
/// at a time and each sees the line as committed; places are taken and given back by single
/// statements on that row, and a sign-up changes state only from the state it was read in. So a
/// post never holds more volunteers than its capacity however many sign up, cancel or get
/// approved at once, and a free place goes to the first in line.
enum SignUps {
    static func signUp(postID: Int, volunteer: Volunteer, _ change: ChangeContext, on db: any Database) async throws -> VolunteerSignUp {
        guard let post = try await Scope.unrestricted.query(VolunteerPost.self, on: db).filter(\.$id == postID).filter(\.$published == true).first() else {
            throw Abort(.notFound)
        }
        guard change.now < post.startsAt else { throw Refusal("该岗位已开始或已结束，不能报名") }
        try await lock(post, on: db)
        let existing = try await Scope.unrestricted.query(VolunteerSignUp.self, on: db).filter(\.$postID == postID).filter(\.$volunteerID == volunteer.id!).first()
        if let existing, existing.status.isActive { throw Refusal("您已报名该岗位（\(existing.status.label)）") }
        if existing?.status == .rejected { throw Refusal("组织者未录用您的报名，不能再次报名该岗位") }
        // Without approval a sign-up joins the line and the line fills the free places, first come first served.
        let status: SignUpStatus = post.needsApproval ? .applied : .waiting
        let previous = existing?.status
        let signUp: VolunteerSignUp
        if let existing {
            try await move(existing, from: .cancelled, to: status, requestedAt: change.now, on: db)
            signUp = existing
        } else {
            signUp = VolunteerSignUp()
            signUp.postID = postID
            signUp.volunteerID = volunteer.id!
            signUp.unitPath = post.unitPath
            signUp.requestedAt = change.now
            signUp.status = status
            try await signUp.create(on: db)
        }
        try await fillPlaces(post, change, on: db)
        signUp.status = try await Scope.unrestricted.query(VolunteerSignUp.self, on: db).filter(\.$id == signUp.id!).first()!.status
        try await audit(signUp, post: post, volunteer: volunteer, action: "signup", from: previous, change, on: db)
        return signUp
    }

    /// Makes concurrent changes to one post's sign-ups wait for each other on PostgreSQL (an
    /// update takes the row's lock until the transaction ends; SQLite has one writer anyway).
    private static func lock(_ post: VolunteerPost, on db: any Database) async throws {
        try await db.sql.raw("UPDATE volunteer_posts SET taken = taken WHERE id = \(bind: post.id!)").run()
    }

    /// Changes a sign-up's state only if it is still in `from` (and, when leaving, not checked in);
    /// otherwise someone else changed it first.
    private static func move(_ signUp: VolunteerSignUp, from: SignUpStatus, to: SignUpStatus, requestedAt: Date? = nil,
                             on db: any Database) async throws {
        struct Row: Decodable { let id: Int }
        var update = db.sql.update(VolunteerSignUp.schema).set("status", to: SQLBind(to.rawValue))
        if let requestedAt {
            update = update.set("requested_at", to: SQLBind(requestedAt)).set("checked_in_at", to: SQLLiteral.null)
                .set("checked_out_at", to: SQLLiteral.null)
        }
        update = update.where("id", .equal, SQLBind(signUp.id!)).where("status", .equal, SQLBind(from.rawValue))
        if to == .cancelled { update = update.where("checked_in_at", .is, SQLLiteral.null) }
        let moved = try await update.returning("id").all(decoding: Row.self)
        guard !moved.isEmpty else { throw Refusal("报名状态刚刚发生了变化，请刷新页面后再试") }
        signUp.status = to
        if let requestedAt {
            signUp.requestedAt = requestedAt
            signUp.checkedInAt = nil
            signUp.checkedOutAt = nil
        }
    }

    /// Takes one place if one is free: true when taken.
    private static func takePlace(_ postID: Int, on db: any Database) async throws -> Bool {
        struct Row: Decodable { let taken: Int }
        return try await !db.sql.raw("""
            UPDATE volunteer_posts SET taken = taken + 1 WHERE id = \(bind: postID) AND taken < capacity RETURNING taken
            """).all(decoding: Row.self).isEmpty
    }

    private static func givePlaceBack(_ postID: Int, on db: any Database) async throws {
        try await db.sql.raw("UPDATE volunteer_posts SET taken = taken - 1 WHERE id = \(bind: postID) AND taken > 0").run()
    }

    /// Gives free places to the first in line, one at a time, until either runs out.
    private static func fillPlaces(_ post: VolunteerPost, _ change: ChangeContext, on db: any Database) async throws {
        while try await takePlace(post.id!, on: db) {
            guard try await promoteFirstInLine(post, change, on: db) else {
                try await givePlaceBack(post.id!, on: db)
                return
            }
        }
    }

    /// Hands a place already taken to the first in line; false when nobody waits, or when the
    /// activity is over and a place is no use to anyone.
    private static func promoteFirstInLine(_ post: VolunteerPost, _ change: ChangeContext, on db: any Database) async throws -> Bool {
        guard change.now < post.endsAt else { return false }
        while let next = try await Scope.unrestricted.query(VolunteerSignUp.self, on: db).filter(\.$postID == post.id!).filter(\.$status == .waiting)
            .sort(\.$requestedAt).sort(\.$id).first() {
            // Their own cancellation may have come first: then the next one in line.
            do {
                try await move(next, from: .waiting, to: .accepted, on: db)
            } catch is Refusal {
                continue
            }
            let volunteer = try await Scope.unrestricted.find(Volunteer.self, next.volunteerID, on: db)
            try await audit(next, post: post, volunteer: volunteer, action: "promote", from: .waiting, change, on: db)
            return true
        }
        return false
    }

    enum Decision: String, Sendable {
        case approve, reject, cancel
    }

    /// Whether a sign-up may still be cancelled: not after checking in, and by the volunteer not
    /// once the activity has begun (the organiser may still release a no-show's place).
    static func canCancel(_ signUp: VolunteerSignUp, _ post: VolunteerPost, now: Date, byVolunteer: Bool) -> Bool {
        signUp.status.isActive && signUp.checkedInAt == nil && (!byVolunteer || now < post.startsAt)
    }

    /// The organiser approves (a place, or the line when full) or rejects; the organiser or the
    /// volunteer cancels.
    static func decide(_ id: Int, _ decision: Decision, _ change: ChangeContext, on db: any Database) async throws -> VolunteerSignUp {
        guard let found = try await change.scope.query(VolunteerSignUp.self, on: db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        let post = try await Scope.unrestricted.query(VolunteerPost.self, on: db).filter(\.$id == found.postID).first()!
        try await lock(post, on: db)
        let signUp = try await Scope.unrestricted.query(VolunteerSignUp.self, on: db).filter(\.$id == id).first()!
        let volunteer = try await Scope.unrestricted.find(Volunteer.self, signUp.volunteerID, on: db)
        let byOrganiser: Bool = if case .subtree = change.scope.reach { true } else { false }
        let before = signUp.status
        switch decision {
        case .approve:
            guard byOrganiser, before == .applied else { throw Refusal("只有待审核的报名可以录用") }
            try await move(signUp, from: .applied, to: .waiting, on: db)
            try await fillPlaces(post, change, on: db)
        case .reject:
            guard byOrganiser, [.applied, .waiting].contains(before) else { throw Refusal("只有待审核或候补的报名可以不予录用") }
            try await move(signUp, from: before, to: .rejected, on: db)
        case .cancel:
            guard canCancel(signUp, post, now: change.now, byVolunteer: !byOrganiser) else {
                throw Refusal(signUp.checkedInAt != nil ? "已签到，不能取消报名"
                              : signUp.status.isActive ? "活动已开始，不能取消报名" : "该报名已\(signUp.status.label)")
            }
            try await move(signUp, from: before, to: .cancelled, on: db)
            if before == .accepted, !(try await promoteFirstInLine(post, change, on: db)) {
                try await givePlaceBack(post.id!, on: db)
            }
        }
        signUp.status = try await Scope.unrestricted.query(VolunteerSignUp.self, on: db).filter(\.$id == id).first()!.status
        try await audit(signUp, post: post, volunteer: volunteer, action: decision.rawValue, from: before, change, on: db)
        return signUp
    }

    private static func audit(_ signUp: VolunteerSignUp, post: VolunteerPost, volunteer: Volunteer, action: String, from: SignUpStatus?,
                              _ change: ChangeContext, on db: any Database) async throws {
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: nil, path: post.unitPath),
                               action: "volunteer_signup.\(action)", entityType: "volunteer_signup", entityID: String(signUp.id!),
                               summary: "\(volunteer.name)（\(volunteer.volunteerNumber)）\(post.title) \(post.day)：\(signUp.status.label)",
                               changes: [FieldChange(field: "报名状态", old: from?.label ?? "", new: signUp.status.label)])
    }
}
