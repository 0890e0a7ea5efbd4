import Fluent
import SQLKit
import Foundation
import LeagueCore
import Vapor

/// Who did a write, as the audit log names them.
struct AuditActor: Sendable {
    let accountID: Int?
    let name: String
    let ip: String

    /// The command line acts as the system itself.
    static func commandLine() -> AuditActor {
        AuditActor(accountID: nil, name: "系统（命令行）", ip: "本机")
    }
}

/// The unit a write happened in, as the audit log files it.
struct AuditUnit: Sendable {
    let id: Int?
    let path: TreePath

    init(id: Int?, path: TreePath) {
        self.id = id
        self.path = path
    }

    init(_ organization: Organization) {
        id = organization.id
        path = organization.path
    }
}

enum Audit {
    /// One entry to record, built before it is written (a refusal carries one).
    struct Entry: Sendable {
        let actor: AuditActor
        let at: Date
        let unit: AuditUnit
        let action: String
        let entityType: String
        let entityID: String
        let summary: String
        var changes: [FieldChange] = []
    }

    static func record(_ entry: Entry, on db: any Database) async throws {
        try await record(on: db, actor: entry.actor, at: entry.at, unit: entry.unit, action: entry.action,
                         entityType: entry.entityType, entityID: entry.entityID, summary: entry.summary, changes: entry.changes)
    }

    /// Records one write; call it inside the write's own transaction so that both land or neither.
    static func record(
        on db: any Database, actor: AuditActor, at: Date, unit: AuditUnit,
        action: String, entityType: String, entityID: String, summary: String, changes: [FieldChange] = []
    ) async throws {
        let entry = AuditEntry()
        entry.at = at
        entry.actorAccountID = actor.accountID
        entry.actorName = actor.name
        entry.ip = actor.ip
        entry.organizationID = unit.id
        entry.organizationPath = unit.path
        entry.action = action
        entry.entityType = entityType
        entry.entityID = entityID
        entry.summary = String(summary.prefix(500))
        entry.changes = FieldChange.json(changes)
        try await entry.create(on: db)
    }
}

extension Audit {
    /// One entry of a batch written by `recordMany`.
    struct Item: Sendable {
        let unit: AuditUnit
        let action: String
        let entityType: String
        let entityID: String
        let summary: String
        let changes: [FieldChange]
    }

    /// Records many writes of one action at once (an import), 500 rows a statement.
    static func recordMany(on db: any Database, actor: AuditActor, at: Date, _ items: [Item]) async throws {
        try await recordMany(items.map {
            Entry(actor: actor, at: at, unit: $0.unit, action: $0.action, entityType: $0.entityType, entityID: $0.entityID,
                  summary: $0.summary, changes: $0.changes)
        }, on: db)
    }

    /// Records many writes, each with its own actor (a batch of requests filed together), 500 rows a statement.
    static func recordMany(_ entries: [Entry], on db: any Database) async throws {
        for start in stride(from: 0, to: entries.count, by: 500) {
            var insert = db.sql.insert(into: AuditEntry.schema).columns(
                "at", "actor_account_id", "actor_name", "ip", "organization_id", "organization_path", "action",
                "entity_type", "entity_id", "summary", "changes")
            for entry in entries[start..<min(start + 500, entries.count)] {
                insert = insert.values([
                    SQLBind(entry.at), SQLBind(entry.actor.accountID), SQLBind(entry.actor.name), SQLBind(entry.actor.ip),
                    SQLBind(entry.unit.id), SQLBind(entry.unit.path.value), SQLBind(entry.action), SQLBind(entry.entityType),
                    SQLBind(entry.entityID), SQLBind(String(entry.summary.prefix(500))), SQLBind(FieldChange.json(entry.changes)),
                ] as [any SQLExpression])
            }
            try await insert.run()
        }
    }
}

extension Request {
    /// The signed-in person as the audit log names them, with the address they came from.
    var auditActor: AuditActor {
        let ip = clientAddress
        guard let actor = actor else { return AuditActor(accountID: nil, name: "未登录访客", ip: ip) }
        return AuditActor(accountID: actor.accountID, name: "\(actor.displayName)(\(actor.username))", ip: ip)
    }
}
