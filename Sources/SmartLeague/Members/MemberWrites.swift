import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Registering and changing member records, and revealing a sealed ID number, each audited.
enum MemberWrites {
    /// The branch a record belongs to, which must be a branch the caller reaches.
    static func branch(_ id: Int?, _ change: ChangeContext, on db: any Database) async throws -> Organization {
        guard let id, let unit = try? await change.scope.activeOrganization(id, on: db) else {
            throw Refusal("找不到该团支部，或它不在您的管理范围内", field: "branch")
        }
        guard unit.type.isBranch else {
            throw Refusal("团员的组织关系只能在团支部，「\(unit.name)」是\(unit.type.label)", field: "branch")
        }
        return unit
    }

    /// Refuses a duplicate ID number or member number (`except` is the record being edited).
    /// Uniqueness is city-wide; what the caller learns of the other record depends on their reach.
    static func requireUnique(_ draft: MemberDraft, idHash: String, except id: Int?, in branch: Organization, _ change: ChangeContext,
                              on db: any Database) async throws {
        var sameID = Scope.unrestricted.everyMember(on: db).filter(\.$idHash == idHash)
        var sameNumber = Scope.unrestricted.everyMember(on: db).filter(\.$memberNumber == draft.memberNumber)
        if let id {
            sameID = sameID.filter(\.$id != id)
            sameNumber = sameNumber.filter(\.$id != id)
        }
        if let found = try await sameID.first() {
            guard change.scope.contains(found.branchPath) else {
                throw try await DuplicateTelling.elsewhere(field: "residentID", change, unit: AuditUnit(branch), on: db)
            }
            throw Refusal(found.leftOn.map { "此人曾为团员，已于 \($0) 离团（\(found.name)）" }
                ?? "该身份证号码已登记为团员：\(found.name)（\(found.memberNumber)）", field: "residentID")
        }
        if let found = try await sameNumber.first() {
            guard change.scope.contains(found.branchPath) else {
                throw try await DuplicateTelling.elsewhere(field: "memberNumber", change, unit: AuditUnit(branch), on: db)
            }
            throw Refusal("团员编号「\(draft.memberNumber)」已被 \(found.name) 使用", field: "memberNumber")
        }
    }

    static func fill(_ member: Member, from draft: MemberDraft, branch: Organization, vault: PersonalDataVault) throws {
        member.name = draft.name
        member.gender = draft.gender
        member.ethnicity = draft.ethnicity
        member.idSealed = try vault.seal(draft.residentID.value)
        member.idHash = vault.hash(draft.residentID.value)
        member.idMasked = draft.residentID.masked
        member.birthDate = draft.residentID.birthDate.description
        member.phone = draft.phone
        member.education = draft.education
        member.occupation = draft.occupation
        member.partyStatus = draft.partyStatus
        member.joinedOn = draft.joinedOn.description
        member.memberNumber = draft.memberNumber
        member.developmentNumber = draft.developmentNumber
        member.branchID = branch.id!
        member.branchPath = branch.path
        member.holdsLeaguePost = draft.holdsLeaguePost
    }

    static func create(_ draft: MemberDraft, branchID: Int?, vault: PersonalDataVault, _ change: ChangeContext,
                       on db: any Database) async throws -> Member {
        let unit = try await branch(branchID, change, on: db)
        try await DuplicateTelling.requireAllowance(change, unit: AuditUnit(unit), on: db)
        try await requireUnique(draft, idHash: vault.hash(draft.residentID.value), except: nil, in: unit, change, on: db)
        let member = Member()
        try fill(member, from: draft, branch: unit, vault: vault)
        try await member.create(on: db)
        var delta = MemberStats.Delta()
        delta.add(MemberStats.facts(of: member, branchType: unit.type), at: unit.path, 1)
        try await delta.apply(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: "member.create", entityType: "member", entityID: String(member.id!),
                               summary: "登记团员 \(draft.name)（\(draft.memberNumber)）",
                               changes: FieldChange.created(member.auditedFields))
        return member
    }

    static func update(_ id: Int, _ draft: MemberDraft, branchID: Int?, vault: PersonalDataVault, _ change: ChangeContext,
                       on db: any Database) async throws -> Member {
        let member = try await change.scope.member(id, on: db)
        let unit = try await branch(branchID, change, on: db)
        try await requireUnique(draft, idHash: vault.hash(draft.residentID.value), except: id, in: unit, change, on: db)
        let before = member.auditedFields
        let oldBranch = try await Scope.unrestricted.organization(member.branchID, on: db)
        var delta = MemberStats.Delta()
        delta.add(MemberStats.facts(of: member, branchType: oldBranch.type), at: member.branchPath, -1)
        let (sealedBefore, hashBefore) = (member.idSealed, member.idHash)
        try fill(member, from: draft, branch: unit, vault: vault)
        if member.idHash == hashBefore {
            // Same number: keep the stored ciphertext so an unchanged record writes nothing new.
            member.idSealed = sealedBefore
        }
        var changes = FieldChange.between(before, member.auditedFields)
        if member.idHash != hashBefore && !changes.contains(where: { $0.field == "身份证号" }) {
            changes.append(FieldChange(field: "身份证号", old: "(已隐藏)", new: "(已更正)"))
        }
        guard !changes.isEmpty else { return member }
        try await member.save(on: db)
        if oldBranch.id != unit.id { try await OrganizationWrites.relocate(members: [id], to: unit, on: db) }
        delta.add(MemberStats.facts(of: member, branchType: unit.type), at: unit.path, 1)
        try await delta.apply(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: "member.update", entityType: "member", entityID: String(id),
                               summary: "修改团员 \(member.name) 的信息", changes: changes)
        return member
    }

    /// Opens the sealed ID number for someone in scope and records that it was seen.
    static func reveal(_ id: Int, vault: PersonalDataVault, _ change: ChangeContext, on db: any Database) async throws -> (Member, String) {
        let member = try await change.scope.member(id, on: db)
        let number = try vault.open(member.idSealed)
        try await Audit.record(on: db, actor: change.actor, at: change.now,
                               unit: AuditUnit(id: member.branchID, path: member.branchPath),
                               action: "member.reveal", entityType: "member", entityID: String(id),
                               summary: "查看了团员 \(member.name) 的完整身份证号码")
        return (member, number)
    }
}

extension MemberWrites {
    // MARK: Use cases of the pages

    /// The branch named in a form by code or full name; nil when the caller reaches none such,
    /// which `branch(_:_:on:)` refuses.
    private static func branchID(_ key: String, _ change: ChangeContext, on db: any Database) async throws -> Int? {
        try await change.scope.activeOrganization(codeOrName: key, on: db)?.id
    }

    /// Registers a member in a branch named by code or full name.
    static func register(_ input: MemberForm.Valid, vault: PersonalDataVault, _ change: ChangeContext, on db: any Database) async throws -> Member {
        try await create(input.draft, branchID: try await branchID(input.branch, change, on: db), vault: vault, change, on: db)
    }

    /// Corrects a member's record, the branch named by code or full name.
    static func correct(_ id: Int, _ input: MemberForm.Valid, vault: PersonalDataVault, _ change: ChangeContext,
                        on db: any Database) async throws -> Member {
        try await update(id, input.draft, branchID: try await branchID(input.branch, change, on: db), vault: vault, change, on: db)
    }

    /// An export of the registry is recorded in the exporting administrator's unit.
    static func recordExport(in unit: AuditUnit, _ change: ChangeContext, on db: any Database) async throws {
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: unit, action: "member.export", entityType: "member",
                               entityID: "", summary: "导出团员名单（已脱敏）")
    }
}

extension MemberWrites {
    /// Moves members to another branch in a few statements whatever their number: their records,
    /// their own accounts and the kept counts. Used by transfers, one member or a whole class.
    static func relocate(_ members: [Member], to branch: Organization, on db: any Database) async throws {
        guard !members.isEmpty else { return }
        let units = try await Scope.unrestricted.organizations(on: db).filter(\.$id ~~ Set(members.map(\.branchID))).all()
        let types = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0.type) })
        var delta = MemberStats.Delta()
        for member in members {
            delta.add(MemberStats.facts(of: member, branchType: types[member.branchID] ?? .branch), at: member.branchPath, -1)
            member.branchID = branch.id!
            member.branchPath = branch.path
            delta.add(MemberStats.facts(of: member, branchType: branch.type), at: branch.path, 1)
        }
        try await OrganizationWrites.relocate(members: members.map { $0.id! }, to: branch, on: db)
        try await delta.apply(on: db)
    }

    /// How many members (records, or member accounts) a unit holds.
    static func count(in unit: Organization, on db: any Database) async throws -> Int {
        let records = try await Scope.unrestricted.members(on: db).filter(\.$branchID == unit.id!).count()
        let accounts = try await Scope.unrestricted.accounts(on: db).filter(\.$organizationID == unit.id!).filter(\.$kind == .member).count()
        return max(records, accounts)
    }

    /// A branch merges into another: its members go across, each audited in the branch they join.
    static func moveAll(from source: Organization, to target: Organization, _ change: ChangeContext, on db: any Database) async throws {
        let records = try await Scope.unrestricted.members(on: db).filter(\.$branchID == source.id!).all()
        try await relocate(records, to: target, on: db)
        try await Audit.recordMany(on: db, actor: change.actor, at: change.now, records.map { record in
            Audit.Item(unit: AuditUnit(target), action: "member.move", entityType: "member", entityID: String(record.id!),
                       summary: "支部合并，团员 \(record.name) 转入「\(target.name)」",
                       changes: [FieldChange(field: "所在团支部", old: source.name, new: target.name)])
        })
        // Member accounts without a record in the branch follow it too.
        try await db.sql.update(Account.schema).set("organization_id", to: SQLBind(target.id!))
            .where("organization_id", .equal, SQLBind(source.id!)).where("kind", .equal, SQLBind(AccountKind.member.rawValue)).run()
    }
}
