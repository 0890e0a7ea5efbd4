import Fluent
import Foundation
import LeagueCore
import SQLKit
import Vapor

/// 团员发展's share of the demo city: last year's and this year's plans split from the city to
/// districts and committees, graduating classes with their headcount, and applications at every
/// stage (most in school branches), each taken step by step through the part's own writes on the
/// day it happened: talks, activists with their mentors and a league lesson, candidates with two
/// sponsors, pre-checks, branch votes (a few failing), approvals within the quota, oaths that make
/// members, signed forms and certification, and rejections.
enum AdmissionDemo {
    /// One application as it will go: where, who, and each step with its day.
    struct Planned: Sendable {
        let branch: DemoCityContext.Branch
        let fields: [String: String]
        let appliedOn: CalendarDate
        let steps: [Step]
    }

    struct Step: Sendable {
        /// Nil when only the signed form goes on file.
        let step: AdmissionStep?
        let details: AdmissionWrites.Details
        /// The signed form goes on file this day, before the step (certification needs it).
        var formFiledOn: CalendarDate?
    }

    /// A few members of a branch: mentors, sponsors and lesson attendees come from them.
    struct Known: Decodable, Sendable {
        let id: Int
        let name: String
        let member_number: String
        let branch_id: Int
    }

    /// The share of applications ending at each stage, in parts per hundred.
    static let stageShares: [(AdmissionStage, Int)] = [(.applied, 10), (.talked, 8), (.activist, 24), (.candidate, 8), (.prechecked, 5),
                                                       (.voted, 4), (.approved, 4), (.member, 9), (.certified, 22), (.rejected, 6)]

    static func fill(_ context: DemoCityContext, progress: @escaping @Sendable (Int, Int) -> Void) async throws {
        var random = context.random("admission")
        guard !context.branches.isEmpty else { return }
        let count = max(40, context.memberCount / 2000)
        let demoBranchID = context.people.branchID

        // Applications gather in a pool of branches, mostly school classes, about four to a branch.
        let byKind = Dictionary(grouping: context.branches.filter { $0.members != nil }, by: \.kind)
        var pool: [DemoCityContext.Branch] = context.branches.filter { $0.id == demoBranchID }
        for _ in 0..<max(1, count / 4) {
            let kind: DemoCityContext.Branch.Kind = random.chance(0.7) ? .school : (random.chance(0.5) ? .enterprise : .township)
            let candidates = byKind[kind] ?? context.branches
            pool.append(random.pick(candidates.isEmpty ? context.branches : candidates))
        }
        let known = try await knownMembers(of: pool, context)

        // The plan of each application, the demo branch first with one at each main stage.
        var planned: [Planned] = []
        let demoStages: [AdmissionStage] = [.applied, .activist, .candidate, .voted, .member, .certified, .rejected]
        for index in 0..<count {
            let branch = index < demoStages.count && pool.first?.id == demoBranchID ? pool[0] : random.pick(pool)
            let stage = index < demoStages.count && pool.first?.id == demoBranchID ? demoStages[index] : drawStage(&random)
            planned.append(plan(stage: stage, in: branch, known: known[branch.id] ?? [], context, &random))
        }
        try await makeIDsUnique(&planned, context, &random)
        progress(1, 12)

        try await quotas(for: planned, committeesOf: pool, context, &random)
        try await graduatingClasses(context, &random)
        progress(2, 12)

        // The applications, then each step in turn across all of them, 250 to a transaction.
        let vault = context.app.vault
        let today = context.today
        var ids: [Int] = []
        for start in stride(from: 0, to: planned.count, by: 250) {
            let batch = Array(planned[start..<min(start + 250, planned.count)])
            ids += try await context.app.writer.write(context.db) { db in
                var made: [Int] = []
                for application in batch {
                    let created = try await AdmissionWrites.apply(branchID: application.branch.id, fields: application.fields,
                                                                  appliedOn: application.appliedOn, today: today, vault: vault,
                                                                  context.admissionChange(on: application.appliedOn), on: db)
                    made.append(created.id ?? -1)
                }
                return made
            }
        }
        progress(3, 12)
        let longest = planned.map(\.steps.count).max() ?? 0
        for phase in 0..<longest {
            // Activists are trained before anyone is named a candidate: a day's league lesson.
            if planned.contains(where: { $0.steps.count > phase && $0.steps[phase].step == .nameCandidate }) {
                try await lessons(planned, ids: ids, known: known, context)
            }
            let work = zip(planned, ids).compactMap { application, id -> (Int, Step)? in
                application.steps.count > phase ? (id, application.steps[phase]) : nil
            }
            for start in stride(from: 0, to: work.count, by: 250) {
                let batch = Array(work[start..<min(start + 250, work.count)])
                try await context.app.writer.write(context.db) { db in
                    for (id, step) in batch {
                        if let filed = step.formFiledOn {
                            try await AdmissionWrites.fileForm(id, form(id), today: filed, context.admissionChange(on: filed), on: db)
                        }
                        guard let next = step.step else { continue }
                        _ = try await AdmissionWrites.step(id, next, step.details, today: today, vault: vault,
                                                           context.admissionChange(on: step.details.day), on: db)
                    }
                }
            }
            progress(4 + phase, 4 + longest)
        }
        let made = planned.count
        try await context.app.writer.write(context.db) { db in
            let members = try await Scope.unrestricted.query(AdmissionApplication.self, on: db).filter(\.$memberID != nil).count()
            try await Audit.record(on: db, actor: context.change.actor, at: context.change.now, unit: AuditUnit(context.root),
                                   action: "admission.demo", entityType: "demo", entityID: String(context.seed),
                                   summary: "生成演示数据：入团申请 \(made) 份，其中 \(members) 人已入团；发展计划和毕业班")
        }
        progress(12, 12)
    }

    static func drawStage(_ random: inout SeededRandom) -> AdmissionStage {
        var roll = random.int(1...100)
        for (stage, share) in stageShares {
            roll -= share
            if roll <= 0 { return stage }
        }
        return .certified
    }

    // MARK: Planning

    /// Days between steps, and how long an application may rest at its stage before today.
    static let gaps: [AdmissionStep: ClosedRange<Int>] = [.talk: 3...25, .nameActivist: 10...45, .nameCandidate: 95...150, .precheck: 5...20,
                                                         .vote: 5...20, .approve: 5...20, .swear: 3...20, .certify: 5...30]
    static let rests: [AdmissionStage: ClosedRange<Int>] = [.applied: 0...25, .talked: 0...40, .activist: 0...85, .candidate: 0...30,
                                                           .prechecked: 0...20, .voted: 0...15, .approved: 0...15, .member: 0...45,
                                                           .certified: 0...330, .rejected: 0...60]

    /// An applicant of the branch's kind, and the steps that bring the application to `stage`.
    static func plan(stage: AdmissionStage, in branch: DemoCityContext.Branch, known: [Known], _ context: DemoCityContext,
                     _ random: inout SeededRandom) -> Planned {
        // Sponsors are two members of the branch: without two, training is as far as it goes.
        var final = stage
        if known.count < 2 && AdmissionStage.pipeline.firstIndex(of: stage).map({ $0 > 2 }) == true { final = .activist }
        // A rejection comes at the talk, in training, or from the branch meeting's vote.
        let rejectedAfter: AdmissionStage? = final == .rejected
            ? (known.count < 2 ? random.pick([.applied, .talked, .activist]) : random.pick([.applied, .activist, .activist, .prechecked])) : nil
        let reached = rejectedAfter ?? final
        let failingVote = rejectedAfter == .prechecked
        var steps = Array(AdmissionStep.forward.prefix(AdmissionStage.pipeline.firstIndex(of: reached) ?? 0))
        if failingVote { steps.append(.vote) } else if rejectedAfter != nil { steps.append(.reject) }

        // Back from today: the rest at the stage, then each gap.
        let gapDays = steps.map { step -> Int in
            step == .reject ? random.int(5...40) : random.int(gaps[step] ?? 5...20)
        }
        let rest = random.int(rests[final] ?? 0...30)
        let applied = context.today.adding(days: -(rest + gapDays.reduce(0, +)))
        var day = applied
        var planned: [Step] = []
        let members = known.count
        for (index, step) in steps.enumerated() {
            day = day.adding(days: gapDays[index])
            if step == .nameCandidate, let activist = planned.last?.details.day, day < activist.adding(months: 3) {
                // Three full months in training, whatever the draw.
                day = activist.adding(months: 3)
            }
            day = min(day, context.today)
            var details = AdmissionWrites.Details(day: day)
            var formFiled: CalendarDate?
            switch step {
            case .nameActivist:
                details.source = branch.kind == .school && random.chance(0.6) ? "少先队推优" : "团员推荐"
                details.mentors = Array(known.prefix(random.int(1...2)).map(\.name))
                if details.mentors.isEmpty { details.mentors = ["团支部书记"] }
            case .nameCandidate:
                if members >= 2 {
                    let first = random.int(0...(members - 1))
                    let second = (first + random.int(1...(members - 1))) % members
                    details.sponsors = [known[first].member_number, known[second].member_number]
                }
            case .vote:
                let expected = max(5, min(45, (branch.members?.count ?? 20)))
                let present = expected / 2 + 1 + random.int(0...(expected - expected / 2 - 1))
                let yes = failingVote ? random.int(0...(present / 2)) : present / 2 + 1 + random.int(0...(present - present / 2 - 1))
                let abstain = random.int(0...(present - yes))
                details.vote = BranchVote(expected: expected, present: present, yes: yes, no: present - yes - abstain, abstain: abstain)
            case .certify:
                // The signed form comes within 30 days of the oath; certification follows it.
                let sworn = planned.last?.details.day ?? day
                formFiled = min(context.today, sworn.adding(days: random.int(1...25)))
                details.day = max(day, formFiled ?? day)
            case .reject:
                details.note = rejectedAfter == .applied ? "谈话了解到本人入团动机不够端正，暂不列为培养对象"
                    : random.pick(["培养考察期间表现未达到要求", "本人申请暂缓入团", "未按要求参加团课学习"])
            default: break
            }
            planned.append(Step(step: step, details: details, formFiledOn: formFiled))
        }
        // Half the sworn members not yet certified have filed their form already.
        if final == .member, let sworn = planned.last?.details.day, random.chance(0.5) {
            let filed = min(context.today, sworn.adding(days: random.int(1...20)))
            planned.append(Step(step: nil, details: .init(day: filed), formFiledOn: filed))
        }
        return Planned(branch: branch, fields: person(for: branch, appliedOn: applied, context, &random), appliedOn: applied, steps: planned)
    }

    /// Someone of the age and walk of life that applies in such a branch.
    static func person(for branch: DemoCityContext.Branch, appliedOn: CalendarDate, _ context: DemoCityContext,
                       _ random: inout SeededRandom) -> [String: String] {
        let age: Int = switch branch.kind {
        case .school: random.int(14...17)
        case .enterprise: random.int(18...25)
        case .township: random.int(15...24)
        }
        let born = CalendarDate(year: appliedOn.year - age - 1, month: appliedOn.month, day: min(appliedOn.day, 28))!
            .adding(days: random.int(1...360))
        let male = random.chance(0.5)
        let area = context.district(of: branch)?.code ?? "330203"
        let education: Education = switch branch.kind {
        case .school: age < 16 ? .juniorHighOrBelow : random.pick([.seniorHigh, .vocational])
        case .enterprise: random.pick([.vocational, .juniorCollege, .bachelor, .bachelor, .postgraduate])
        case .township: age < 16 ? .juniorHighOrBelow : random.pick([.seniorHigh, .vocational, .juniorCollege, .bachelor])
        }
        let occupation: Occupation = switch branch.kind {
        case .school: .student
        case .enterprise: .employed
        case .township: age < 19 ? .student : random.pick([.employed, .employed, .farmer, .freelance])
        }
        var fields = ["name": DemoPeople.name(male: male, &random),
                      "residentID": DemoPeople.residentID(area: area, birth: born, male: male, &random),
                      "ethnicity": DemoPeople.ethnicity(&random), "education": education.label, "occupation": occupation.label]
        if random.chance(0.85) { fields["phone"] = "1" + String(random.int(3...9)) + String(format: "%09d", random.int(0...999_999_999)) }
        return fields
    }

    /// Draws new ID numbers for applicants whose number a member or another applicant already has.
    static func makeIDsUnique(_ planned: inout [Planned], _ context: DemoCityContext, _ random: inout SeededRandom) async throws {
        let vault = context.app.vault
        for _ in 0..<10 {
            let hashes = planned.map { vault.hash($0.fields["residentID"] ?? "") }
            var taken = Set<String>()
            for start in stride(from: 0, to: hashes.count, by: 900) {
                let slice = Array(hashes[start..<min(start + 900, hashes.count)])
                taken.formUnion(try await Scope.unrestricted.everyMember(on: context.db).filter(\.$idHash ~~ slice).all(\.$idHash))
                taken.formUnion(try await Scope.unrestricted.query(AdmissionApplication.self, on: context.db).filter(\.$idHash ~~ slice).all(\.$idHash))
            }
            var seen = Set<String>()
            var redrawn = false
            for index in planned.indices {
                let hash = hashes[index]
                if taken.contains(hash) || !seen.insert(hash).inserted {
                    let old = planned[index]
                    planned[index] = Planned(branch: old.branch, fields: person(for: old.branch, appliedOn: old.appliedOn, context, &random),
                                             appliedOn: old.appliedOn, steps: old.steps)
                    redrawn = true
                }
            }
            if !redrawn { return }
        }
    }

    /// The first members of each branch (up to six), read in one statement a few hundred branches.
    static func knownMembers(of branches: [DemoCityContext.Branch], _ context: DemoCityContext) async throws -> [Int: [Known]] {
        let ids = Array(Set(branches.compactMap { branch in branch.members.map { Array($0.prefix(6)) } }.flatMap { $0 })).sorted()
        var known: [Int: [Known]] = [:]
        for start in stride(from: 0, to: ids.count, by: 900) {
            let slice = Array(ids[start..<min(start + 900, ids.count)])
            let rows = try await context.db.sql.select().column("id").column("name").column("member_number").column("branch_id")
                .from(Member.schema).where("id", .in, SQLBind.group(slice)).where("left_on", .is, SQLLiteral.null)
                .orderBy("id").all(decoding: Known.self)
            for row in rows { known[row.branch_id, default: []].append(row) }
        }
        return known
    }

    // MARK: Lessons, forms

    /// One day's league lesson (8 class-hours) in each branch for the activists it is training,
    /// with a few members present.
    static func lessons(_ planned: [Planned], ids: [Int], known: [Int: [Known]], _ context: DemoCityContext) async throws {
        let training = try await Scope.unrestricted.query(AdmissionApplication.self, on: context.db).filter(\.$stage == .activist)
            .sort(\.$id).all()
        let planByID = Dictionary(uniqueKeysWithValues: zip(ids, planned))
        var byBranch: [Int: [AdmissionApplication]] = [:]
        for application in training { byBranch[application.branchID, default: []].append(application) }
        let lessons: [(branch: Int, day: CalendarDate, applicants: [Int], attendees: [Int])] = byBranch.keys.sorted().compactMap { branch in
            guard let group = byBranch[branch] else { return nil }
            let activists = group.compactMap { $0.activistOn.flatMap(CalendarDate.init) }
            let candidates = group.compactMap { planByID[$0.id ?? -1]?.steps.first { $0.step == .nameCandidate }?.details.day }
            guard let latest = activists.max() else { return nil }
            let day = min(context.today, max(latest, min(latest.adding(days: 30), candidates.min() ?? latest.adding(days: 30))))
            return (branch, day, group.compactMap(\.id), (known[branch] ?? []).prefix(5).map(\.id))
        }
        for start in stride(from: 0, to: lessons.count, by: 200) {
            let batch = Array(lessons[start..<min(start + 200, lessons.count)])
            try await context.app.writer.write(context.db) { db in
                for lesson in batch {
                    let draft = MeetingWrites.Draft(kind: .lesson, heldOn: lesson.day, topic: "入团积极分子培训：团的性质、任务和团员的权利义务",
                                                    place: "团支部活动室", minutes: "学习团章，讲解团的基本知识，观看主题教育片，分组交流学习体会。",
                                                    teacher: "团委书记", teacherIsHead: true, classHours: 8, attendees: lesson.attendees,
                                                    applicants: lesson.applicants, file: nil)
                    _ = try await MeetingWrites.record(branchID: lesson.branch, draft, today: context.today,
                                                       context.admissionChange(on: lesson.day), on: db)
                }
            }
        }
    }

    /// The signed 入团志愿书, as a small PDF.
    static func form(_ id: Int) -> Upload {
        let text = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
            + "trailer << /Root 1 0 R >>\n%%EOF\n"
        return Upload(fileName: "入团志愿书-\(id).pdf", kind: .pdf, data: Data(text.utf8))
    }

    // MARK: Plans and classes

    /// Each year's plan: the city's total, split among the districts and by them among the
    /// committees that develop members (those of the pool's branches), a little above what the
    /// approvals will use (some committees use all of theirs). A split line costs a unit lookup,
    /// so committees that admit nobody are left out.
    static func quotas(for planned: [Planned], committeesOf pool: [DemoCityContext.Branch], _ context: DemoCityContext,
                       _ random: inout SeededRandom) async throws {
        let developing = Set(pool.compactMap { $0.path.ids.count > 2 ? $0.path.ids[2] : nil })
        var approvals: [Int: [Int: Int]] = [:]
        for application in planned {
            guard let approved = application.steps.first(where: { $0.step == .approve })?.details.day,
                  application.branch.path.ids.count > 2 else { continue }
            approvals[approved.year, default: [:]][application.branch.path.ids[2], default: 0] += 1
        }
        let committees = try await Scope.unrestricted.organizations(on: context.db).filter(\.$depth == 2).filter(\.$id ~~ developing)
            .sort(\.$path).all()
        let byDistrict = Dictionary(grouping: committees, by: { $0.parentID ?? -1 })
        for year in [context.today.year - 1, context.today.year] {
            var districtLines: [(Int, String)] = []
            var splits: [(Organization, String)] = []
            for district in context.districts {
                guard let districtID = district.id else { continue }
                var sum = 0
                var lines: [String] = []
                for committee in byDistrict[districtID] ?? [] {
                    let used = committee.id.flatMap { approvals[year]?[$0] } ?? 0
                    let amount = used + (used > 0 && random.chance(0.2) ? 0 : random.int(1...6))
                    sum += amount
                    lines.append("\(committee.code) \(amount)")
                }
                districtLines.append((sum + random.int(3...15), district.code))
                if !lines.isEmpty { splits.append((district, lines.joined(separator: "\n"))) }
            }
            let total = districtLines.reduce(0) { $0 + $1.0 } + random.int(20...60)
            let cityLines = districtLines.map { "\($0.1) \($0.0)" }.joined(separator: "\n")
            let (setOn, splitOn) = (min(context.today, CalendarDate(year: year, month: 1, day: 10)!), min(context.today, CalendarDate(year: year, month: 1, day: 20)!))
            let rootID = context.root.id ?? -1
            let districtSplits = splits
            try await context.app.writer.write(context.db) { db in
                try await AdmissionQuotas.setTotal(.init(year: year, amount: total), context.admissionChange(on: setOn), on: db)
                _ = try await AdmissionQuotas.split(.init(year: year, lines: cityLines), unitID: rootID, context.admissionChange(on: setOn), on: db)
                for (district, lines) in districtSplits {
                    _ = try await AdmissionQuotas.split(.init(year: year, lines: lines), unitID: district.id ?? -1,
                                                        context.admissionChange(on: splitOn), on: db)
                }
            }
        }
    }

    /// School classes in their final year graduate next summer: a tenth of the school branches, at
    /// most three hundred, are marked with their graduation day and their headcount, so the share of
    /// members among pupils (capped at 60% and 30%) can be read; a few are over the cap.
    static func graduatingClasses(_ context: DemoCityContext, _ random: inout SeededRandom) async throws {
        guard try await Scope.unrestricted.organizations(on: context.db).filter(\.$graduationDate != nil).count() == 0 else { return }
        let school = context.branches.filter { $0.kind == .school && $0.members != nil }
        let limit = max(1, min(150, school.count / 10))
        let step = max(1, school.count / limit)
        let chosen = stride(from: 0, to: school.count, by: step).prefix(limit).map { school[$0] }
        let graduation = CalendarDate(year: context.today.month > 6 ? context.today.year + 1 : context.today.year, month: 6, day: 30)!
        var classes: [(Int, GraduatingLevel, Int)] = []
        for branch in chosen {
            let level: GraduatingLevel = random.chance(0.6) ? .seniorHigh : .juniorHigh
            let members = branch.members?.count ?? 1
            let share = level == .seniorHigh ? random.int(40...68) : random.int(18...34)
            classes.append((branch.id, level, min(2000, max(members, (members * 100 + share - 1) / share))))
        }
        let rows = classes
        let day = context.today.adding(days: -random.int(20...60))
        try await context.app.writer.write(context.db) { db in
            for (branchID, level, pupils) in rows {
                let unit = try await Scope.unrestricted.organization(branchID, on: db)
                let details = UnitDetailsForm.Valid(contactPerson: unit.contactPerson, contactPhone: unit.contactPhone, address: unit.address,
                                                    establishedOn: unit.establishedOn.flatMap(CalendarDate.init), summary: unit.summary,
                                                    graduationDate: graduation)
                let change = context.admissionChange(on: day)
                try await UnitEdits.updateDetails(of: branchID, details, change, on: db)
                try await GraduatingClasses.set(.init(branchID: branchID, level: level, pupils: pupils), change, on: db)
            }
        }
    }
}

private extension DemoCityContext {
    /// The demo's author acting on a past day, at a working hour, never later than the demo's now.
    func admissionChange(on day: CalendarDate) -> ChangeContext {
        let moment = ChinaTime.startOfDay(min(day, today)).addingTimeInterval(10 * 3600)
        return ChangeContext(scope: .unrestricted, actor: change.actor, now: min(moment, change.now))
    }
}
