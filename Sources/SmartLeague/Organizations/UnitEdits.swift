import Fluent
import LeagueCore
import SQLKit
import Vapor

/// What a unit's administrator (or one above) changes about the unit itself: its details, and
/// its name when renaming needs no approval.
enum UnitEdits {
    struct Details: Sendable {
        let contactPerson: String?
        let contactPhone: String?
        let address: String?
        let establishedOn: CalendarDate?
        let summary: String?
        /// Nil when the form did not offer the field (only upper admins mark graduating branches).
        let graduationDate: CalendarDate??
    }

    /// The unit's admin (or any admin above) completes and keeps its details.
    static func updateDetails(of id: Int, _ details: Details, _ change: ChangeContext, on db: any Database) async throws {
        let unit = try await change.scope.activeOrganization(id, on: db)
        let before = unit.auditedFields
        unit.contactPerson = details.contactPerson
        unit.contactPhone = details.contactPhone
        unit.address = details.address
        unit.establishedOn = details.establishedOn?.description
        unit.summary = details.summary
        if let graduation = details.graduationDate {
            guard change.scope.isStrictlyAbove(unit), unit.type.isBranch else {
                throw Refusal("只有上级组织可以为团支部标记毕业日期", field: "graduationDate")
            }
            unit.graduationDate = graduation?.description
        }
        let changes = FieldChange.between(before, unit.auditedFields)
        guard !changes.isEmpty else { return }
        try await unit.save(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: "organization.update", entityType: "organization", entityID: String(id),
                               summary: "更新了「\(unit.name)」的基本信息", changes: changes)
    }

    /// Renames a unit at once; only an admin above it may (its own admin asks through a request).
    static func rename(_ unit: Organization, name: String, shortName: String, _ change: ChangeContext, on db: any Database) async throws {
        try await OrganizationWrites.requireUniqueName(name, under: unit.parentID, except: unit.id, on: db)
        let before = unit.auditedFields
        unit.name = name
        unit.shortName = shortName
        let changes = FieldChange.between(before, unit.auditedFields)
        guard !changes.isEmpty else { return }
        try await unit.save(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: "organization.rename", entityType: "organization", entityID: String(unit.id!),
                               summary: "「\(before["名称"] ?? "")」更名为「\(name)」", changes: changes)
    }
}
