import Fluent
import LeagueCore
import SQLKit
import Vapor

/// The writes to the organisation tree. Each runs inside the caller's transaction, checks the
/// rules of RULES.md §1 against the rows as they are now, and audits what it changed.
enum OrganizationWrites {
    static let maximumChildren = 9999

    struct NewUnit: Sendable {
        let name: String
        let shortName: String
        let type: OrganizationType
        /// Only the founding districts bring a code of their own (their area code).
        var code: String? = nil
    }

    /// The parent creates a child with a name, a short name and a type; the child's admin completes the rest.
    static func createChild(of parentID: Int, _ new: NewUnit, _ change: ChangeContext, on db: any Database) async throws -> Organization {
        guard let unit = try await createChildren(of: parentID, [new], change, on: db).first else { throw Abort(.internalServerError) }
        return unit
    }

    /// Several children of one parent at once, with the checks and the audit of one: a few
    /// statements for all of them (the demo city's 33,000 units took a minute one by one).
    /// Returned in the order given.
    static func createChildren(of parentID: Int, _ news: [NewUnit], _ change: ChangeContext, on db: any Database) async throws -> [Organization] {
        try await createChildren([(parentID, news)], change, on: db).first ?? []
    }

    /// Children of several parents at once (a level of the demo city: a district's thousands of
    /// branches under hundreds of committees), each parent's checked as `createChildren(of:)`
    /// checks them, all inserted, given their paths and audited together. Returned for each
    /// parent in the order given.
    static func createChildren(_ plan: [(parentID: Int, units: [NewUnit])], _ change: ChangeContext,
                               on db: any Database) async throws -> [[Organization]] {
        var parents: [Int: Organization] = [:]
        let parentIDs = Array(Set(plan.map(\.parentID)))
        for start in stride(from: 0, to: parentIDs.count, by: 500) {
            for unit in try await change.scope.organizations(on: db).filter(\.$id ~~ parentIDs[start..<min(start + 500, parentIDs.count)]).all() {
                if let id = unit.id { parents[id] = unit }
            }
        }
        var placed: [(parent: Organization, new: NewUnit)] = []
        var names = Set<String>()
        for (parentID, news) in plan {
            guard let parent = parents[parentID], parent.isActive else { throw Abort(.notFound) }
            if let new = news.first(where: { !parent.type.canHold($0.type) }) {
                let message = parent.type.isBranch
                    ? "\(parent.type.label)是最基层组织，不能设立下级组织"
                    : "\(parent.type.label)下不能设立\(new.type.label)"
                throw Refusal(message, field: "type")
            }
            if let twice = news.first(where: { !names.insert("\(parentID)/\($0.name)").inserted }) {
                throw Refusal("同一上级组织下已有名为「\(twice.name)」的组织", field: "name")
            }
            placed += news.map { (parent, $0) }
        }
        try await refuseTakenNames(placed.map { ($0.parent.id ?? 0, $0.new.name) }, on: db)
        var codes: [String] = []
        for (parentID, news) in plan where !news.isEmpty {
            guard let parent = parents[parentID] else { throw Abort(.notFound) }
            let first = try await takeChildSequences(news.count, of: parentID, on: db)
            guard first + news.count - 1 <= maximumChildren else {
                throw Refusal("一个组织最多设立 \(maximumChildren) 个直属下级组织")
            }
            codes += news.indices.map { news[$0].code ?? parent.code + String(format: "%04d", first + $0) }
        }
        let units = try await insert(placed, codes: codes, on: db)
        try await Audit.recordMany(on: db, actor: change.actor, at: change.now, zip(placed, units).map { placed, unit in
            Audit.Item(unit: AuditUnit(unit), action: "organization.create", entityType: "organization", entityID: String(unit.id ?? 0),
                       summary: "在「\(placed.parent.name)」下设立\(unit.type.label)「\(unit.name)」", changes: FieldChange.created(unit.auditedFields))
        })
        var made = units[...]
        return plan.map { _, news in
            defer { made = made.dropFirst(news.count) }
            return Array(made.prefix(news.count))
        }
    }

    /// Refuses a name an active unit already has under the same parent (of pairs of a parent and
    /// a new name), a few hundred names a query.
    private static func refuseTakenNames(_ pairs: [(parentID: Int, name: String)], on db: any Database) async throws {
        let wanted = Set(pairs.map { "\($0.parentID)/\($0.name)" })
        for start in stride(from: 0, to: pairs.count, by: 400) {
            let chunk = pairs[start..<min(start + 400, pairs.count)]
            let taken = try await Scope.unrestricted.organizations(on: db).filter(\.$parentID ~~ Array(Set(chunk.map(\.parentID))))
                .filter(\.$status == .active).filter(\.$name ~~ Array(Set(chunk.map(\.name)))).all()
            if let unit = taken.first(where: { wanted.contains("\($0.parentID ?? 0)/\($0.name)") }) {
                throw Refusal("同一上级组织下已有名为「\(unit.name)」的组织", field: "name")
            }
        }
    }

    /// Inserts units below their parents, 400 a statement, then gives them their paths (the
    /// parent's path and the id the database assigns); returned in the order given.
    private static func insert(_ placed: [(parent: Organization, new: NewUnit)], codes: [String], on db: any Database) async throws -> [Organization] {
        let now = Date()
        var ids: [String: Int] = [:]
        for start in stride(from: 0, to: placed.count, by: 400) {
            var rows = BulkRows(into: Organization.schema, columns: ["parent_id", "path", "depth", "code", "name", "short_name", "type", "status",
                                                                    "next_child_seq", "created_at", "updated_at"])
            for index in start..<min(start + 400, placed.count) {
                let (parent, new) = placed[index]
                // Until the update below, a path no unit can have (no id reaches Int.max), unique to this row.
                let placeholder = TreePath(ids: [Int.max, Int.random(in: 1...Int.max)])
                rows.append(.init(parent.id), .init(placeholder.value), .init(parent.depth + 1), .init(codes[index]), .init(new.name),
                            .init(new.shortName), .init(new.type.rawValue), .init(Organization.Status.active.rawValue), .init(1),
                            .init(now), .init(now))
            }
            struct Inserted: Decodable { let id: Int; let code: String }
            for row in try await rows.insert(on: db).returning("id", "code").all(decoding: Inserted.self) { ids[row.code] = row.id }
        }
        let made = codes.compactMap { ids[$0] }
        guard made.count == codes.count else { throw Abort(.internalServerError, reason: "units were not all inserted") }
        var units: [Int: Organization] = [:]
        for start in stride(from: 0, to: made.count, by: 400) {
            let chunk = Array(made[start..<min(start + 400, made.count)])
            try await db.sql.raw("""
                UPDATE \(ident: Organization.schema) SET path =
                    (SELECT parent.path FROM \(ident: Organization.schema) AS parent WHERE parent.id = \(ident: Organization.schema).parent_id)
                    || CAST(id AS TEXT) || '/'
                WHERE id IN \(SQLBind.group(chunk))
                """).run()
            for unit in try await Scope.unrestricted.organizations(on: db).filter(\.$id ~~ chunk).all() {
                if let id = unit.id { units[id] = unit }
            }
        }
        return made.compactMap { units[$0] }
    }

    /// Inserts a unit and gives it its path, which needs the id the database assigns.
    static func insert(_ new: NewUnit, code: String, under parent: Organization?, on db: any Database) async throws -> Organization {
        let unit = Organization()
        unit.parentID = parent?.id
        // The path holds the id the database has yet to give: until the update below, a path no
        // unit can have (no id reaches Int.max), unique to this insert.
        unit.path = TreePath(ids: [Int.max, Int.random(in: 1...Int.max)])
        unit.depth = parent.map { $0.depth + 1 } ?? 0
        unit.code = code
        unit.name = new.name
        unit.shortName = new.shortName
        unit.type = new.type
        unit.status = .active
        unit.nextChildSeq = 1
        try await unit.create(on: db)
        unit.path = parent.map { $0.path.appending(unit.id!) } ?? TreePath(ids: [unit.id!])
        try await unit.save(on: db)
        return unit
    }

    /// Locks a unit's row until the write commits (PostgreSQL; SQLite has one writer): writes that
    /// keep figures of one unit follow each other instead of each missing the other's rows, and a
    /// move of the unit, which locks the rows of its subtree first, is waited for rather than met
    /// in a circle.
    static func lock(unitID: Int, on db: any Database) async throws {
        guard db.isPostgres else { return }
        try await db.sql.raw("SELECT id FROM \(ident: Organization.schema) WHERE id = \(bind: unitID) FOR UPDATE").run()
    }

    /// Reserves the next `count` child numbers of a unit in one statement, so that concurrent
    /// creations under the same parent never share a code; returns the first.
    private static func takeChildSequences(_ count: Int, of parentID: Int, on db: any Database) async throws -> Int {
        struct Row: Decodable { let next_child_seq: Int }
        let row = try await db.sql.raw("""
            UPDATE organizations SET next_child_seq = next_child_seq + \(bind: count) WHERE id = \(bind: parentID)
            RETURNING next_child_seq
            """).first(decoding: Row.self)
        guard let row else { throw Abort(.notFound) }
        return row.next_child_seq - count
    }

    static func requireUniqueName(_ name: String, under parentID: Int?, except id: Int?, on db: any Database) async throws {
        var query = Scope.unrestricted.organizations(on: db).filter(\.$parentID == parentID).filter(\.$status == .active).filter(\.$name == name)
        if let id { query = query.filter(\.$id != id) }
        if try await query.count() > 0 {
            throw Refusal("同一上级组织下已有名为「\(name)」的组织", field: "name")
        }
    }

    /// What still sits in a unit: its active children, and whatever each part keeps there.
    static func contents(of unit: Organization, on db: any Database) async throws -> [String] {
        let children = try await Scope.unrestricted.organizations(on: db).filter(\.$parentID == unit.id!).filter(\.$status == .active).count()
        var contents = children > 0 ? ["\(children) 个下级组织"] : []
        for part in PartRegistry.parts { contents += try await part.contents(of: unit, on: db) }
        return contents
    }

    /// Dissolves (撤销) an empty unit; its administrators' accounts are disabled with it.
    static func dissolve(_ id: Int, _ change: ChangeContext, on db: any Database) async throws {
        let unit = try await change.scope.activeOrganization(id, on: db)
        guard change.scope.isStrictlyAbove(unit) else {
            throw Refusal("只有上级组织可以撤销本组织")
        }
        let contents = try await contents(of: unit, on: db)
        guard contents.isEmpty else {
            throw Refusal("「\(unit.name)」还有\(contents.joined(separator: "和")),不能撤销；请先转移、办结或撤销它们")
        }
        try await close(unit, mergedInto: nil, change, on: db)
    }

    private static func close(_ unit: Organization, mergedInto target: Organization?, _ change: ChangeContext, on db: any Database) async throws {
        let before = unit.auditedFields
        unit.status = .dissolved
        unit.mergedIntoID = target?.id
        try await unit.save(on: db)
        let admins = try await Scope.unrestricted.accounts(on: db).filter(\.$organizationID == unit.id!)
            .filter(\.$kind == .administrator).filter(\.$disabled == false).all()
        for admin in admins {
            admin.disabled = true
            try await admin.save(on: db)
            try await SessionStore.closeOthers(accountID: admin.id!, keeping: nil, on: db)
            try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                                   action: "account.disable", entityType: "account", entityID: String(admin.id!),
                                   summary: "组织撤销，停用管理员账号 \(admin.username)",
                                   changes: [FieldChange(field: "状态", old: "正常", new: "已停用")])
        }
        let summary = target.map { "「\(unit.name)」并入「\($0.name)」" } ?? "撤销了「\(unit.name)」"
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: target == nil ? "organization.dissolve" : "organization.merge",
                               entityType: "organization", entityID: String(unit.id!), summary: summary,
                               changes: FieldChange.between(before, unit.auditedFields))
    }

    /// Merges one branch into another: every part moves what is the branch's members' and passes
    /// on its ongoing work (`LeaguePart.unitMerging`, `UnitPathColumn`); then it is closed.
    /// Returns what moved across, as `contents(of:)` described it before.
    @discardableResult
    static func merge(_ sourceID: Int, into targetID: Int, _ change: ChangeContext, on db: any Database) async throws -> [String] {
        let source = try await change.scope.activeOrganization(sourceID, on: db)
        guard let target = try? await change.scope.activeOrganization(targetID, on: db) else {
            throw Refusal("找不到要并入的团支部，或它不在您的管理范围内", field: "target")
        }
        guard source.type.isBranch, target.type.isBranch else {
            throw Refusal("只有团支部之间可以合并", field: "target")
        }
        guard source.id != target.id else { throw Refusal("不能与自身合并", field: "target") }
        guard change.scope.isStrictlyAbove(source) else { throw Refusal("只有上级组织可以合并团支部") }
        let moved = try await contents(of: source, on: db)
        for part in PartRegistry.parts { try await part.unitMerging(source, into: target, change, on: db) }
        for column in PartRegistry.unitPathColumns { try await column.passOn(from: source.path, to: (target.id!, target.path), on: db) }
        try await close(source, mergedInto: target, change, on: db)
        return moved
    }

    /// Members now in `branch`: every declared column that follows members moves with them, and
    /// every part takes part (`LeaguePart.membersRelocated`).
    static func relocate(members ids: [Int], to branch: Organization, on db: any Database) async throws {
        guard !ids.isEmpty else { return }
        for column in PartRegistry.unitPathColumns { try await column.relocate(members: ids, to: (branch.id!, branch.path), on: db) }
        // A member's own account follows them; it keeps no path of its own.
        try await db.sql.update(Account.schema).set("organization_id", to: SQLBind(branch.id!))
            .where("member_id", .in, SQLBind.group(ids)).run()
        for part in PartRegistry.parts { try await part.membersRelocated(ids, to: branch, on: db) }
    }

    /// Why `unit` cannot move below `newParent`, or nil when it can.
    static func moveProblem(_ unit: Organization, to newParent: Organization) -> String? {
        if !newParent.isActive { return "新的上级组织已撤销" }
        if unit.parentID == newParent.id { return "新的上级组织与当前上级组织相同" }
        if unit.path.contains(newParent.path) { return "不能移到本组织自己或其下级组织之下" }
        if !newParent.type.canHold(unit.type) { return "\(newParent.type.label)下不能设立\(unit.type.label)" }
        return nil
    }

    /// Moves a unit and its whole subtree below a new parent: one statement a table rewrites every path.
    static func applyMove(_ unit: Organization, to newParent: Organization, _ change: ChangeContext, on db: any Database) async throws {
        if let problem = moveProblem(unit, to: newParent) { throw Refusal(problem) }
        try await requireUniqueName(unit.name, under: newParent.id, except: unit.id, on: db)
        let before = unit.auditedFields
        let oldPath = unit.path
        let newPath = newParent.path.appending(unit.id!)
        let depthChange = newPath.depth - oldPath.depth
        try await db.sql.raw("""
            UPDATE organizations
            SET path = \(bind: newPath.value) || substr(path, CAST(\(bind: oldPath.value.count + 1) AS INTEGER)),
                depth = depth + \(bind: depthChange)
            WHERE path >= \(bind: oldPath.subtreeLowerBound) AND path < \(bind: oldPath.subtreeUpperBound)
            """).run()
        // Records that keep their unit's path beside them move with the subtree.
        for column in PartRegistry.unitPathColumns { try await column.rebase(from: oldPath, to: newPath, on: db) }
        // The moved unit's change time moves too: figures kept per unit (三会一课's compliance) see the tree changed.
        try await db.sql.update(Organization.schema).set("parent_id", to: SQLBind(newParent.id!)).set("updated_at", to: SQLBind(change.now))
            .where("id", .equal, SQLBind(unit.id!)).run()
        if let oldParent = oldPath.parent {
            for part in PartRegistry.parts { try await part.unitMoved(unit, from: oldParent, to: newParent.path, on: db) }
        }
        let moved = try await Scope.unrestricted.organization(unit.id, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(moved),
                               action: "organization.move", entityType: "organization", entityID: String(unit.id!),
                               summary: "「\(unit.name)」移至「\(newParent.name)」之下",
                               changes: FieldChange.between(before, moved.auditedFields))
    }
}
