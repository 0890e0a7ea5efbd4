import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Registering farms and internships, and setting targets whose actuals follow the registries.
enum TargetWrites {
    static func unit(_ key: String, _ change: ChangeContext, on db: any Database) async throws -> Organization {
        guard let unit = try await change.scope.activeOrganization(codeOrName: key, on: db) else {
            throw Refusal("找不到单位「\(key)」，或它不在您的管理范围内", field: "unit")
        }
        return unit
    }

    static func addFarm(_ input: FarmForm.Valid, _ change: ChangeContext, on db: any Database) async throws {
        let unit = try await unit(input.unit, change, on: db)
        let farm = YouthFarm()
        farm.name = input.name
        farm.operatorName = input.operatorName
        farm.unitID = unit.id!
        farm.unitPath = unit.path
        farm.level = input.level
        farm.year = input.year
        farm.farmersHelped = input.helped
        farm.createdAt = change.now
        try await farm.create(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: "registry.farm", entityType: "youth_farm", entityID: String(farm.id!),
                               summary: "登记青创农场「\(input.name)」", changes: FieldChange.created(
                                ["名称": input.name, "经营者": input.operatorName, "级别": input.level, "年度": String(input.year),
                                 "帮扶青年农民": String(input.helped)]))
    }

    static func addInternship(_ input: InternshipForm.Valid, _ change: ChangeContext, on db: any Database) async throws {
        let starts = input.startsOn, ends = input.endsOn
        guard starts <= ends else { throw Refusal("结束日期不能早于开始日期", field: "endsOn") }
        let unit = try await unit(input.unit, change, on: db)
        let placement = Internship()
        placement.base = input.base
        placement.post = input.post
        placement.intern = input.intern
        placement.unitID = unit.id!
        placement.unitPath = unit.path
        placement.startsOn = starts.description
        placement.endsOn = ends.description
        placement.year = starts.year
        placement.createdAt = change.now
        try await placement.create(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: "registry.internship", entityType: "internship", entityID: String(placement.id!),
                               summary: "登记见习：\(input.intern)（\(input.base)）", changes: FieldChange.created(
                                ["见习基地": input.base, "岗位": input.post, "见习人员": input.intern, "期间": "\(starts)至\(ends)"]))
    }

    /// How a target's parts are set: amounts typed per unit, or last year's figure of each unit
    /// plus a percentage.
    enum Split: Sendable {
        case amounts(total: Int)
        case growth(percent: Int)
    }

    /// A target for a task, split among units by lines of "单位 数量" (the parts must add up), or,
    /// for a growth target, by lines naming the units.
    static func addTarget(taskID: Int, _ input: TargetForm.Valid, _ change: ChangeContext, on db: any Database) async throws {
        let (name, measure, split, source, year, raw) = (input.name, input.measure, input.split, input.source, input.year, input.parts)
        guard change.scope.isCityWide else { throw Refusal("只有团市委可以设定目标") }
        let task = try await TaskAssignments.task(taskID, on: db)
        var parts: [(unit: Organization, amount: Int, base: Int?)] = []
        for (index, line) in raw.split(whereSeparator: \.isNewline).enumerated() {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "，" || $0 == "," })
            if words.isEmpty { continue }
            let unit: Organization
            switch split {
            case .amounts:
                guard words.count == 2, let amount = Int(words[1]) else {
                    throw Refusal("第 \(index + 1) 行应为“单位代码或全称 数量”", field: "parts")
                }
                unit = try await self.unit(String(words[0]), change, on: db)
                parts.append((unit, amount, nil))
            case .growth(let percent):
                guard words.count == 1 else { throw Refusal("第 \(index + 1) 行只写单位代码或全称：数量按上年实际计算", field: "parts") }
                unit = try await self.unit(String(words[0]), change, on: db)
                let base = try await actual(source: source, taskID: task.id!, year: year - 1, unitPath: unit.path, unitID: unit.id!, on: db)
                parts.append((unit, TargetSplit.grown(base: base, percent: percent), base))
            }
            guard !parts.dropLast().contains(where: { $0.unit.id == unit.id }) else { throw Refusal("「\(unit.name)」重复出现", field: "parts") }
        }
        guard !parts.isEmpty else { throw Refusal("请把目标分解到单位", field: "parts") }
        let total: Int
        switch split {
        case .amounts(let given):
            if let problem = TargetSplit.problem(total: given, parts: parts.map(\.amount)) { throw Refusal(problem, field: "parts") }
            total = given
        case .growth:
            guard source != .reported else { throw Refusal("按上年增长设定的目标，实际数须来自系统登记，不能由单位报送", field: "source") }
            total = parts.reduce(0) { $0 + $1.amount }
        }
        let target = TaskTarget()
        target.taskID = task.id!
        target.name = name
        target.measure = measure
        target.total = total
        target.source = source
        target.year = year
        if case .growth(let percent) = split { target.growthPercent = percent }
        try await target.create(on: db)
        for (unit, amount, base) in parts {
            let part = TaskTargetPart()
            part.targetID = target.id!
            part.unitID = unit.id!
            part.unitPath = unit.path
            part.amount = amount
            part.base = base
            try await part.create(on: db)
        }
        let root = try await Scope.unrestricted.organizations(on: db).filter(\.$parentID == nil).first()!
        let how = target.growthPercent.map { "（上年实际基础上增长 \($0)%）" } ?? ""
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(root),
                               action: "workplan.target", entityType: "task_target", entityID: String(target.id!),
                               summary: "设定目标「\(name)」\(total)\(measure)\(how)，分解到 \(parts.count) 个单位",
                               changes: parts.map { FieldChange(field: $0.unit.name, old: $0.base.map(String.init) ?? "", new: String($0.amount)) })
    }

    /// The actual figure of a target for one unit and everything below it.
    static func actual(_ target: TaskTarget, unitPath: TreePath, unitID: Int, on db: any Database) async throws -> Int {
        try await actual(source: target.source, taskID: target.taskID, year: target.year, unitPath: unitPath, unitID: unitID, on: db)
    }

    static func actual(source: TargetSource, taskID: Int, year: Int, unitPath: TreePath, unitID: Int,
                       on db: any Database) async throws -> Int {
        // The part's unit and everything below it: the same range the scope mechanism draws.
        let part = Scope(reach: .subtree(unitPath))
        switch source {
        case .farms:
            return try await part.query(YouthFarm.self, on: db).filter(\.$year == year).count()
        case .farmersHelped:
            return try await part.query(YouthFarm.self, on: db).filter(\.$year == year)
                .total(\.$farmersHelped)
        case .internships:
            return try await part.query(Internship.self, on: db).filter(\.$year == year).count()
        case .reported:
            // The latest figure the unit reported on its assignment of this task.
            guard let assignment = try await Scope.unrestricted.query(TaskAssignment.self, on: db).filter(\.$taskID == taskID)
                .filter(\.$unitID == unitID).first() else { return 0 }
            return try await TaskReport.query(on: db).filter(\.$assignmentID == assignment.id!).filter(\.$figure != nil)
                .sort(\.$at, .descending).sort(\.$id, .descending).first()?.figure ?? 0
        }
    }
}
