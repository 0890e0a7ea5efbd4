import Fluent
import LeagueCore
import Vapor

/// A deterministic synthetic Ningbo to try the system on: districts → township, school and
/// enterprise committees → general branches → branches, and members with valid synthetic IDs,
/// realistic names and an age and occupation mix that fits each kind of branch.
public enum DemoCity {
    public struct SignIn: Sendable {
        public let level: String
        public let unit: String
        public let username: String
        public let password: String
    }

    public struct Summary: Sendable {
        public let units: Int
        public let members: Int
        public let seconds: Double
        public let signIns: [SignIn]
    }

    typealias Kind = DemoCityContext.Branch.Kind

    static let places = Array("东南西北中新华光明宏泰安和平康宁丰盛兴隆长春文昌德胜启航湖滨江岸石桥白鹤桃源梅园")
    static let firms = ["甬江智造", "海天精工", "东方电缆", "四明数据", "天童新材", "港城物流", "月湖科技", "慈城电器", "象山海洋", "宁海模具"]
    static let departments = ["研发中心", "生产部", "市场部", "质量部", "物流部", "信息部", "财务部", "工程部"]
    public static let demoPassword = "Demo2026ok"

    /// Builds the city into an empty registry: the tree, its members, then each part's work.
    /// `progress` receives (what, done, total) as members go in and as each part fills, and
    /// `finished` the name of each stage as it ends; parts fill side by side (`DemoFill`).
    public static func build(_ app: Application, members total: Int, seed: UInt64,
                             progress: @escaping @Sendable (String, Int, Int) -> Void = { _, _, _ in },
                             finished: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Summary {
        let started = Date()
        _ = try await Bootstrap.prepare(app)
        let districtIDs = try await Scope.unrestricted.organizations(on: app.db).filter(\.$depth == 1).sort(\.$code).all()
        guard try await Scope.unrestricted.organizations(on: app.db).filter(\.$depth > 1).count() == 0,
              try await Scope.unrestricted.members(on: app.db).count() == 0 else {
            throw Refusal("数据库里已有区县以下的组织或团员；演示数据只能生成到空数据库中（可用 SQLITE_PATH 指定新文件）")
        }
        var rng = SeededRandom(seed: seed)
        let change = ChangeContext(scope: .unrestricted, actor: AuditActor(accountID: nil, name: "演示数据生成", ip: "本机"), now: app.clock.now())
        let today = ChinaTime.day(change.now)

        progress(membersLabel, 0, total)
        // The tree: enough branches for about 35 members each, spread over the ten districts.
        let branchTarget = max(10, total / 35)
        var branches: [(unit: MemberImport.Branch, kind: Kind, area: String)] = []
        var units = 11
        for (index, district) in districtIDs.enumerated() {
            let share = branchTarget / districtIDs.count + (index < branchTarget % districtIDs.count ? 1 : 0)
            var committees: [PlannedCommittee] = []
            var made = 0
            while made < share {
                let kind: Kind = rng.chance(0.4) ? .township : (rng.chance(0.58) ? .school : .enterprise)
                let size = min(share - made, rng.int(12...48))
                committees.append(PlannedCommittee(kind: kind, number: committees.count + 1, branches: size))
                made += size
            }
            let planned = committees
            let created = try await app.writer.write(app.db) { db in
                try await districtTree(planned, under: district, change, on: db)
            }
            units += created.units
            branches += created.branches.map { ($0.unit, $0.kind, district.code) }
        }

        // The members, branch by branch, 20,000 to a transaction.
        var counts = Array(repeating: total / branches.count, count: branches.count)
        for i in 0..<(total % branches.count) { counts[i] += 1 }
        for i in stride(from: 0, to: branches.count - 1, by: 2) {
            let shift = rng.int(0...max(0, counts[i] / 3))
            counts[i] -= shift
            counts[i + 1] += shift
        }
        let vault = app.vault
        // Into an empty table, with its secondary indexes built once the rows are in; the next
        // transaction's members are drawn, and their statements built, on the thread pool while
        // one transaction's are written. Not on an event loop: a draw holds its thread for most
        // of a second, and every statement of the transaction being written resumes on a loop,
        // so drawing there made the two take turns on one core.
        let plan = zip(branches, counts).map { MemberDraw.Planned(branch: $0.unit, kind: $0.kind, area: $0.area, count: $1) }
        try await app.db.withIndexesSetAside(on: Member.schema, writer: app.writer) {
            let draw = MemberDraw(plan: plan, today: today, rng: rng)
            let now = change.now
            let pool = app.threadPool
            let next = { @Sendable in
                try await pool.runIfActive {
                    let rows = draw.next(20_000)
                    return (count: rows.count, bulk: try MemberImport.bulkRows(rows, vault: vault, now: now))
                }
            }
            var drawing = Task(operation: next)
            var written = 0
            while true {
                let (count, bulk) = try await drawing.value
                guard count > 0 else { break }
                drawing = Task(operation: next)
                try await app.writer.write(app.db) { db in
                    try await db.runOverlapping(bulk.statements) { $0 }
                    try await bulk.delta.apply(on: db)
                }
                written += count
                progress(membersLabel, written, total)
            }
        }
        finished(membersLabel)
        let passwordHash = try await Passwords.hash(demoPassword, app: app)
        let (signIns, people) = try await demoAccounts(app, district: districtIDs[0], passwordHash: passwordHash, change)

        // Each part's work, side by side where what the fills lean on allows (`DemoFill.schedule`).
        let context = try await DemoCityContext(
            app: app, seed: seed, today: today, change: change,
            root: Scope.unrestricted.organization(districtIDs[0].parentID, on: app.db), districts: districtIDs,
            branches: demoBranches(branches.map { ($0.unit, $0.kind) }, on: app.db), memberCount: total, people: people,
            passwordHash: passwordHash)
        try await runFills(DemoFill.schedule(PartRegistry.parts.compactMap(\.demo)), context, progress: progress, finished: finished)

        let unitCount = units
        try await app.writer.write(app.db) { db in
            try await Audit.record(on: db, actor: change.actor, at: change.now,
                                   unit: AuditUnit(id: nil, path: TreePath(ids: [districtIDs[0].parentID!])),
                                   action: "system.demo", entityType: "demo", entityID: String(seed),
                                   summary: "生成演示数据：\(unitCount) 个组织，\(total) 名团员（种子 \(seed)）")
        }
        return Summary(units: units, members: total, seconds: Date().timeIntervalSince(started), signIns: signIns)
    }

    /// Runs the fills side by side where what they lean on allows, each once those it waits for
    /// are done. The first failure is thrown, and the fills not yet started do not start.
    ///
    /// On PostgreSQL one at a time, in the schedule's order: there the writes of two fills run as
    /// concurrent transactions, and a use case that locks its unit (`FOR UPDATE`) beside another
    /// fill's inserts that check the same units' keys deadlocks. On SQLite the writer takes one
    /// transaction at a time anyway; what runs side by side is each fill's work between them.
    private static func runFills(_ schedule: [(fill: DemoFill, waitsFor: [Int])], _ context: DemoCityContext,
                                 progress: @escaping @Sendable (String, Int, Int) -> Void, finished: @escaping @Sendable (String) -> Void) async throws {
        let sideBySide = !context.app.db.isPostgres
        var tasks: [Task<Void, any Error>] = []
        for (fill, waitsFor) in schedule {
            let before = waitsFor.map { tasks[$0] } + (sideBySide ? [] : tasks.suffix(1))
            tasks.append(Task {
                for task in before { try await task.value }
                try Task.checkCancellation()
                progress(fill.name, 0, 1)
                try await fill.fill(context) { done, all in progress(fill.name, done, all) }
                finished(fill.name)
            })
        }
        let started = tasks
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in started {
                group.addTask { try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() } }
            }
            for try await _ in group {}
        }
    }

    /// The progress bar's name for the members going in.
    static let membersLabel = "团员"

    /// The branches with the run of member ids each holds.
    private static func demoBranches(_ branches: [(unit: MemberImport.Branch, kind: Kind)], on db: any Database) async throws -> [DemoCityContext.Branch] {
        let runs = try await MemberQueries.idRunsByBranch(on: db)
        return branches.map { branch, kind in
            DemoCityContext.Branch(id: branch.id, path: branch.path, type: branch.type, kind: kind, members: runs[branch.id])
        }
    }

    /// A grassroots committee as drawn: its kind, its number in the district, how many branches.
    struct PlannedCommittee: Sendable {
        let kind: Kind
        let number: Int
        let branches: Int
    }

    /// A district's grassroots committees, with their general branches (团总支, eight branches
    /// each in a large committee) and branches, a level of the whole district at a time. The
    /// branches come back committee by committee, each committee's in order.
    private static func districtTree(_ committees: [PlannedCommittee], under district: Organization, _ change: ChangeContext,
                                     on db: any Database) async throws -> (units: Int, branches: [(unit: MemberImport.Branch, kind: Kind)]) {
        guard let districtID = district.id else { return (0, []) }
        let place = String(district.name.dropFirst("共青团宁波市".count).dropLast("委员会".count))
        let tops = try await OrganizationWrites.createChildren(of: districtID, committees.map { committee in
            let number = committee.number
            let name: String = switch committee.kind {
            case .township: "\(place)\(places[number % places.count])\(places[(number * 7) % places.count])街道第\(number)团工委"
            case .school: "宁波市\(place)第\(number)中学团委"
            // The district's name in each, so that no two committees of the city share a name.
            case .enterprise: "宁波\(place)\(firms[number % firms.count])第\(number)有限公司团委"
            }
            return OrganizationWrites.NewUnit(name: name, shortName: String(name.prefix(20)), type: committee.kind == .township ? .workingCommittee : .committee)
        }, change, on: db)
        let groupPlan = zip(committees, tops).map { committee, top in
            let size = committee.branches
            let names: [String] = size > 8 ? stride(from: 0, to: size, by: 8).map { index in
                switch committee.kind {
                case .township: "第\(index / 8 + 1)社区团总支"
                case .school: ["高一", "高二", "高三", "初一", "初二", "初三", "职高"][min(index / 8, 6)] + "年级团总支\(index / 8 + 1)"
                case .enterprise: departments[(index / 8) % departments.count] + "团总支\(index / 8 + 1)"
                }
            } : []
            return (parentID: top.id ?? 0, units: names.map { OrganizationWrites.NewUnit(name: $0, shortName: $0, type: .generalBranch) })
        }
        let groups = try await OrganizationWrites.createChildren(groupPlan, change, on: db)
        // Each committee's branches under its groups, or under itself when it has none.
        var branchPlan: [(parentID: Int, units: [OrganizationWrites.NewUnit])] = []
        var kinds: [Kind] = []
        for (committee, (top, groups)) in zip(committees, zip(tops, groups)) {
            for (parentIndex, parent) in (groups.isEmpty ? [top] : groups).enumerated() {
                let size = committee.branches
                let indices = groups.isEmpty ? Array(0..<size) : Array((parentIndex * 8)..<min(size, parentIndex * 8 + 8))
                branchPlan.append((parent.id ?? 0, indices.map { index in
                    let branchName: String = switch committee.kind {
                    case .township: index == 0 ? "流动团员团支部" : "\(places[index % places.count])家村第\(index)团支部"
                    case .school: "\(index / 8 + 1)年级(\(index % 8 + 1))班团支部"
                    case .enterprise: "第\(index + 1)青年团支部"
                    }
                    let type: OrganizationType = committee.kind == .township && index == 0 ? .mobileBranch : .branch
                    return OrganizationWrites.NewUnit(name: branchName, shortName: String(branchName.prefix(20)), type: type)
                }))
                kinds += Array(repeating: committee.kind, count: indices.count)
            }
        }
        let made = try await OrganizationWrites.createChildren(branchPlan, change, on: db).joined()
            .compactMap { unit in unit.id.map { MemberImport.Branch(id: $0, path: unit.path, type: unit.type) } }
        guard made.count == kinds.count else { throw Refusal("演示城市的团支部未能全部建立") }
        return (tops.count + groups.joined().count + made.count, zip(made, kinds).map { ($0, $1) })
    }

    /// One synthetic member whose age, schooling and work fit the kind of branch.
    static func person(_ number: Int, kind: Kind, area: String, today: CalendarDate, _ rng: inout SeededRandom) -> MemberDraft {
        let age: Int = switch kind {
        case .school: rng.int(14...19)
        case .enterprise: rng.chance(0.06) ? rng.int(28...30) : rng.int(19...27)
        case .township: rng.chance(0.08) ? rng.int(28...31) : rng.int(14...27)
        }
        let male = rng.chance(0.5)
        let birth = CalendarDate(year: today.year - age - 1, month: rng.int(1...12), day: rng.int(1...28))!
        let id = try! ResidentID(DemoPeople.residentID(area: area, birth: birth, male: male, &rng), today: today)
        let realAge = MembershipAge.age(born: birth, on: today)
        let occupation: Occupation = switch kind {
        case .school: .student
        case .enterprise: .employed
        case .township: realAge < 19 ? .student : rng.pick([.employed, .employed, .farmer, .freelance, .unemployed, .other])
        }
        let education: Education = realAge < 16 ? .juniorHighOrBelow : realAge < 19 ? rng.pick([.seniorHigh, .vocational])
            : rng.pick([.seniorHigh, .vocational, .juniorCollege, .bachelor, .bachelor, .postgraduate])
        let joinAge = min(realAge, rng.int(14...18))
        let joined = min(CalendarDate(year: birth.year + joinAge, month: rng.int(1...12), day: rng.int(1...28)) ?? today, today)
        let safeJoined = MembershipAge.age(born: birth, on: joined) >= 14 ? joined : CalendarDate(year: birth.year + 14, month: birth.month, day: birth.day)!
        let party: PartyStatus = realAge >= 20 && rng.chance(0.08) ? (rng.chance(0.6) ? .full : .probationary) : .none
        let padded = ASCIIDigits.padded(number, to: 9)
        return MemberDraft(name: DemoPeople.name(male: male, &rng), gender: id.gender, ethnicity: DemoPeople.ethnicity(&rng),
                           residentID: id, phone: rng.chance(0.85) ? "1" + String(rng.int(3...9)) + ASCIIDigits.padded(rng.int(0...999_999_999), to: 9) : nil,
                           education: education, occupation: occupation, partyStatus: party, joinedOn: min(safeJoined, today),
                           memberNumber: "NB" + padded,
                           developmentNumber: safeJoined.year >= 2017 ? "330" + padded : nil,
                           holdsLeaguePost: realAge >= 26 && rng.chance(0.1))
    }

    /// The demo's members, drawn in order a transaction's worth at a time, each draw going on from
    /// where the last stopped: the same seed draws the same people whatever task draws them.
    final class MemberDraw: @unchecked Sendable {
        // @unchecked: one task at a time draws; the next task starts once the last one's rows are
        // taken (`Task.value`). A class, so that the set of ID numbers drawn is never copied.
        struct Planned: Sendable {
            let branch: MemberImport.Branch
            let kind: Kind
            let area: String
            let count: Int
        }

        private let plan: [Planned]
        private let today: CalendarDate
        private var rng: SeededRandom
        private var usedIDs = Set<String>()
        private var number = 0
        private var branchIndex = 0
        private var drawnInBranch = 0

        init(plan: [Planned], today: CalendarDate, rng: SeededRandom) {
            self.plan = plan
            self.today = today
            self.rng = rng
        }

        /// The next members, at most `limit` of them; none once all are drawn.
        func next(_ limit: Int) -> [MemberImport.GoodRow] {
            var rows: [MemberImport.GoodRow] = []
            rows.reserveCapacity(limit)
            while rows.count < limit, branchIndex < plan.count {
                let planned = plan[branchIndex]
                guard drawnInBranch < planned.count else {
                    branchIndex += 1
                    drawnInBranch = 0
                    continue
                }
                number += 1
                drawnInBranch += 1
                var draft = person(number, kind: planned.kind, area: planned.area, today: today, &rng)
                // Two synthetic people may draw the same birth day and sequence: draw again.
                while !usedIDs.insert(draft.residentID.value).inserted {
                    draft = person(number, kind: planned.kind, area: planned.area, today: today, &rng)
                }
                rows.append(MemberImport.GoodRow(line: number, draft: draft, branch: planned.branch))
            }
            return rows
        }
    }

    /// One administrator per level, so that anyone can see how scope narrows.
    private static func demoAccounts(_ app: Application, district: Organization, passwordHash hash: String, _ change: ChangeContext) async throws
        -> (signIns: [SignIn], people: DemoCityContext.People) {
        // The district's first branch, and the committee right below the district that holds it.
        guard let branch = try await Scope(reach: .subtree(district.path)).organizations(on: app.db)
            .filter(\.$type ~~ OrganizationType.allCases.filter(\.isBranch)).sort(\.$path).first(),
            branch.path.ids.count > 2 else { throw Refusal("演示城市的区县下没有团支部") }
        let committee = try await Scope.unrestricted.organization(branch.path.ids[2], on: app.db)
        let root = try await Scope.unrestricted.organization(district.parentID, on: app.db)
        let levels: [(String, Organization, String)] = [("团市委", root, "demo.city"), ("团区委", district, "demo.district"),
                                                        ("基层团委", committee, "demo.committee"), ("团支部", branch, "demo.branch")]
        var accounts = levels.map { _, unit, username in
            AccountWrites.NewAccount(username: username, displayName: "演示·\(unit.shortName)", kind: .administrator, unitID: unit.id!)
        }
        // And the branch's first member, to see what a member sees.
        let member = try await Scope.unrestricted.members(on: app.db).filter(\.$branchID == branch.id!).sort(\.$id).first()
        if let member, let memberID = member.id {
            accounts.append(AccountWrites.NewAccount(username: "demo.member", displayName: member.name, kind: .member, holder: .memberID(memberID)))
        }
        var memberAccountID: Int?
        for new in accounts {
            let account = try await app.writer.write(app.db) { db in
                let account = try await AccountWrites.create(new, passwordHash: hash, change, on: db)
                account.mustChangePassword = false
                try await account.save(on: db)
                return account
            }
            if account.memberID != nil { memberAccountID = account.id }
        }
        let signIns = levels.map { SignIn(level: $0.0, unit: $0.1.name, username: $0.2, password: demoPassword) }
            + (member == nil ? [] : [SignIn(level: "团员", unit: branch.name, username: "demo.member", password: demoPassword)])
        return (signIns, DemoCityContext.People(committeeID: committee.id, branchID: branch.id, memberID: member?.id, memberAccountID: memberAccountID))
    }
}
