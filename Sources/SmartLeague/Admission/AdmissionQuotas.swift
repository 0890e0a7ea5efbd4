import Fluent
import LeagueCore
import SQLKit
import Vapor

/// The year's admission plan: set by the city, split by each level among the units below it,
/// and used up by approvals.
enum AdmissionQuotas {
    static func quotas(year: Int, units: [Int], on db: any Database) async throws -> [Int: AdmissionQuota] {
        let rows = try await Scope.unrestricted.query(AdmissionQuota.self, on: db).filter(\.$year == year).filter(\.$unitID ~~ units).all()
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.unitID, $0) })
    }

    /// The city sets its own total for the year.
    static func setTotal(_ input: QuotaTotalForm.Valid, _ change: ChangeContext, on db: any Database) async throws {
        let year = input.year, amount = input.amount
        guard change.scope.isCityWide else { throw Refusal("全市发展计划由团市委确定") }
        let root = try await Scope.unrestricted.organizations(on: db).filter(\.$parentID == nil).first()!
        let existing = try await quotas(year: year, units: [root.id!], on: db)[root.id!]
        guard amount >= (existing?.used ?? 0) else { throw Refusal("已使用 \(existing!.used) 名，计划不能少于此数", field: "amount") }
        let quota = existing ?? AdmissionQuota()
        let before = existing?.amount
        quota.year = year
        quota.unitID = root.id!
        quota.unitPath = root.path
        quota.amount = amount
        if existing == nil { quota.used = 0 }
        try await quota.save(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(root),
                               action: "admission.quota", entityType: "admission_quota", entityID: String(quota.id!),
                               summary: "确定 \(year) 年全市团员发展计划 \(amount) 名",
                               changes: [FieldChange(field: root.name, old: before.map(String.init) ?? "", new: String(amount))])
    }

    /// A unit splits its plan among its direct children, by lines of "单位 数量".
    static func split(_ input: QuotaSplitForm.Valid, unitID: Int, _ change: ChangeContext, on db: any Database) async throws -> Int {
        let year = input.year, lines = input.lines
        let unit = try await change.scope.activeOrganization(unitID, on: db)
        guard let own = try await quotas(year: year, units: [unit.id!], on: db)[unit.id!] else {
            throw Refusal("「\(unit.name)」\(year) 年还没有发展计划，请等上级下达")
        }
        var parts: [(Organization, Int)] = []
        for (index, line) in lines.split(whereSeparator: \.isNewline).enumerated() {
            let words = line.split(whereSeparator: { " \t,，".contains($0) })
            if words.isEmpty { continue }
            guard words.count == 2, let amount = Int(words[1]), (0...10_000_000).contains(amount) else {
                throw Refusal("第 \(index + 1) 行应为“单位代码或全称 数量”，数量为 0 到 10000000 的整数", field: "lines")
            }
            guard let child = try await change.scope.activeOrganization(codeOrName: String(words[0]), on: db), child.parentID == unit.id else {
                throw Refusal("「\(words[0])」不是「\(unit.name)」的直属下级", field: "lines")
            }
            guard !parts.contains(where: { $0.0.id == child.id }) else { throw Refusal("「\(child.name)」重复出现", field: "lines") }
            parts.append((child, amount))
        }
        guard !parts.isEmpty else { throw Refusal("请填写分配到的下级单位和数量", field: "lines") }
        let existing = try await quotas(year: year, units: parts.map { $0.0.id! }, on: db)
        // Children not named keep what they have; their amounts count against the plan too.
        let others = try await Scope.unrestricted.query(AdmissionQuota.self, on: db).filter(\.$year == year)
            .filter(\.$unitID ~~ (try await Scope.unrestricted.organizations(on: db).filter(\.$parentID == unit.id!).all(\.$id)))
            .filter(\.$unitID !~ parts.map { $0.0.id! }).all()
        let available = own.amount - others.reduce(0) { $0 + $1.amount }
        if let problem = QuotaRules.splitProblem(available: available, parts: parts.map { ($0.0.name, $0.1, existing[$0.0.id!]?.used ?? 0) }) {
            throw Refusal(problem, field: "lines")
        }
        var changes: [FieldChange] = []
        for (child, amount) in parts {
            let quota = existing[child.id!] ?? AdmissionQuota()
            changes.append(FieldChange(field: child.name, old: existing[child.id!].map { String($0.amount) } ?? "", new: String(amount)))
            quota.year = year
            quota.unitID = child.id!
            quota.unitPath = child.path
            quota.amount = amount
            if existing[child.id!] == nil { quota.used = 0 }
            try await quota.save(on: db)
        }
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: "admission.quota", entityType: "admission_quota", entityID: String(own.id!),
                               summary: "分配 \(year) 年团员发展计划到 \(parts.count) 个下级单位", changes: changes)
        return parts.count
    }

    /// A rejected approval gives its place back at every level.
    static func release(year: Int, branch: Organization, on db: any Database) async throws {
        try await db.sql.raw("""
            UPDATE admission_quotas SET used = used - 1
            WHERE year = \(bind: year) AND unit_id IN \(SQLBind.group(branch.path.ids)) AND used > 0
            """).run()
    }

    /// An approval takes one place at every level above the branch that holds a plan, in one
    /// statement a level that refuses when the plan is used up, so two approvals at the same
    /// instant cannot both take the last place.
    static func consume(year: Int, branch: Organization, on db: any Database) async throws {
        let ancestors = branch.path.ids
        let held = try await Scope.unrestricted.query(AdmissionQuota.self, on: db).filter(\.$year == year).filter(\.$unitID ~~ ancestors).all()
        guard !held.isEmpty else { throw Refusal("\(year) 年尚未下达团员发展计划，不能批准") }
        struct Taken: Decodable { let unit_id: Int }
        let taken = try await db.sql.raw("""
            UPDATE admission_quotas SET used = used + 1
            WHERE year = \(bind: year) AND unit_id IN \(SQLBind.group(held.map(\.unitID))) AND used < amount
            RETURNING unit_id
            """).all(decoding: Taken.self)
        if taken.count < held.count {
            let full = held.first { quota in !taken.contains { $0.unit_id == quota.unitID } }!
            let unit = try await Scope.unrestricted.organization(full.unitID, on: db)
            throw Refusal("「\(unit.name)」\(year) 年团员发展计划 \(full.amount) 名已用完，不能再批准")
        }
    }
}
