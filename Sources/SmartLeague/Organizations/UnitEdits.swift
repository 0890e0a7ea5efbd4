import Fluent
import LeagueCore
import Vapor

/// What a unit's administrator (or one above) changes about the unit itself: its details, its
/// name when renaming needs no approval, and the writes of the unit's pages.
enum UnitEdits {
    /// Only an administrator above a branch marks its graduation date.
    static func canMarkGraduation(_ unit: Organization, scope: Scope) -> Bool {
        unit.type.isBranch && scope.isStrictlyAbove(unit)
    }

    /// The unit's admin (or any admin above) completes and keeps its details; the graduation
    /// date is kept only from those who may mark it (the form offers it to no one else).
    static func updateDetails(of id: Int, _ details: UnitDetailsForm.Valid, _ change: ChangeContext, on db: any Database) async throws {
        let unit = try await change.scope.activeOrganization(id, on: db)
        let before = unit.auditedFields
        unit.contactPerson = details.contactPerson
        unit.contactPhone = details.contactPhone
        unit.address = details.address
        unit.establishedOn = details.establishedOn?.description
        unit.summary = details.summary
        if canMarkGraduation(unit, scope: change.scope) {
            unit.graduationDate = details.graduationDate?.description
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

    // MARK: Use cases of the pages

    /// Renames the unit at once when the caller is above it; its own administrator asks the
    /// parent instead. Returns whether the name changed at once.
    static func renameOrAsk(_ id: Int, _ input: RenameUnitForm.Valid, _ change: ChangeContext, on db: any Database) async throws -> Bool {
        let unit = try await change.scope.activeOrganization(id, on: db)
        guard input.name != unit.name || input.shortName != unit.shortName else { throw Refusal("名称没有变化", field: "name") }
        let direct = change.scope.isStrictlyAbove(unit)
        guard direct || unit.parentID != nil else { throw Refusal("最高一级组织的名称只能在系统中直接维护") }
        if direct {
            try await rename(unit, name: input.name, shortName: input.shortName, change, on: db)
        } else {
            _ = try await ChangeRequests.requestRename(unit, name: input.name, shortName: input.shortName, change, on: db)
        }
        return direct
    }

    /// Dissolves the unit once its full name is typed again; returns it as it was.
    static func dissolve(_ id: Int, _ input: DissolveUnitForm.Valid, _ change: ChangeContext, on db: any Database) async throws -> Organization {
        let unit = try await change.scope.activeOrganization(id, on: db)
        guard input.confirm == unit.name else { throw Refusal("请输入组织全称以确认撤销", field: "confirm") }
        try await OrganizationWrites.dissolve(id, change, on: db)
        return unit
    }

    struct Merged: Sendable {
        /// What moved across ("3 名团员").
        let moved: [String]
        let targetID: Int
    }

    /// Merges the branch into the one named by code or full name.
    static func merge(_ id: Int, into key: String, _ change: ChangeContext, on db: any Database) async throws -> Merged {
        // An id no unit has when the name finds none: the merge refuses it as not found.
        let targetID = try await change.scope.activeOrganization(codeOrName: key, on: db)?.id ?? -1
        return Merged(moved: try await OrganizationWrites.merge(id, into: targetID, change, on: db), targetID: targetID)
    }
}
