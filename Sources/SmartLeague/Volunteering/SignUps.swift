import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Sign-up (报名): places are taken and given back only by single atomic statements on the post's
/// row, so a post never holds more volunteers than its capacity however many sign up at once;
/// those who find it full wait in line, and a freed place goes to the first in line.
enum SignUps {
    static func signUp(postID: Int, volunteer: Volunteer, _ change: ChangeContext, on db: any Database) async throws -> VolunteerSignUp {
        guard let post = try await Scope.system.volunteerPosts(on: db).filter(\.$id == postID).filter(\.$published == true).first() else {
            throw Abort(.notFound)
        }
        guard change.now < post.startsAt else { throw Refusal("该岗位已开始或已结束，不能报名") }
        let existing = try await Scope.system.signUps(on: db).filter(\.$postID == postID).filter(\.$volunteerID == volunteer.id!).first()
        if let existing, existing.status.isActive { throw Refusal("您已报名该岗位（\(existing.status.label)）") }
        let signUp = existing ?? VolunteerSignUp()
        signUp.postID = postID
        signUp.volunteerID = volunteer.id!
        signUp.unitPath = post.unitPath
        signUp.requestedAt = change.now
        signUp.checkedInAt = nil
        signUp.checkedOutAt = nil
        signUp.status = post.needsApproval ? .applied : try await takePlace(postID, on: db) ? .accepted : .waiting
        try await signUp.save(on: db)
        try await audit(signUp, post: post, volunteer: volunteer, action: "signup", summary: "报名", change, on: db)
        return signUp
    }

    /// Takes one place if one is free: true when taken.
    private static func takePlace(_ postID: Int, on db: any Database) async throws -> Bool {
        struct Row: Decodable { let taken: Int }
        return try await !db.sql.raw("""
            UPDATE volunteer_posts SET taken = taken + 1 WHERE id = \(bind: postID) AND taken < capacity RETURNING taken
            """).all(decoding: Row.self).isEmpty
    }

    /// Hands a freed place straight to the first in line, or gives it back when nobody waits.
    /// The waiting row flips with a guarded statement, so two cancellations at once cannot
    /// promote the same volunteer twice.
    private static func releasePlace(_ post: VolunteerPost, _ change: ChangeContext, on db: any Database) async throws {
        struct Row: Decodable { let id: Int }
        for _ in 0..<5 {
            guard let next = try await Scope.system.signUps(on: db).filter(\.$postID == post.id!).filter(\.$status == .waiting)
                .sort(\.$requestedAt).sort(\.$id).first() else { break }
            let flipped = try await db.sql.raw("""
                UPDATE volunteer_signups SET status = \(bind: SignUpStatus.accepted.rawValue)
                WHERE id = \(bind: next.id!) AND status = \(bind: SignUpStatus.waiting.rawValue) RETURNING id
                """).all(decoding: Row.self)
            guard !flipped.isEmpty else { continue }
            next.status = .accepted
            let volunteer = try await Scope.system.volunteer(next.volunteerID, on: db)
            try await audit(next, post: post, volunteer: volunteer, action: "promote", summary: "候补转为录用", change, on: db)
            return
        }
        try await db.sql.raw("UPDATE volunteer_posts SET taken = taken - 1 WHERE id = \(bind: post.id!) AND taken > 0").run()
    }

    enum Decision: String, Sendable {
        case approve, reject, cancel
    }

    /// The organiser approves (a place, or the waiting line when full), rejects, or cancels; a
    /// volunteer may cancel their own. Nobody leaves after checking in.
    static func decide(_ id: Int, _ decision: Decision, _ change: ChangeContext, on db: any Database) async throws -> VolunteerSignUp {
        guard let signUp = try await change.scope.signUps(on: db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        let post = try await Scope.system.volunteerPosts(on: db).filter(\.$id == signUp.postID).first()!
        let volunteer = try await Scope.system.volunteer(signUp.volunteerID, on: db)
        let before = signUp.status
        switch decision {
        case .approve:
            guard case .subtree = change.scope.reach, signUp.status == .applied else { throw Refusal("只有待审核的报名可以录用") }
            signUp.status = try await takePlace(post.id!, on: db) ? .accepted : .waiting
        case .reject:
            guard case .subtree = change.scope.reach, [.applied, .waiting].contains(signUp.status) else {
                throw Refusal("只有待审核或候补的报名可以不予录用")
            }
            signUp.status = .rejected
        case .cancel:
            guard signUp.status.isActive else { throw Refusal("该报名已\(signUp.status.label)") }
            guard signUp.checkedInAt == nil else { throw Refusal("已签到，不能取消报名") }
            signUp.status = .cancelled
        }
        try await signUp.save(on: db)
        if before == .accepted, signUp.status != .accepted { try await releasePlace(post, change, on: db) }
        try await audit(signUp, post: post, volunteer: volunteer, action: decision.rawValue,
                        summary: "报名\(before.label)→\(signUp.status.label)", change, on: db)
        return signUp
    }

    private static func audit(_ signUp: VolunteerSignUp, post: VolunteerPost, volunteer: Volunteer, action: String, summary: String,
                              _ change: ChangeContext, on db: any Database) async throws {
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: nil, path: post.unitPath),
                               action: "volunteer_signup.\(action)", entityType: "volunteer_signup", entityID: String(signUp.id!),
                               summary: "\(volunteer.name)（\(volunteer.volunteerNumber)）\(post.title) \(post.day)：\(summary)",
                               changes: [FieldChange(field: "状态", old: "", new: signUp.status.label)])
    }
}
