import Fluent
import LeagueCore
import SQLKit
import Vapor

/// What an administrator is told when a person or number they register is on record already.
/// Within their reach they see whose it is; beyond it only that it is elsewhere, each time
/// audited, and at most `DuplicateChecks.dailyLimit` times a day (decision 010).
enum DuplicateTelling {
    static let elsewhereAction = "person.duplicate_elsewhere"
    static let exhaustedAction = "person.duplicate_limit"

    /// How many conflicts beyond reach the actor was told of in the last 24 hours. The audit log
    /// is the counter: it is written whatever becomes of the refused write.
    static func toldToday(_ change: ChangeContext, on db: any Database) async throws -> Int {
        guard let accountID = change.actor.accountID else { return 0 }
        // The actor's own entries, as an account reaching only itself sees the log.
        return try await Scope(reach: .ownAccount(accountID, member: nil)).auditEntries(on: db)
            .filter(\.$action == elsewhereAction).filter(\.$at > change.now.addingTimeInterval(-86_400)).count()
    }

    /// How many more conflicts beyond reach the actor may be told of today (no limit for the command line).
    static func allowance(_ change: ChangeContext, on db: any Database) async throws -> Int {
        guard change.actor.accountID != nil else { return Int.max }
        return max(0, DuplicateChecks.dailyLimit - (try await toldToday(change, on: db)))
    }

    /// Records that an upload was refused because the day's telling is used up.
    static func recordExhausted(_ change: ChangeContext, unit: AuditUnit, writer: Writer, on db: any Database) async throws {
        try await writer.write(db) { db in
            try await Audit.record(entry(change, unit: unit, action: exhaustedAction, summary: "跨单位查重已达当日上限，拒绝导入"), on: db)
        }
    }

    /// Refuses any registration of a new person once the day's telling is used up. The command
    /// line has no limit.
    static func requireAllowance(_ change: ChangeContext, unit: AuditUnit, on db: any Database) async throws {
        guard change.actor.accountID != nil,
              try await toldToday(change, on: db) >= DuplicateChecks.dailyLimit else { return }
        throw Refusal(DuplicateChecks.exhaustedMessage, audit: entry(change, unit: unit, action: exhaustedAction,
                                                                     summary: "跨单位查重已达当日上限，拒绝登记"))
    }

    /// The refusal for a person or number registered beyond the caller's reach: audited, and
    /// naming no unit, name or date.
    static func elsewhere(field: String, _ change: ChangeContext, unit: AuditUnit, on db: any Database) async throws -> Refusal {
        try await requireAllowance(change, unit: unit, on: db)
        return Refusal(DuplicateChecks.elsewhereMessage, field: field,
                       audit: entry(change, unit: unit, action: elsewhereAction, summary: "登记的人员已在其他单位登记，已告知“不能重复登记”"))
    }

    /// Audit entries for rows of an import check told as registered elsewhere, one a row.
    static func recordTold(rows: Int, _ change: ChangeContext, unit: AuditUnit, writer: Writer, on db: any Database) async throws {
        guard rows > 0, change.actor.accountID != nil else { return }
        let item = Audit.Item(unit: unit, action: elsewhereAction, entityType: "member", entityID: "",
                              summary: "导入检查：该行人员已在其他单位登记", changes: [])
        try await writer.write(db) { db in
            try await Audit.recordMany(on: db, actor: change.actor, at: change.now, Array(repeating: item, count: rows))
        }
    }

    private static func entry(_ change: ChangeContext, unit: AuditUnit, action: String, summary: String) -> Audit.Entry {
        Audit.Entry(actor: change.actor, at: change.now, unit: unit, action: action, entityType: "member", entityID: "", summary: summary)
    }
}
