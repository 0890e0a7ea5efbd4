import Fluent
import Foundation
import LeagueCore
import Vapor

/// The work plan's share of the demo city: last year's and this year's 工作要点, their tasks handed
/// from the city to districts, on to grassroots committees and branches, with reports (done, late,
/// under way, not started), comments and a sending-back; the 青创农场 and 见习 registries; targets
/// with their actuals; and the 四位一体 evaluation of last year (closed) and this year (under way).
/// Everything goes through the part's own writes, dated on the day it would have happened.
enum WorkPlanDemo {
    /// The city committee's offices that lead its tasks.
    static let offices = ["办公室", "组织部", "宣传部", "学校部", "青年发展部", "社会联络部", "青少年权益部", "统战部"]
    static let crops = ["草莓", "葡萄", "蓝莓", "茶叶", "杨梅", "水蜜桃", "蔬菜", "花卉", "水稻", "食用菌", "柑橘", "竹笋"]
    static let bases = ["宁波市青年就业见习基地", "甬江科创区见习基地", "宁波港青年见习基地", "鄞州人才市场见习基地", "北仑开发区见习基地",
                        "镇海石化见习基地", "余姚智造见习基地", "慈溪家电见习基地"]
    static let posts = ["行政助理", "软件测试", "市场专员", "财务助理", "电商运营", "质检员", "物流调度", "平面设计", "社工助理", "数据录入"]

    static func fill(_ context: DemoCityContext, progress: @escaping @Sendable (Int, Int) -> Void) async throws {
        var random = context.random("workplan")
        let year = context.today.year
        let stages = 6
        let units = try await Units.load(context)
        guard !units.districts.isEmpty else { return }

        // Last year: the plan handed to districts and nearly all done by the year's end.
        let lastYearEnd = min(context.today, CalendarDate(year: year - 1, month: 12, day: 31)!)
        let lastPlan = try await plan(year: year - 1, context)
        try await assign(lastPlan, asOf: lastYearEnd, units: units, handDown: false, targetFigures: [:], &random, context)
        progress(1, stages)

        // This year: the plan, the registries the targets count, the targets, then the tasks.
        let thisPlan = try await plan(year: year, context)
        try await registries(year: year - 1, units: units, &random, context)
        try await registries(year: year, units: units, &random, context)
        progress(2, stages)
        let reportedFigures = try await targets(thisPlan, units: units, &random, context)
        progress(3, stages)
        try await assign(thisPlan, asOf: context.today, units: units, handDown: true, targetFigures: reportedFigures, &random, context)
        progress(4, stages)

        // The evaluation: last year's finished, this year's under way.
        try await evaluation(year: year - 1, closed: true, units: units, &random, context)
        try await evaluation(year: year, closed: false, units: units, &random, context)
        progress(5, stages)
        try await context.app.writer.write(context.db) { db in
            let root = context.root
            let assignments = try await Scope.unrestricted.query(TaskAssignment.self, on: db).count()
            try await Audit.record(on: db, actor: context.change.actor, at: context.change.now, unit: AuditUnit(root),
                                   action: "workplan.demo", entityType: "demo", entityID: String(context.seed),
                                   summary: "生成演示数据：\(year - 1)、\(year) 年度工作要点，任务分解 \(assignments) 项，青创农场、见习、目标与考核")
        }
        progress(stages, stages)
    }

    // MARK: Plans

    /// The year's plan: the shipped plan's text, as the city would start the year from it.
    static func plan(year: Int, _ context: DemoCityContext) async throws -> WorkPlan {
        if let existing = try await WorkPlan.query(on: context.db).filter(\.$year == year).first() { return existing }
        let file = context.app.settings.resourcesDirectory + "Resources/Plans/2018.txt"
        guard let data = FileManager.default.contents(atPath: file),
              case .success(var document) = PlanText.parse(String(decoding: data, as: UTF8.self)) else {
            throw Abort(.internalServerError, reason: "the shipped plan \(file) does not parse")
        }
        let shipped = String(document.year)
        document.title = document.title.replacingOccurrences(of: shipped, with: String(year))
        document.requirement = document.requirement.replacingOccurrences(of: shipped + "年", with: "\(year)年")
        document.year = year
        let change = context.workPlanChange(on: CalendarDate(year: year, month: 1, day: 8)!)
        let loaded = document
        return try await context.app.writer.write(context.db) { db in
            try await WorkPlans.load(loaded, change, root: context.root, on: db)
        }
    }

    static func tasks(of plan: WorkPlan, _ context: DemoCityContext) async throws -> [WorkPlanEntry] {
        try await WorkPlanEntry.query(on: context.db).filter(\.$planID == plan.id ?? -1).filter(\.$kind == .task).sort(\.$id).all()
    }

    /// The first task whose text names `word`, else the task at `fallback`.
    static func task(naming word: String, in tasks: [WorkPlanEntry], fallback: Int) -> WorkPlanEntry? {
        tasks.first { $0.text.contains(word) } ?? (tasks.isEmpty ? nil : tasks[fallback % tasks.count])
    }

    // MARK: Tasks

    /// One assignment to make: handed to `unit` (by the city when `parent` is nil).
    struct Hand: Sendable {
        let task: Int
        let unitCode: String
        let unitPath: TreePath
        let parent: Int?
        let leadOffice: String?
        let day: CalendarDate
        let deadline: CalendarDate
    }

    /// Hands the plan's tasks down and reports on them as things stand on `asOf`: from the city to
    /// districts, and, with `handDown`, a third of the tasks on to committees and a few to branches
    /// (the demo committee and branch among them).
    static func assign(_ plan: WorkPlan, asOf: CalendarDate, units: Units, handDown: Bool, targetFigures: [Int: (task: Int, amount: Int)],
                       _ random: inout SeededRandom, _ context: DemoCityContext) async throws {
        let tasks = try await tasks(of: plan, context)
        guard !tasks.isEmpty else { return }
        let yearStart = CalendarDate(year: plan.year, month: 1, day: 1)!
        let yearEnd = CalendarDate(year: plan.year, month: 12, day: 31)!
        let elapsed = max(0, asOf.dayNumber - yearStart.dayNumber)
        let cityDay = min(asOf, yearStart.adding(days: min(elapsed, random.int(12...30))))
        let reportedTasks = Set(targetFigures.values.map(\.task))

        // The city's assignments: every task to some districts; tasks handed further go to all.
        var cityHands: [Hand] = []
        for (index, task) in tasks.enumerated() {
            guard let taskID = task.id else { continue }
            let goesDown = handDown && index % 3 == 0
            let districts = goesDown || reportedTasks.contains(taskID) ? units.districts
                : units.districts.filter { _ in random.chance(0.65) }
            let deadline = max(cityDay, min(yearEnd, cityDay.adding(days: random.int(60...330))))
            for district in districts.isEmpty ? [units.districts[index % units.districts.count]] : districts {
                cityHands.append(Hand(task: taskID, unitCode: district.code, unitPath: district.path, parent: nil,
                                      leadOffice: offices[index % offices.count], day: cityDay, deadline: deadline))
            }
        }
        let cityMade = try await make(cityHands, context)

        var handed = cityMade
        if handDown {
            // Districts pass a third of the tasks to some of their committees.
            var committeeHands: [Hand] = []
            for assignment in cityMade {
                guard let index = tasks.firstIndex(where: { $0.id == assignment.taskID }), index % 3 == 0,
                      let district = units.districts.first(where: { $0.id == assignment.unitID }),
                      let deadline = CalendarDate(assignment.deadline) else { continue }
                let committees = units.committees[district.id ?? -1] ?? []
                let chosen = pick(committees, count: min(committees.count, 2 + committees.count / 40),
                                  keeping: committees.firstIndex { $0.id == units.demoCommitteeID }, &random)
                let day = min(asOf, cityDay.adding(days: random.int(3...20)))
                for committee in chosen {
                    committeeHands.append(Hand(task: assignment.taskID, unitCode: committee.code, unitPath: committee.path,
                                               parent: assignment.id, leadOffice: nil, day: day,
                                               deadline: max(day, deadline.adding(days: -random.int(0...20)))))
                }
            }
            let committeeMade = try await make(committeeHands, context)
            // Committees pass three of those tasks on to a few of their branches.
            let branchTasks = Set(tasks.enumerated().filter { $0.offset % 3 == 0 }.prefix(3).compactMap(\.element.id))
            var branchHands: [Hand] = []
            for assignment in committeeMade where branchTasks.contains(assignment.taskID) {
                guard let deadline = CalendarDate(assignment.deadline) else { continue }
                let branches = units.branches[assignment.unitID] ?? []
                let chosen = pick(branches, count: min(branches.count, 2), keeping: branches.firstIndex { $0.id == units.demoBranchID }, &random)
                let handedOn = ChinaTime.calendarDay(assignment.createdAt) ?? asOf
                let day = min(asOf, handedOn.adding(days: random.int(2...12)))
                for branch in chosen {
                    branchHands.append(Hand(task: assignment.taskID, unitCode: branch.code, unitPath: branch.path, parent: assignment.id,
                                            leadOffice: nil, day: day, deadline: max(day, deadline.adding(days: -random.int(0...15)))))
                }
            }
            handed += committeeMade + (try await make(branchHands, context))
        }
        try await report(on: handed, asOf: asOf, figures: targetFigures, &random, context)
    }

    /// `count` of `items` in their order, spread over the list; the one at `keeping` always among them.
    static func pick<T>(_ items: [T], count: Int, keeping: Int?, _ random: inout SeededRandom) -> [T] {
        guard count > 0, !items.isEmpty else { return [] }
        var indexes = Set<Int>()
        if let keeping { indexes.insert(keeping) }
        while indexes.count < min(count, items.count) { indexes.insert(random.int(0...(items.count - 1))) }
        return indexes.sorted().map { items[$0] }
    }

    /// Makes assignments through the part's writes, each on its day, 200 to a transaction; returns them.
    static func make(_ hands: [Hand], _ context: DemoCityContext) async throws -> [TaskAssignment] {
        for start in stride(from: 0, to: hands.count, by: 200) {
            let batch = Array(hands[start..<min(start + 200, hands.count)])
            try await context.app.writer.write(context.db) { db in
                for hand in batch {
                    let change = context.workPlanChange(on: hand.day)
                    if let parent = hand.parent {
                        _ = try await TaskAssignments.handDown(parent, .init(units: hand.unitCode, deadline: hand.deadline), today: hand.day,
                                                               change, on: db)
                    } else {
                        _ = try await TaskAssignments.assign(taskID: hand.task, .init(units: hand.unitCode, leadOffice: hand.leadOffice,
                                                                                      deadline: hand.deadline), today: hand.day, change, on: db)
                    }
                }
            }
        }
        guard !hands.isEmpty else { return [] }
        let tasks = Set(hands.map(\.task))
        let made = try await Scope.unrestricted.query(TaskAssignment.self, on: context.db).filter(\.$taskID ~~ tasks).sort(\.$id).all()
        let wanted = Set(hands.map { "\($0.task) \($0.unitPath)" })
        return made.filter { wanted.contains("\($0.taskID) \($0.unitPath)") }
    }

    /// One thing said about an assignment: a report by its holder or a comment or sending-back
    /// by the one who handed it down.
    struct Saying: Sendable {
        let assignment: Int
        let holder: TreePath
        let kind: TaskReportKind
        let text: String
        let figure: Int?
        let finished: Bool
        let day: CalendarDate
    }

    static let progressTexts = ["已召开专题部署会，明确责任分工，工作正在推进。", "已完成方案制定，正在组织实施，预计按期完成。",
                                "已开展第一阶段工作，覆盖大部分基层团组织。", "已对接相关部门和单位，资源正在落实。"]
    static let doneTexts = ["任务已全部完成，总结材料已归档。", "已按期完成各项工作，成效明显，形成经验做法一篇。",
                            "工作已完成，覆盖全部下属团组织，相关台账齐全。"]
    static let comments = ["完成情况较好，请继续巩固成效。", "材料较为完整，请补充典型案例。", "已阅，请按时报送年度总结。"]

    /// Reports on each assignment as it stands on `asOf`: most past their deadline done, some late;
    /// of those still running, some done early, most under way, a few not started.
    static func report(on assignments: [TaskAssignment], asOf: CalendarDate, figures: [Int: (task: Int, amount: Int)],
                       _ random: inout SeededRandom, _ context: DemoCityContext) async throws {
        var sayings: [Saying] = []
        for assignment in assignments {
            guard let id = assignment.id, let deadline = CalendarDate(assignment.deadline) else { continue }
            let given = ChinaTime.calendarDay(assignment.createdAt) ?? asOf
            let span = max(0, min(asOf, deadline).dayNumber - given.dayNumber)
            func day(_ share: Double) -> CalendarDate { min(asOf, given.adding(days: Int(Double(span) * share))) }
            let past = deadline < asOf
            let outcome = random.int(1...100)
            let done = past ? outcome <= 78 : outcome <= 30
            let underWay = !done && (past ? outcome <= 92 : outcome <= 78)
            let figured = figures[assignment.unitID].flatMap { $0.task == assignment.taskID ? $0.amount : nil }
            func figure(_ share: Double) -> Int? { figured.map { Int(Double($0) * share) } }
            // A task done at once is reported once; one that took a while had a progress report first.
            if underWay || (done && random.chance(0.3)) {
                sayings.append(Saying(assignment: id, holder: assignment.unitPath, kind: .report, text: random.pick(progressTexts),
                                      figure: figure(Double(random.int(30...70)) / 100), finished: false, day: day(0.4)))
            }
            if done {
                let late = past && random.chance(0.15)
                let finishedOn = late ? min(asOf, deadline.adding(days: random.int(1...20))) : day(Double(random.int(70...100)) / 100)
                sayings.append(Saying(assignment: id, holder: assignment.unitPath, kind: .report, text: random.pick(doneTexts),
                                      figure: figure(Double(random.int(85...130)) / 100), finished: true, day: finishedOn))
                if random.chance(0.06) {
                    sayings.append(Saying(assignment: id, holder: assignment.unitPath, kind: .sendBack, text: "佐证材料不全，请补充活动照片和参与人数后重新报送。",
                                          figure: nil, finished: false, day: min(asOf, finishedOn.adding(days: random.int(1...7)))))
                } else if random.chance(0.2) {
                    sayings.append(Saying(assignment: id, holder: assignment.unitPath, kind: .comment, text: random.pick(comments),
                                          figure: nil, finished: false, day: min(asOf, finishedOn.adding(days: random.int(1...10)))))
                }
            }
        }
        for start in stride(from: 0, to: sayings.count, by: 300) {
            let batch = Array(sayings[start..<min(start + 300, sayings.count)])
            try await context.app.writer.write(context.db) { db in
                for saying in batch {
                    // The holder reports from its own unit; the assigner reviews from the city's reach.
                    let scope = saying.kind == .report ? Scope(reach: .subtree(saying.holder)) : Scope.unrestricted
                    try await TaskAssignments.say(saying.kind, on: saying.assignment,
                                                  .init(text: saying.text, figure: saying.figure, finished: saying.finished), file: nil,
                                                  context.workPlanChange(on: saying.day, scope: scope), on: db)
                }
            }
        }
    }

    // MARK: Registries and targets

    /// The year's 青创农场 (about six a district) and 见习 placements (five to twelve a district),
    /// registered by the districts through the year.
    static func registries(year: Int, units: Units, _ random: inout SeededRandom, _ context: DemoCityContext) async throws {
        guard let yearStart = CalendarDate(year: year, month: 1, day: 1) else { return }
        let elapsed = max(0, min(364, context.today.dayNumber - yearStart.dayNumber))
        var farms: [(FarmForm.Valid, CalendarDate)] = []
        var placements: [(InternshipForm.Valid, CalendarDate)] = []
        for district in units.districts {
            let townships = (units.committees[district.id ?? -1] ?? []).filter { $0.type == .workingCommittee }
            for number in 0..<random.int(4...8) {
                let holder = townships.isEmpty || random.chance(0.3) ? district : random.pick(townships)
                let place = String(holder.shortName.prefix(4))
                farms.append((FarmForm.Valid(name: "\(place)\(random.pick(crops))青创农场\(number + 1)号", operatorName: DemoPeople.name(male: random.chance(0.6), &random),
                                             unit: holder.code, level: random.chance(0.3) ? "市级" : "区级", year: year, helped: random.int(4...30)),
                              yearStart.adding(days: random.int(0...elapsed))))
            }
            for _ in 0..<(year == context.today.year ? random.int(6...12) : random.int(5...10)) {
                let starts = yearStart.adding(days: random.int(0...elapsed))
                placements.append((InternshipForm.Valid(base: random.pick(bases), post: random.pick(posts),
                                                        intern: DemoPeople.name(male: random.chance(0.5), &random), unit: district.code,
                                                        startsOn: starts, endsOn: starts.adding(months: random.int(3...6))), starts))
            }
        }
        let (farmRows, placementRows) = (farms, placements)
        try await context.app.writer.write(context.db) { db in
            for (farm, day) in farmRows { try await TargetWrites.addFarm(farm, context.workPlanChange(on: day), on: db) }
            for (placement, day) in placementRows { try await TargetWrites.addInternship(placement, context.workPlanChange(on: day), on: db) }
        }
    }

    /// This year's targets, split among the districts: farms and farmers helped (counted from the
    /// registry), internships up 20% on last year, and new grassroots organisations as reported.
    /// Returns the reported target's amount of each district, for their reports.
    static func targets(_ plan: WorkPlan, units: Units, _ random: inout SeededRandom,
                        _ context: DemoCityContext) async throws -> [Int: (task: Int, amount: Int)] {
        let tasks = try await tasks(of: plan, context)
        guard let farmTask = task(naming: "青创农场", in: tasks, fallback: 1).flatMap(\.id),
              let internTask = task(naming: "见习", in: tasks, fallback: 2).flatMap(\.id),
              let coverTask = task(naming: "基层团组织", in: tasks, fallback: 3).flatMap(\.id) else { return [:] }
        let codes = units.districts.map(\.code)
        func lines(_ amounts: [Int]) -> String { zip(codes, amounts).map { "\($0) \($1)" }.joined(separator: "\n") }
        let farms = codes.map { _ in random.int(4...7) }
        let helped = codes.map { _ in random.int(80...130) }
        let covered = codes.map { _ in random.int(15...60) }
        let forms: [(Int, TargetForm.Valid)] = [
            (farmTask, .init(name: "认定青创农场", measure: "家", split: .amounts(total: farms.reduce(0, +)), source: .farms, year: plan.year,
                             parts: lines(farms))),
            (farmTask, .init(name: "青创农场帮扶青年农民", measure: "人", split: .amounts(total: helped.reduce(0, +)), source: .farmersHelped,
                             year: plan.year, parts: lines(helped))),
            (internTask, .init(name: "青年就业见习岗位", measure: "个", split: .growth(percent: 20), source: .internships, year: plan.year,
                               parts: codes.joined(separator: "\n"))),
            (coverTask, .init(name: "新建基层团组织", measure: "个", split: .amounts(total: covered.reduce(0, +)), source: .reported,
                              year: plan.year, parts: lines(covered))),
        ]
        let change = context.workPlanChange(on: CalendarDate(year: plan.year, month: 1, day: 20)!)
        try await context.app.writer.write(context.db) { db in
            for (task, form) in forms { try await TargetWrites.addTarget(taskID: task, form, change, on: db) }
        }
        var figures: [Int: (task: Int, amount: Int)] = [:]
        for (district, amount) in zip(units.districts, covered) { if let id = district.id { figures[id] = (coverTask, amount) } }
        return figures
    }

    // MARK: Evaluation

    /// A year's 四位一体 evaluation of the districts. Closed: every sheet submitted, reviewed, and
    /// the year ended. Open: the districts in turn still filling in, sent back, submitted, reviewed.
    static func evaluation(year: Int, closed: Bool, units: Units, _ random: inout SeededRandom, _ context: DemoCityContext) async throws {
        guard try await EvaluationScheme.query(on: context.db).filter(\.$year == year).count() == 0 else { return }
        let opened = min(context.today, CalendarDate(year: year, month: 11, day: 20)!)
        let scheme = try await context.app.writer.write(context.db) { db in
            let scheme = try await EvaluationWrites.createScheme(.init(year: year, title: "\(year)年度团组织“四位一体”考核评价"),
                                                                 context.workPlanChange(on: opened.adding(days: -5)), on: db)
            _ = try await EvaluationWrites.open(scheme.id ?? -1, context.workPlanChange(on: opened), on: db)
            return scheme
        }
        guard let schemeID = scheme.id else { return }
        let indicators = try await EvaluationWrites.indicators(of: schemeID, on: context.db).filter { $0.source == .rated }
        let sheets = try await Scope.unrestricted.query(EvaluationSheet.self, on: context.db).filter(\.$schemeID == schemeID).sort(\.$unitPath).all()
        enum Fate { case saved, submitted, sentBack, reviewed }
        var plans: [(sheet: Int, unit: TreePath, fate: Fate, selfScores: [Int: Int], review: [Int: Int], days: [CalendarDate])] = []
        for (index, sheet) in sheets.enumerated() {
            guard let id = sheet.id else { continue }
            let fate: Fate = closed ? .reviewed : [.saved, .submitted, .reviewed, .sentBack][index % 4]
            var own: [Int: Int] = [:], review: [Int: Int] = [:]
            for indicator in indicators {
                guard let indicatorID = indicator.id else { continue }
                own[indicatorID] = random.int(82...98)
                review[indicatorID] = max(60, (own[indicatorID] ?? 90) - random.int(0...12))
            }
            let submitted = closed ? CalendarDate(year: year + 1, month: 1, day: random.int(5...15))! : opened.adding(days: random.int(3...10))
            let reviewed = submitted.adding(days: random.int(5...20))
            plans.append((id, sheet.unitPath, fate, own, review, [submitted, reviewed].map { min(context.today, $0) }))
        }
        let planned = plans
        try await context.app.writer.write(context.db) { db in
            for plan in planned {
                let summary = "本年度认真落实团市委工作要点，重点任务推进有力，基层组织建设持续加强，团员青年满意度稳步提升。"
                let entries = plan.selfScores.mapValues { EvaluationWrites.SelfEntry(score: $0, note: "详见自评报告") }
                let own = context.workPlanChange(on: plan.days[0], scope: Scope(reach: .subtree(plan.unit)))
                if plan.fate == .saved {
                    try await EvaluationWrites.saveSelf(plan.sheet, .init(summary: "（草稿）" + summary, entries: entries, submit: false), own, on: db)
                    continue
                }
                try await EvaluationWrites.saveSelf(plan.sheet, .init(summary: summary, entries: entries, submit: true), own, on: db)
                let city = context.workPlanChange(on: plan.days[1])
                switch plan.fate {
                case .sentBack:
                    try await EvaluationWrites.review(plan.sheet, .init(scores: [:], comment: "自评报告缺少基层组织建设的佐证材料，请补充后重新提交。",
                                                                        sendBack: true), city, on: db)
                case .reviewed:
                    try await EvaluationWrites.review(plan.sheet, .init(scores: plan.review, comment: "审核通过。", sendBack: false), city, on: db)
                case .saved, .submitted: break
                }
            }
            if closed {
                try await EvaluationWrites.close(schemeID, context.workPlanChange(on: min(context.today, CalendarDate(year: year + 1, month: 2, day: 28)!)),
                                                 on: db)
            }
        }
    }
}

extension WorkPlanDemo {
/// The units the work plan hands tasks to: the districts, their committees and their branches.
struct Units: Sendable {
    let districts: [Organization]
    /// A district's committees (the units right below it), in tree order.
    let committees: [Int: [Organization]]
    /// A committee's branches, in tree order (all of them at any depth below it).
    let branches: [Int: [Branch]]
    /// The units of the demo's committee and branch administrators: always handed some tasks.
    let demoCommitteeID: Int?
    let demoBranchID: Int?

    struct Branch: Sendable {
        let id: Int
        let code: String
        let path: TreePath
    }

    /// The districts and committees from the registry; branches from the demo's list, their codes
    /// read once.
    static func load(_ context: DemoCityContext) async throws -> Units {
        let districts = context.districts
        let committees = try await Scope.unrestricted.organizations(on: context.db).filter(\.$depth == 2).filter(\.$status == .active)
            .sort(\.$path).all()
        let byDistrict = Dictionary(grouping: committees, by: { $0.parentID ?? -1 })
        let demoCommittee = context.people.committeeID
        let demoBranch = context.people.branchID
        // A few branches of each committee are enough to hand tasks to: the first eight of each,
        // and the demo branch.
        var wanted: [Int: [DemoCityContext.Branch]] = [:]
        for branch in context.branches where branch.path.ids.count > 3 {
            let committee = branch.path.ids[2]
            if (wanted[committee]?.count ?? 0) < 8 || branch.id == demoBranch { wanted[committee, default: []].append(branch) }
        }
        let ids = wanted.values.flatMap { $0.map(\.id) }
        var codes: [Int: String] = [:]
        for start in stride(from: 0, to: ids.count, by: 900) {
            let slice = Array(ids[start..<min(start + 900, ids.count)])
            for unit in try await Scope.unrestricted.organizations(on: context.db).filter(\.$id ~~ slice).all() {
                if let id = unit.id { codes[id] = unit.code }
            }
        }
        let branches = wanted.mapValues { list in
            list.compactMap { branch in codes[branch.id].map { Branch(id: branch.id, code: $0, path: branch.path) } }
        }
        return Units(districts: districts, committees: byDistrict, branches: branches, demoCommitteeID: demoCommittee, demoBranchID: demoBranch)
    }
}
}

private extension DemoCityContext {
    /// The demo's author acting on a past day, at a working hour, never later than the demo's now.
    func workPlanChange(on day: CalendarDate, scope: Scope = .unrestricted) -> ChangeContext {
        let moment = ChinaTime.startOfDay(min(day, today)).addingTimeInterval(9.5 * 3600)
        return ChangeContext(scope: scope, actor: change.actor, now: min(moment, change.now))
    }
}
