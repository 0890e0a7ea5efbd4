import Fluent
import Foundation
import LeagueCore
import Vapor

/// 组织关系转接's share of the demo city: about one transfer for 1,500 members over the last half
/// year, within a district and across districts, started by the sending branch, the receiving unit
/// or the member, in every state (waiting for either side, waiting to be placed, done, refused,
/// withdrawn); graduates among them, whole graduating classes in a large city; and requests to take
/// a member in (pending, lapsed, agreed, refused, withdrawn, and one naming nobody). Done transfers
/// move their members through the part's own writes, so the kept counts follow.
enum TransfersDemo {
    enum Outcome: Sendable, CaseIterable {
        case awaitingSender, awaitingReceiver, awaitingPlacement, done, refused, cancelled
    }

    /// One transfer as it will go.
    struct Planned: Sendable {
        let member: Int
        let target: Target
        let side: TransferSide
        let outcome: Outcome
        let graduate: Bool
        let started: CalendarDate
        let decided: CalendarDate
    }

    /// Where a transfer goes: a branch, or a committee that places it in one of its branches.
    struct Target: Sendable {
        let id: Int
        let path: TreePath
        /// The branch a committee places it in.
        let placeIn: Int?
    }

    static let refusals = ["该团员不在本单位学习或工作，请核实后重新发起", "接收单位信息有误，请重新选择具体团支部", "该团员尚有团费未结清，请结清后再办理"]

    static func fill(_ context: DemoCityContext, progress: @escaping @Sendable (Int, Int) -> Void) async throws {
        var random = context.random("transfers")
        let branches = context.branches.filter { ($0.members?.count ?? 0) > 0 }
        guard branches.count > 1 else { return }
        let count = max(24, context.memberCount / 1500)
        let demoBranch = context.people.branchID
        let demoMember = context.people.memberID
        let committees = try await committeesWithBranches(context)
        var used = Set<Int>()
        if let demoMember { used.insert(demoMember) }
        // Branches whose members are on the move: a whole class is sent from none of them.
        var sources: Set<Int> = demoBranch.map { [$0] } ?? []

        // Who moves where, and how far it got: the demo branch sends a few and receives a few.
        let places = Places(branches: branches, committees: committees)
        let schools = branches.filter { $0.kind == .school }
        let demoBranchUnit = branches.first { $0.id == demoBranch }
        var planned: [Planned] = []
        for index in 0..<count {
            // The first few cover every outcome, and graduates, whatever the draws.
            let outcome = index < Outcome.allCases.count ? Outcome.allCases[index] : drawOutcome(&random)
            var source = random.pick(branches)
            if (6..<8).contains(index), !schools.isEmpty { source = random.pick(schools) }
            if index < 2, let demo = demoBranchUnit { source = demo }
            guard let member = pickMember(of: source, avoiding: &used, &random) else { continue }
            sources.insert(source.id)
            let graduate = source.kind == .school && ((6..<8).contains(index) || random.chance(0.5))
            var target = pickTarget(from: source, graduate: graduate, places: places,
                                    toCommittee: outcome == .awaitingPlacement ? 1 : 0.33, context, &random)
            if (3..<5).contains(index), outcome != .awaitingPlacement, let demo = demoBranchUnit, demo.id != source.id {
                target = Target(id: demo.id, path: demo.path, placeIn: nil)
            }
            // A transfer to a branch has nobody to place it: it waits for the receiver instead.
            let effective = outcome == .awaitingPlacement && target.placeIn == nil ? Outcome.awaitingReceiver : outcome
            var side: TransferSide = random.chance(0.5) ? .sender : (random.chance(0.5) ? .receiver : .member)
            if effective == .awaitingSender && side == .sender { side = .member }
            if effective == .awaitingReceiver && side == .receiver { side = .sender }
            let open = [.awaitingSender, .awaitingReceiver, .awaitingPlacement].contains(effective)
            let started = context.today.adding(days: -(open ? random.int(1...25) : random.int(8...180)))
            planned.append(Planned(member: member, target: target, side: side, outcome: effective, graduate: graduate, started: started,
                                   decided: min(context.today, started.adding(days: random.int(1...7)))))
        }
        // The demo member has asked to move within the district, and waits for their branch.
        if let demoMember, let source = branches.first(where: { $0.id == demoBranch }),
           let target = branches.first(where: { $0.id != source.id && $0.path.ids.count > 1 && $0.path.ids[1] == source.path.ids[1] }) {
            planned.append(Planned(member: demoMember, target: Target(id: target.id, path: target.path, placeIn: nil), side: .member,
                                   outcome: .awaitingSender, graduate: false, started: context.day(3), decided: context.today))
        }
        progress(1, 5)

        for start in stride(from: 0, to: planned.count, by: 100) {
            let batch = Array(planned[start..<min(start + 100, planned.count)])
            try await context.app.writer.write(context.db) { db in
                for transfer in batch { try await carry(transfer, context, on: db) }
            }
            progress(1 + 2 * min(start + 100, planned.count) / max(1, planned.count), 5)
        }
        try await classes(branches: branches, committees: committees, avoiding: sources, context, &random)
        progress(4, 5)
        try await requests(places: places, avoiding: &used, context, &random)
        let made = planned.count
        try await context.app.writer.write(context.db) { db in
            let moved = try await Scope.unrestricted.transfers(on: db).filter(\.$status == .done).count()
            try await Audit.record(on: db, actor: context.change.actor, at: context.change.now, unit: AuditUnit(context.root),
                                   action: "transfer.demo", entityType: "demo", entityID: String(context.seed),
                                   summary: "生成演示数据：组织关系转接 \(made) 件（\(moved) 件已转入）及转入申请")
        }
        progress(5, 5)
    }

    static func drawOutcome(_ random: inout SeededRandom) -> Outcome {
        let roll = random.int(1...100)
        switch roll {
        case ...8: return .awaitingSender
        case ...18: return .awaitingReceiver
        case ...25: return .awaitingPlacement
        case ...80: return .done
        case ...90: return .refused
        default: return .cancelled
        }
    }

    /// A member of the branch nobody has moved yet; nil after a few tries.
    static func pickMember(of branch: DemoCityContext.Branch, avoiding used: inout Set<Int>, _ random: inout SeededRandom) -> Int? {
        guard let run = branch.members else { return nil }
        for _ in 0..<5 {
            let id = random.int(run)
            if used.insert(id).inserted { return id }
        }
        return nil
    }

    /// The branches a member may go to, and the committee above each, looked up once: a city of a
    /// million has 28,000 branches, and each of its 670 transfers used to filter them all.
    struct Places: Sendable {
        let branches: [DemoCityContext.Branch]
        let committeeOfBranch: [Int: Committee]

        init(branches: [DemoCityContext.Branch], committees: [Committee]) {
            self.branches = branches
            var above: [Int: Committee] = [:]
            for committee in committees { for id in committee.branchIDs { above[id] = committee } }
            committeeOfBranch = above
        }
    }

    /// Where a member goes: mostly within the district; a graduate to an enterprise or a
    /// township's mobile-members branch; a third of the time to a committee, which places them.
    /// Drawn until a branch fits (a tenth of the branches are in one district), so no draw reads
    /// every branch.
    static func pickTarget(from source: DemoCityContext.Branch, graduate: Bool, places: Places, toCommittee: Double = 0.33,
                           _ context: DemoCityContext, _ random: inout SeededRandom) -> Target {
        let sourceIDs = source.path.ids
        let district = sourceIDs.count > 1 ? sourceIDs[1] : -1
        let near = random.chance(0.6)
        func fits(_ branch: DemoCityContext.Branch) -> Bool {
            guard branch.id != source.id else { return false }
            let ids = branch.path.ids
            // A committee that does not hold the member already.
            if toCommittee >= 1 { return ids.count > 2 && sourceIDs.count > 2 && ids[2] != sourceIDs[2] }
            return (ids.count > 1 && ids[1] == district) == near && (!graduate || branch.kind != .school)
        }
        var branch = source
        for _ in 0..<500 {
            let drawn = random.pick(places.branches)
            if fits(drawn) { branch = drawn; break }
        }
        if branch.id == source.id, let other = places.branches.first(where: { $0.id != source.id }) { branch = other }
        // The committee holding the branch receives, and places the member in that branch.
        if random.chance(toCommittee), let committee = places.committeeOfBranch[branch.id], !committee.path.contains(source.path) {
            return Target(id: committee.id, path: committee.path, placeIn: branch.id)
        }
        return Target(id: branch.id, path: branch.path, placeIn: nil)
    }

    /// A grassroots committee and the branches below it.
    struct Committee: Sendable {
        let id: Int
        let path: TreePath
        let code: String
        let branchIDs: Set<Int>
    }

    static func committeesWithBranches(_ context: DemoCityContext) async throws -> [Committee] {
        let units = try await Scope.unrestricted.organizations(on: context.db).filter(\.$depth == 2).filter(\.$status == .active)
            .sort(\.$path).all()
        var below: [Int: Set<Int>] = [:]
        for branch in context.branches where branch.path.ids.count > 2 { below[branch.path.ids[2], default: []].insert(branch.id) }
        return units.compactMap { unit in
            unit.id.map { Committee(id: $0, path: unit.path, code: unit.code, branchIDs: below[$0] ?? []) }
        }
    }

    /// One transfer through the writes: started on its day, then each side's answer on the next.
    static func carry(_ planned: Planned, _ context: DemoCityContext, on db: any Database) async throws {
        guard let member = try await Scope.unrestricted.members(on: db).filter(\.$id == planned.member).first() else { return }
        let target = try await Scope.unrestricted.organization(planned.target.id, on: db)
        if target.path.contains(member.branchPath) { return }
        let started = try await TransferWrites.start(members: [member], to: target, side: planned.side, graduate: planned.graduate,
                                                     batch: nil, context.transferChange(on: planned.started), on: db)
        let decided = context.transferChange(on: planned.decided)
        switch planned.outcome {
        case .awaitingSender, .awaitingReceiver:
            // A member's request the branch has agreed to waits for the receiver.
            if planned.outcome == .awaitingReceiver && planned.side == .member {
                _ = try await TransferWrites.decide(started, agree: true, reason: nil, decided, on: db)
            }
        case .refused:
            _ = try await TransferWrites.decide(started, agree: false, reason: refusals[planned.member % refusals.count], decided, on: db)
        case .cancelled:
            let scope = planned.side == .member ? Scope(reach: .ownAccount(-1, member: planned.member)) : Scope.unrestricted
            for transfer in started {
                try await TransferWrites.cancel(transfer, ChangeContext(scope: scope, actor: decided.actor, now: decided.now), on: db)
            }
        case .awaitingPlacement, .done:
            // Each side that has to agrees in turn; a committee then places the member.
            for _ in 0..<2 where started.contains(where: { $0.status == .awaitingSender || $0.status == .awaitingReceiver }) {
                _ = try await TransferWrites.decide(started, agree: true, reason: nil, decided, on: db)
            }
            if planned.outcome == .done, let branch = planned.target.placeIn {
                let placing = started.filter { $0.status == .awaitingPlacement }
                _ = try await TransferWrites.place(placing, in: branch, context.transferChange(on: min(context.today, planned.decided.adding(days: 2))),
                                                   on: db)
            }
        }
    }

    /// Whole graduating classes sent on as one batch, a few in a large city: most received and
    /// placed, the latest still waiting for the receiver.
    static func classes(branches: [DemoCityContext.Branch], committees: [Committee], avoiding busy: Set<Int>,
                        _ context: DemoCityContext, _ random: inout SeededRandom) async throws {
        guard context.memberCount >= 5000 else { return }
        let schools = branches.filter { $0.kind == .school && !busy.contains($0.id) }
        let schoolIDs = Set(schools.map(\.id))
        let receivers = committees.filter { !$0.branchIDs.isEmpty && $0.branchIDs.isDisjoint(with: schoolIDs) }
        guard !schools.isEmpty, !receivers.isEmpty else { return }
        let count = 1 + context.memberCount / 200_000
        var plans: [(branch: Int, receiver: Committee, placeIn: Int, started: CalendarDate, open: Bool)] = []
        for index in 0..<count {
            let receiver = random.pick(receivers)
            guard let placeIn = receiver.branchIDs.sorted().first else { continue }
            let graduation = CalendarDate(year: context.today.month > 6 ? context.today.year : context.today.year - 1, month: 7, day: 1)!
            let started = min(context.today, graduation.adding(days: random.int(5...90)))
            plans.append((random.pick(schools).id, receiver, placeIn, index == count - 1 && count > 1 ? context.day(4) : started,
                          index == count - 1 && count > 1))
        }
        let planned = plans
        try await context.app.writer.write(context.db) { db in
            var done = Set<Int>()
            for plan in planned where done.insert(plan.branch).inserted {
                let started = try await TransferWrites.startClass(branchID: plan.branch, to: plan.receiver.code,
                                                                  context.transferChange(on: plan.started), on: db)
                guard !plan.open else { continue }
                let answered = context.transferChange(on: min(context.today, plan.started.adding(days: 3)))
                _ = try await TransferWrites.decide(started, agree: true, reason: nil, answered, on: db)
                _ = try await TransferWrites.place(started.filter { $0.status == .awaitingPlacement }, in: plan.placeIn, answered, on: db)
            }
        }
    }

    /// Requests to take a member in, filed by receivers for members beyond their reach, and how
    /// the holders answered: about one for every five transfers.
    static func requests(places: Places, avoiding used: inout Set<Int>,
                         _ context: DemoCityContext, _ random: inout SeededRandom) async throws {
        enum Fate: CaseIterable { case pending, lapsed, agreed, refused, withdrawn, nobody }
        var plans: [(member: Int?, target: Target, fate: Fate, filed: CalendarDate, answered: CalendarDate, graduate: Bool)] = []
        let count = max(Fate.allCases.count, context.memberCount / 5000)
        for index in 0..<count {
            let fate = index < Fate.allCases.count ? Fate.allCases[index] : random.pick([.pending, .agreed, .agreed, .agreed, .refused, .lapsed, .withdrawn])
            let source = random.pick(places.branches)
            let member = fate == .nobody ? nil : pickMember(of: source, avoiding: &used, &random)
            if fate != .nobody && member == nil { continue }
            let graduate = source.kind == .school && random.chance(0.5)
            let target = pickTarget(from: source, graduate: graduate, places: places, context, &random)
            let filed = context.today.adding(days: -(fate == .lapsed ? random.int(35...90) : fate == .pending || fate == .nobody ? random.int(1...20)
                : random.int(10...150)))
            plans.append((member, target, fate, filed, min(context.today, filed.adding(days: random.int(1...10))), graduate))
        }
        let planned = plans
        try await context.app.writer.write(context.db) { db in
            for plan in planned {
                let target = try await Scope.unrestricted.organization(plan.target.id, on: db)
                var number = "NB\(String(format: "%09d", 900_000_000 + Int(plan.filed.dayNumber % 100_000)))"
                var name = "王小明"
                if let id = plan.member, let member = try await Scope.unrestricted.members(on: db).filter(\.$id == id).first() {
                    guard !target.path.contains(member.branchPath) else { continue }
                    (number, name) = (member.memberNumber, member.name)
                }
                let request = try await TransferRequests.file(number: number, name: name, to: target, graduate: plan.graduate,
                                                              context.transferChange(on: plan.filed), on: db)
                guard let id = request.id else { continue }
                let answered = context.transferChange(on: plan.answered)
                switch plan.fate {
                case .agreed where request.memberID != nil:
                    let agreed = try await TransferRequests.answer(id, agree: true, reason: nil, answered, on: db)
                    if let transferID = agreed.transferID, let placeIn = plan.target.placeIn,
                       let transfer = try await Scope.unrestricted.transfers(on: db).filter(\.$id == transferID).first(),
                       transfer.status == .awaitingPlacement {
                        _ = try await TransferWrites.place([transfer], in: placeIn, answered, on: db)
                    }
                case .refused where request.memberID != nil:
                    _ = try await TransferRequests.answer(id, agree: false, reason: "该团员仍在本单位工作，暂不转出", answered, on: db)
                case .withdrawn:
                    _ = try await TransferRequests.withdraw(id, answered, on: db)
                default: break
                }
            }
        }
    }
}

private extension DemoCityContext {
    /// The demo's author acting on a past day, at a working hour, never later than the demo's now.
    func transferChange(on day: CalendarDate) -> ChangeContext {
        let moment = ChinaTime.startOfDay(min(day, today)).addingTimeInterval(14 * 3600)
        return ChangeContext(scope: .unrestricted, actor: change.actor, now: min(moment, change.now))
    }
}
