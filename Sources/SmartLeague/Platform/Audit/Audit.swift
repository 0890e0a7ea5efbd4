import Fluent
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
    let path: String

    init(id: Int?, path: String) {
        self.id = id
        self.path = path
    }

    init(_ organization: Organization) {
        id = organization.id
        path = organization.path
    }
}

enum Audit {
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
        let json = try JSONEncoder().encode(changes)
        entry.changes = String(decoding: json, as: UTF8.self)
        try await entry.create(on: db)
    }
}

extension Request {
    /// The signed-in person as the audit log names them, with the address they came from.
    var auditActor: AuditActor {
        let ip = remoteAddress?.ipAddress ?? "未知"
        guard let actor = actor else { return AuditActor(accountID: nil, name: "未登录访客", ip: ip) }
        return AuditActor(accountID: actor.accountID, name: "\(actor.displayName)(\(actor.username))", ip: ip)
    }
}
