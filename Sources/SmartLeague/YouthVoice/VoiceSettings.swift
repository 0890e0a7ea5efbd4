import Fluent
import LeagueCore
import Vapor

/// The city's settings of 青年之声 (**policy**): categories, routing rules, deadlines and the
/// working calendar. Only the city's administrators change them; every change is audited.
enum VoiceSettings {
    private static func requireCity(_ change: ChangeContext) throws {
        guard change.scope.isCityWide else { throw Refusal("只有团市委可以修改青年之声的设置") }
    }

    /// Settings are the city's: filed under the root unit.
    private static func audit(_ action: String, _ id: Int?, _ summary: String, changes: [FieldChange] = [], _ change: ChangeContext,
                              on db: any Database) async throws {
        guard let root = try await Scope.unrestricted.organizations(on: db).filter(\.$parentID == nil).first() else { return }
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(root), action: action,
                               entityType: "voice_setting", entityID: String(id ?? 0), summary: summary, changes: changes)
    }

    static func addCategory(_ name: String, _ change: ChangeContext, on db: any Database) async throws -> VoiceCategory {
        try requireCity(change)
        if try await VoiceCategory.query(on: db).filter(\.$name == name).count() > 0 {
            throw Refusal("已有类别「\(name)」", field: "name")
        }
        let category = VoiceCategory()
        category.name = name
        category.position = (try await VoiceCategory.query(on: db).max(\.$position) ?? 0) + 1
        category.active = true
        try await category.create(on: db)
        try await audit("voice.category.add", category.id, "新增青年之声问题类别「\(name)」", change, on: db)
        return category
    }

    /// A category is retired, not deleted: the items filed under it keep it.
    static func toggleCategory(_ id: Int, _ change: ChangeContext, on db: any Database) async throws -> VoiceCategory {
        try requireCity(change)
        guard let category = try await VoiceCategory.query(on: db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        if category.active, try await VoiceCategory.query(on: db).filter(\.$active == true).count() <= 1 {
            throw Refusal("至少保留一个在用的类别")
        }
        category.active.toggle()
        try await category.save(on: db)
        try await audit("voice.category.toggle", id, "\(category.active ? "启用" : "停用")青年之声问题类别「\(category.name)」", change, on: db)
        return category
    }

    /// A rule for a district (and a category, or every category) replaces the one it had.
    static func setRule(_ rule: VoiceRuleForm.Valid, _ change: ChangeContext, on db: any Database) async throws -> VoiceRoutingRule {
        try requireCity(change)
        guard let district = try await Organization.cityAndDistricts(on: db).first(where: { $0.id == rule.districtID }), let districtID = district.id else {
            throw Refusal("请选择区县（市）", field: "ruleDistrict")
        }
        var categoryName = "全部类别"
        if let categoryID = rule.categoryID {
            guard let category = try await VoiceCategory.query(on: db).filter(\.$id == categoryID).first() else {
                throw Refusal("请选择问题类别", field: "ruleCategory")
            }
            categoryName = category.name
        }
        guard let unit = try await change.scope.activeOrganization(codeOrName: rule.unit, on: db), let unitID = unit.id else {
            throw Refusal("没有找到该单位，请填写单位全称或组织代码", field: "ruleUnit")
        }
        guard district.path.contains(unit.path) else { throw Refusal("承办单位应在\(district.name)之内", field: "ruleUnit") }
        let existing = try await VoiceRoutingRule.query(on: db).filter(\.$districtID == districtID).all().filter { $0.categoryID == rule.categoryID }
        for old in existing { try await old.delete(on: db) }
        let made = VoiceRoutingRule()
        made.districtID = districtID
        made.categoryID = rule.categoryID
        made.unitID = unitID
        try await made.create(on: db)
        try await audit("voice.rule.set", made.id, "青年之声分派规则：\(district.name)·\(categoryName) → \(unit.name)", change, on: db)
        return made
    }

    static func deleteRule(_ id: Int, _ change: ChangeContext, on db: any Database) async throws -> Int {
        try requireCity(change)
        guard let rule = try await VoiceRoutingRule.query(on: db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        try await rule.delete(on: db)
        try await audit("voice.rule.delete", id, "删除青年之声分派规则（区县 \(rule.districtID)）", change, on: db)
        return id
    }

    static func setPolicy(_ policy: VoicePolicy, _ change: ChangeContext, on db: any Database) async throws -> VoicePolicy {
        try requireCity(change)
        let row = try await VoicePolicyRow.query(on: db).sort(\.$id).first() ?? VoicePolicyRow()
        let before = row.id == nil ? VoicePolicy.standard : row.policy
        row.acceptDays = policy.acceptDays
        row.answerDays = policy.answerDays
        row.reopenLimit = policy.reopenLimit
        try await row.save(on: db)
        try await audit("voice.policy", row.id,
                        "青年之声办理期限：受理 \(policy.acceptDays) 个工作日，答复 \(policy.answerDays) 个工作日，可重新办理 \(policy.reopenLimit) 次",
                        changes: [FieldChange(field: "受理期限", old: String(before.acceptDays), new: String(policy.acceptDays)),
                                  FieldChange(field: "答复期限", old: String(before.answerDays), new: String(policy.answerDays)),
                                  FieldChange(field: "可重新办理次数", old: String(before.reopenLimit), new: String(policy.reopenLimit))]
                            .filter { $0.old != $0.new }, change, on: db)
        return policy
    }

    static func addCalendarDay(_ day: WorkingCalendarDayForm.Valid, _ change: ChangeContext, on db: any Database) async throws -> WorkingCalendarDay {
        try requireCity(change)
        if try await WorkingCalendarDay.query(on: db).filter(\.$day == day.day.description).count() > 0 {
            throw Refusal("\(day.day) 已在日历中，如需修改请先删除", field: "day")
        }
        let row = WorkingCalendarDay()
        row.day = day.day.description
        row.kind = day.kind
        row.note = day.note
        try await row.create(on: db)
        try await audit("calendar.day.add", row.id, "工作日历：\(day.day) \(day.kind.label)（\(day.note)）", change, on: db)
        return row
    }

    static func deleteCalendarDay(_ id: Int, _ change: ChangeContext, on db: any Database) async throws -> String {
        try requireCity(change)
        guard let row = try await WorkingCalendarDay.query(on: db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        try await row.delete(on: db)
        try await audit("calendar.day.delete", id, "工作日历：删除 \(row.day) \(row.kind.label)（\(row.note)）", change, on: db)
        return row.day
    }
}
