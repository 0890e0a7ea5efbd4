import Fluent
import Foundation
import LeagueCore
import SQLKit
import Vapor

/// WE志愿服务平台 in the demo city: volunteer groups of the districts and committees, their
/// projects in every state, posts of the past months and the weeks ahead, members and the public
/// registered as volunteers, sign-ups in every state, check-ins and hours of the posts already
/// served, a few objections, identity checks and certificates. Runs after transfers and leaving,
/// so members are read as they are now.
enum VolunteeringDemo {
    /// Members registered as volunteers, as a share of a branch's members: schools most.
    static func volunteerShare(_ kind: DemoCityContext.Branch.Kind) -> Double {
        switch kind {
        case .school: 0.3
        case .enterprise: 0.2
        case .township: 0.16
        }
    }

    /// Past posts (the last four months) and upcoming ones (the next four weeks), per member of
    /// the city: a million members get about 33,000 and 6,700, with half a million sign-ups.
    static let pastPostsPerMember = 1.0 / 30
    static let upcomingPostsPerMember = 1.0 / 150
    static let rowsPerStatement = 500
    static let postsPerTransaction = 1000

    static let placesOfService = ["社区服务中心", "文化礼堂", "图书馆", "敬老院", "地铁站", "火车站", "湿地公园", "博物馆", "体育中心", "儿童福利院",
                                  "社区卫生服务中心", "滨江绿道", "新时代文明实践站", "青年之家"]
    static let postTitles: [String: [String]] = [
        "社区服务": ["社区垃圾分类督导", "社区文明劝导", "邻里节活动协助"], "扶贫济困": ["爱心义卖", "结对帮扶走访"],
        "助老助残": ["敬老院陪伴", "助老智能手机教学", "助残康复陪护"], "关爱少年儿童": ["四点半课堂辅导", "留守儿童陪伴"],
        "生态环保": ["河道巡护", "净滩行动", "植树护绿"], "文化传播": ["图书馆导读", "博物馆讲解", "非遗展演服务"],
        "大型赛会": ["马拉松赛道服务", "赛事观众引导"], "应急救援": ["应急救护培训", "防汛物资整理"], "医疗卫生": ["无偿献血引导", "义诊协助"],
        "平安综治": ["地铁站文明引导", "交通劝导"], "法律服务": ["普法宣传", "法律咨询协助"], "其他": ["志愿者招募宣传"],
    ]

    struct Summary {
        var groups = 0, projects = 0, volunteers = 0, posts = 0, signUps = 0, records = 0
    }

    static func fill(_ context: DemoCityContext, progress: @escaping @Sendable (Int, Int) -> Void) async throws {
        var random = context.random("volunteering")
        let steps = 6
        var summary = Summary()
        let projects = try await organize(context, &random, &summary)
        progress(1, steps)
        let volunteers = try await registerVolunteers(context, &random, &summary)
        progress(2, steps)
        // Into empty tables, their secondary indexes built once the rows are in.
        try await context.db.withIndexesSetAside(on: VolunteerSignUp.schema, writer: context.app.writer) {
            try await context.db.withIndexesSetAside(on: ServiceRecord.schema, writer: context.app.writer) {
                try await servePosts(context, projects: projects, volunteers: volunteers, &random, &summary) { done, total in
                    progress(2 + min(3, 3 * done / max(1, total)), steps)
                }
            }
        }
        // Last year's projects close once served, their posts leaving the public search.
        let change = context.change
        for project in projects where project.status == .closed {
            _ = try await context.app.writer.write(context.db) { db in
                try await VolunteerOrganizing.decideProject(project.id, .close, note: "项目已按计划完成", change, on: db)
            }
        }
        try await extras(context, volunteers: volunteers, &random)
        let root = context.root
        let text = "生成志愿服务演示数据：队伍 \(summary.groups) 支，项目 \(summary.projects) 个，志愿者 \(summary.volunteers) 名，"
            + "岗位 \(summary.posts) 个，报名 \(summary.signUps) 条，时长记录 \(summary.records) 条"
        try await context.app.writer.write(context.db) { db in
            try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(root), action: "volunteer.demo",
                                   entityType: "volunteer", entityID: "demo", summary: text)
        }
        progress(steps, steps)
    }

    // MARK: Groups and projects, through the part's own writes

    /// A project as the posts need it.
    struct Project: Sendable {
        let id: Int
        let unitPath: TreePath
        let title: String
        let category: String
        let districtID: Int
        let status: VolunteerProject.Status
    }

    /// A group for each district (its 青年志愿者服务总队) and for a share of the committees below it,
    /// a few still pending or refused, and each approved group's projects: most published, some
    /// of last year closed (the library), some waiting for review or refused.
    private static func organize(_ context: DemoCityContext, _ random: inout SeededRandom, _ summary: inout Summary) async throws -> [Project] {
        let change = context.change
        var committeeIDs: [Int] = []
        var seen = Set<Int>()
        for branch in context.branches where branch.path.ids.count > 3 {
            if seen.insert(branch.path.ids[2]).inserted { committeeIDs.append(branch.path.ids[2]) }
        }
        let committees = try await Scope.unrestricted.organizations(on: context.db).filter(\.$id ~~ committeeIDs).filter(\.$status == .active).all()
            .sorted { ($0.id ?? 0) < ($1.id ?? 0) }
        var projects: [Project] = []
        let year = context.today.year
        for district in context.districts {
            guard let districtID = district.id else { continue }
            let place = String(district.name.dropFirst("共青团宁波市".count).dropLast("委员会".count))
            var groups: [(group: VolunteerGroup, decision: Bool?)] = []
            let top = try await createGroup(.init(name: "\(place)青年志愿者服务总队", parentID: nil, unitID: districtID, independent: false,
                                                  contact: "0574-8\(random.int(1_000_000...9_999_999))"), approve: true, context)
            groups.append((top, true))
            for committee in committees where committee.path.ids.count > 1 && committee.path.ids[1] == districtID {
                guard random.chance(0.4), let committeeID = committee.id else { continue }
                let independent = random.chance(0.1)
                let name = independent ? "\(committee.shortName)青年公益社" : "\(committee.shortName)青年志愿服务队"
                let decision: Bool? = random.chance(0.05) ? nil : (random.chance(0.03) ? false : true)
                let group = try await createGroup(.init(name: name, parentID: top.id, unitID: committeeID, independent: independent,
                                                        contact: "1\(random.int(30...89))\(random.int(10_000_000...99_999_999))"),
                                                  approve: decision, context)
                groups.append((group, decision))
            }
            for (group, decision) in groups where decision == true {
                guard let groupID = group.id else { continue }
                for _ in 0..<random.int(1...3) {
                    let category = random.pick(VolunteerCategories.all)
                    let closed = random.chance(0.2)
                    let title = "\(closed ? year - 1 : year)年\(group.name.prefix(12))\(category)项目"
                    let draw = random.int(0...99)
                    let project = try await context.app.writer.write(context.db) { db in
                        var project = try await VolunteerOrganizing.createProject(
                            .init(groupID: groupID, title: title, category: category, summary: "围绕\(category)，组织青年志愿者常态化开展服务。",
                                  districtID: districtID, year: closed ? year - 1 : year), change, on: db)
                        guard let id = project.id else { return project }
                        if closed || draw >= 12 { project = try await VolunteerOrganizing.decideProject(id, .publish, note: nil, change, on: db) }
                        else if draw < 4 { project = try await VolunteerOrganizing.decideProject(id, .reject, note: "服务内容不够具体，请补充后重新申报", change, on: db) }
                        return project
                    }
                    guard let id = project.id else { continue }
                    summary.projects += 1
                    projects.append(Project(id: id, unitPath: project.unitPath, title: title, category: category, districtID: districtID,
                                            status: closed ? .closed : project.status))
                }
            }
            summary.groups += groups.count
        }
        return projects
    }

    private static func createGroup(_ new: VolunteerOrganizing.NewGroup, approve: Bool?, _ context: DemoCityContext) async throws -> VolunteerGroup {
        let change = context.change
        return try await context.app.writer.write(context.db) { db in
            let group = try await VolunteerOrganizing.createGroup(new, change, on: db)
            guard let approve, let id = group.id else { return group }
            return try await VolunteerOrganizing.decideGroup(id, approve: approve, note: approve ? nil : "队伍章程不完整，请补充后重新申请", change, on: db)
        }
    }

    // MARK: Volunteers

    /// Volunteers by district, for sign-ups near home; the demo member's among them.
    struct Volunteers: Sendable {
        var byDistrict: [Int: [Int]] = [:]
        var all: [Int] = []
        var demoMember: Int?
    }

    /// The demo member registers from their own account (the part's one-step registration);
    /// a share of every branch's members registered through their branch, in bulk, with the
    /// identity on their member record; people of the public through the public form.
    private static func registerVolunteers(_ context: DemoCityContext, _ random: inout SeededRandom, _ summary: inout Summary) async throws -> Volunteers {
        var volunteers = Volunteers()
        let change = context.change
        let vault = context.app.vault
        let today = context.today
        // The demo member, as they would from their account, if they are still a member.
        if let memberID = context.people.memberID, let accountID = context.people.memberAccountID,
           let member = try await Scope.unrestricted.members(on: context.db).filter(\.$id == memberID).first(), member.leftOn == nil {
            let volunteer = try await context.app.writer.write(context.db) { db in
                try await VolunteerRegistration.registerMember(member, accountID: accountID, vault: vault, today: today, change, on: db)
            }
            volunteers.demoMember = volunteer.id
            summary.volunteers += 1
        }
        // Members, registered in drives of their branches: a statement a few branches. In members'
        // order and read back in the new ids' order: the draws below pick from these lists, and
        // PostgreSQL's scan order (which the planner may change between runs) made a seed's city vary.
        var chosen: [Int] = []
        var registered = 0
        func flush(_ ids: [Int], daysAgo: Int) async throws {
            guard !ids.isEmpty else { return }
            let at = ChinaTime.startOfDay(context.day(daysAgo)).addingTimeInterval(TimeInterval(9 * 3600))
            struct Row: Decodable { let id: Int; let home_path: String }
            let rows = try await context.app.writer.write(context.db) { db in
                let rows = try await db.sql.raw("""
                    INSERT INTO volunteers (volunteer_number, name, gender, birth_date, id_sealed, id_hash, id_masked, phone, member_id,
                        account_id, home_id, home_path, total_minutes, registered_at)
                    SELECT 'pending-' || CAST(id AS TEXT), name, gender, birth_date, id_sealed, id_hash, id_masked, phone, id, NULL,
                        branch_id, branch_path, 0, \(bind: at)
                    FROM members WHERE id IN \(SQLGroupExpression(ids.map { SQLBind($0) as any SQLExpression })) AND left_on IS NULL
                    AND NOT EXISTS (SELECT 1 FROM volunteers v WHERE v.id_hash = members.id_hash)
                    ORDER BY id
                    RETURNING id, home_path
                    """).all(decoding: Row.self).sorted { $0.id < $1.id }
                try await VolunteerTotals.add(rows.count, on: db)
                // The unified number follows the row's id, as `VolunteerNumbers.volunteer(sequence:)` writes it.
                if let low = rows.map(\.id).min(), let high = rows.map(\.id).max() {
                    try await db.sql.raw("""
                        UPDATE volunteers SET volunteer_number = 'ZY3302' || substr('00000000' || CAST(id AS TEXT), length(CAST(id AS TEXT)) + 1, 8)
                        WHERE id BETWEEN \(bind: low) AND \(bind: high) AND volunteer_number LIKE 'pending-%'
                        """).run()
                }
                return rows
            }
            for row in rows {
                guard let path = TreePath(row.home_path), path.ids.count > 1 else { continue }
                volunteers.byDistrict[path.ids[1], default: []].append(row.id)
                volunteers.all.append(row.id)
            }
            registered += rows.count
        }
        // The secondary indexes (by member, account and home) are built once the drive's rows are
        // in; the checks on the ID number's hash use the table's own unique index, which stays.
        try await context.db.withIndexesSetAside(on: Volunteer.schema, writer: context.app.writer) {
            for branch in context.branches {
                guard let members = branch.members else { continue }
                let share = volunteerShare(branch.kind) * Double(random.int(50...150)) / 100
                for id in members where random.chance(share) { chosen.append(id) }
                if chosen.count >= rowsPerStatement {
                    try await flush(chosen, daysAgo: random.int(30...1500))
                    chosen = []
                }
            }
            try await flush(chosen, daysAgo: random.int(30...1500))
        }
        summary.volunteers += registered
        // People of the public, each with an account of their own, registered with a district.
        let publicCount = min(600, max(8, context.memberCount / 1500))
        let hash = context.passwordHash
        let areas = ["330102", "330106", "330302", "330402", "330502", "330602", "330702", "331002", "341302", "411323", "510722", "522121"]
        var registrations: [VolunteerRegistration.Applicant] = []
        for number in 1...publicCount {
            let male = random.chance(0.45)
            let birth = CalendarDate(year: today.year - random.int(18...45), month: random.int(1...12), day: random.int(1...28)) ?? today
            guard let residentID = try? ResidentID(DemoPeople.residentID(area: random.pick(areas), birth: birth, male: male, &random), today: today)
            else { continue }
            // Every fourth registers with the first district, whose demo administrators see their checks.
            guard !context.districts.isEmpty else { break }
            let district = number % 4 == 1 ? context.districts[0] : random.pick(context.districts)
            registrations.append(.init(name: DemoPeople.name(male: male, &random), residentID: residentID,
                                       phone: "1\(random.int(30...89))\(random.int(10_000_000...99_999_999))", districtID: district.id,
                                       username: "volunteer\(number)", passwordHash: hash))
        }
        for start in stride(from: 0, to: registrations.count, by: 100) {
            let chunk = Array(registrations[start..<min(start + 100, registrations.count)])
            let made = try await context.app.writer.write(context.db) { db in
                var made: [(Int, Int)] = []
                for applicant in chunk {
                    let account = try await VolunteerRegistration.registerPublicly(applicant, vault: vault, change, on: db)
                    if let accountID = account.id,
                       let volunteer = try await Scope.unrestricted.query(Volunteer.self, on: db).filter(\.$accountID == accountID).first(), let id = volunteer.id {
                        made.append((id, volunteer.homeID))
                    }
                }
                return made
            }
            for (id, home) in made {
                volunteers.byDistrict[home, default: []].append(id)
                volunteers.all.append(id)
            }
            summary.volunteers += made.count
        }
        return volunteers
    }

    // MARK: Posts, sign-ups and hours

    /// A post's sign-up as it stands, with its check-in and check-out.
    struct SignUpRow {
        let volunteerID: Int
        let status: SignUpStatus
        let requestedAt: Date
        let checkedIn: Date?
        let checkedOut: Date?
    }

    /// Posts of the published and closed projects, in batches: each batch's posts, their
    /// sign-ups, the hours of those served and the volunteers' totals in one transaction, each
    /// post holding exactly its accepted sign-ups (`taken`) and no volunteer more hours on a
    /// post than it lasted.
    private static func servePosts(_ context: DemoCityContext, projects: [Project], volunteers: Volunteers, _ random: inout SeededRandom,
                                   _ summary: inout Summary, progress: (Int, Int) -> Void) async throws {
        let serving = projects.filter { $0.status == .published || $0.status == .closed }
        let announced = projects.filter { $0.status == .pending }
        guard !serving.isEmpty, !volunteers.all.isEmpty else { return }
        let now = context.change.now
        let pastTotal = max(serving.count, Int(Double(context.memberCount) * pastPostsPerMember))
        let upcomingTotal = max(serving.count, Int(Double(context.memberCount) * upcomingPostsPerMember))
        // Each post, drawn in a fixed order: its project, its day, and whether it has happened.
        struct Slot { let project: Project; let day: CalendarDate }
        var slots: [Slot] = []
        for index in 0..<pastTotal {
            let project = serving[index % serving.count]
            // Last year's closed projects served last year; this year's in the last four months.
            let daysAgo = project.status == .closed ? random.int(130...300) : random.int(1...120)
            slots.append(Slot(project: project, day: context.day(daysAgo)))
        }
        let open = serving.filter { $0.status == .published }
        for index in 0..<(open.isEmpty ? 0 : upcomingTotal) {
            slots.append(Slot(project: open[index % open.count], day: context.day(-random.int(1...28))))
        }
        for (index, project) in announced.enumerated() where index < 200 {
            slots.append(Slot(project: project, day: context.day(-random.int(7...40))))
        }
        var demoPosts = 0
        for start in stride(from: 0, to: slots.count, by: postsPerTransaction) {
            let batch = slots[start..<min(start + postsPerTransaction, slots.count)]
            var posts: [(post: PostRow, signUps: [SignUpRow])] = []
            for slot in batch {
                let startMinute = random.int(16...28) * 30
                let startsAt = ChinaTime.startOfDay(slot.day).addingTimeInterval(TimeInterval(startMinute * 60))
                let endsAt = startsAt.addingTimeInterval(TimeInterval(random.int(4...8) * 30 * 60))
                let titles = postTitles[slot.project.category] ?? ["志愿服务"]
                let post = PostRow(projectID: slot.project.id, unitPath: slot.project.unitPath, title: random.pick(titles),
                                   category: slot.project.category, place: random.pick(placesOfService), districtID: slot.project.districtID,
                                   day: slot.day.description, startsAt: startsAt, endsAt: endsAt, capacity: random.int(1...6) * 5,
                                   needsApproval: random.chance(0.4), published: slot.project.status != .pending,
                                   secret: (0..<4).map { _ in String(format: "%08x", random.int(0...Int(UInt32.max))) }.joined())
                let pool = volunteers.byDistrict[slot.project.districtID] ?? volunteers.all
                var signUps = signUpsFor(post, pool: pool.isEmpty ? volunteers.all : pool, everyone: volunteers.all, now: now, &random)
                // The demo member serves now and then, and has a post ahead.
                if let demo = volunteers.demoMember, slot.project.status == .published, demoPosts < 6,
                   !signUps.contains(where: { $0.volunteerID == demo }), random.chance(0.02) || (demoPosts < 2 && post.startsAt < now && random.chance(0.3)) {
                    if let row = demoSignUp(demo, post: post, taken: signUps.filter { $0.status == .accepted }.count, now: now) {
                        signUps.append(row)
                        demoPosts += 1
                    }
                }
                posts.append((post, signUps))
            }
            let written = try await write(posts, context)
            summary.posts += posts.count
            summary.signUps += written.signUps
            summary.records += written.records
            progress(start + batch.count, slots.count)
        }
    }

    struct PostRow: Sendable {
        let projectID: Int
        let unitPath: TreePath
        let title: String
        let category: String
        let place: String
        let districtID: Int
        let day: String
        let startsAt: Date
        let endsAt: Date
        let capacity: Int
        let needsApproval: Bool
        let published: Bool
        let secret: String

        var minutes: Int { Int(endsAt.timeIntervalSince(startsAt) / 60) }
    }

    /// The sign-ups of one post, in the order they came: places go to the first accepted, the
    /// rest wait (a post without approval) or wait for the organiser (with approval); some are
    /// refused or cancelled. A post already served has its check-ins and check-outs, a few
    /// no-shows and a few who forgot to check out.
    private static func signUpsFor(_ post: PostRow, pool: [Int], everyone: [Int], now: Date, _ random: inout SeededRandom) -> [SignUpRow] {
        let happened = post.endsAt < now
        let demand = max(1, post.capacity * random.int(40...130) / 100)
        var picked = Set<Int>()
        var rows: [SignUpRow] = []
        var taken = 0
        for _ in 0..<demand {
            let volunteer = random.chance(0.85) ? random.pick(pool) : random.pick(everyone)
            guard picked.insert(volunteer).inserted else { continue }
            let requestedAt = post.startsAt.addingTimeInterval(-TimeInterval(random.int(2...20 * 24) * 3600))
            guard requestedAt < now else { continue }
            var status: SignUpStatus
            if random.chance(0.08) {
                status = .cancelled
            } else if post.needsApproval && random.chance(happened ? 0.08 : 0.25) {
                // The organiser refused, or (ahead) has not yet decided.
                status = happened || random.chance(0.3) ? .rejected : .applied
            } else {
                status = taken < post.capacity ? .accepted : .waiting
            }
            if status == .accepted { taken += 1 }
            var checkedIn: Date?
            var checkedOut: Date?
            if status == .accepted && happened && random.chance(0.92) {
                checkedIn = post.startsAt.addingTimeInterval(TimeInterval(random.int(-40...(random.chance(0.1) ? 50 : 5)) * 60))
                // A few forget to check out: the organiser enters their hours.
                if !random.chance(0.05) {
                    checkedOut = post.endsAt.addingTimeInterval(TimeInterval(random.int((random.chance(0.1) ? -60 : 0)...25) * 60))
                }
            }
            rows.append(SignUpRow(volunteerID: volunteer, status: status, requestedAt: requestedAt, checkedIn: checkedIn, checkedOut: checkedOut))
        }
        return rows
    }

    private static func demoSignUp(_ volunteer: Int, post: PostRow, taken: Int, now: Date) -> SignUpRow? {
        let requestedAt = post.startsAt.addingTimeInterval(-3 * 86_400)
        guard requestedAt < now, taken < post.capacity else { return nil }
        let happened = post.endsAt < now
        return SignUpRow(volunteerID: volunteer, status: happened || !post.needsApproval ? .accepted : .applied, requestedAt: requestedAt,
                         checkedIn: happened ? post.startsAt.addingTimeInterval(-600) : nil,
                         checkedOut: happened ? post.endsAt.addingTimeInterval(300) : nil)
    }

    /// One batch in one transaction: posts, sign-ups, hours, and the totals they add to.
    private static func write(_ posts: [(post: PostRow, signUps: [SignUpRow])], _ context: DemoCityContext) async throws -> (signUps: Int, records: Int) {
        let recorder = context.change.actor.name
        return try await context.app.writer.write(context.db) { db in
            struct Inserted: Decodable { let id: Int; let code_secret: String }
            var ids: [String: Int] = [:]
            for start in stride(from: 0, to: posts.count, by: rowsPerStatement) {
                var insert = db.sql.insert(into: VolunteerPost.schema).columns(
                    "project_id", "unit_path", "title", "category", "place", "district_id", "requirements", "day", "starts_at", "ends_at",
                    "capacity", "taken", "needs_approval", "published", "code_secret")
                for (post, signUps) in posts[start..<min(start + rowsPerStatement, posts.count)] {
                    insert = insert.values([
                        SQLBind(post.projectID), SQLBind(post.unitPath.value), SQLBind(post.title), SQLBind(post.category), SQLBind(post.place),
                        SQLBind(post.districtID), SQLBind("年满16周岁，身体健康，服从现场安排"), SQLBind(post.day), SQLBind(post.startsAt),
                        SQLBind(post.endsAt), SQLBind(post.capacity), SQLBind(signUps.filter { $0.status == .accepted }.count),
                        SQLBind(post.needsApproval), SQLBind(post.published), SQLBind(post.secret),
                    ] as [any SQLExpression])
                }
                for row in try await insert.returning("id", "code_secret").all(decoding: Inserted.self) { ids[row.code_secret] = row.id }
            }
            let signUpColumns = ["post_id", "volunteer_id", "unit_path", "status", "requested_at", "checked_in_at", "checked_out_at"]
            let recordColumns = ["volunteer_id", "post_id", "unit_path", "kind", "minutes", "served_on", "content", "reason", "recorded_by", "recorded_at"]
            var signUpRows: [BulkRows] = [], recordRows: [BulkRows] = []
            var signUpCount = 0, recordCount = 0
            var totals: [Int: Int] = [:]
            for (post, signUps) in posts {
                guard let postID = ids[post.secret] else { continue }
                for signUp in signUps {
                    if signUpCount % rowsPerStatement == 0 { signUpRows.append(BulkRows(into: VolunteerSignUp.schema, columns: signUpColumns)) }
                    signUpRows[signUpRows.count - 1].append(.init(postID), .init(signUp.volunteerID), .init(post.unitPath.value), .init(signUp.status.rawValue),
                                                            .init(signUp.requestedAt), .init(signUp.checkedIn), .init(signUp.checkedOut))
                    signUpCount += 1
                    guard let checkedIn = signUp.checkedIn else { continue }
                    // Credit hours from check-in and check-out, only inside the slot; honour hours,
                    // with the organiser's reason, for one who forgot to check out.
                    let kind: ServiceRecord.Kind = signUp.checkedOut == nil ? .honor : .credit
                    let minutes = signUp.checkedOut.map {
                        ServiceTime.creditMinutes(checkIn: checkedIn, checkOut: $0, slotStart: post.startsAt, slotEnd: post.endsAt)
                    } ?? post.minutes
                    guard minutes > 0 else { continue }
                    if recordCount % rowsPerStatement == 0 { recordRows.append(BulkRows(into: ServiceRecord.schema, columns: recordColumns)) }
                    recordRows[recordRows.count - 1].append(.init(signUp.volunteerID), .init(postID), .init(post.unitPath.value), .init(kind.rawValue),
                                                            .init(minutes), .init(post.day), .init(post.title),
                                                            .init(kind == .honor ? "未签退，经现场负责人核实补录" : nil), .init(recorder),
                                                            .init(signUp.checkedOut ?? post.endsAt.addingTimeInterval(86_400)))
                    recordCount += 1
                    totals[signUp.volunteerID, default: 0] += minutes
                }
            }
            try await db.runOverlapping(signUpRows + recordRows) { $0 }
            // Each volunteer's total moves with their records (`ServiceHours`), here a batch at once.
            let changes = totals.sorted { $0.key < $1.key }
            for start in stride(from: 0, to: changes.count, by: rowsPerStatement) {
                let values = SQLList(changes[start..<min(start + rowsPerStatement, changes.count)].map {
                    SQLGroupExpression([SQLBind($0.key), SQLBind($0.value)] as [any SQLExpression])
                })
                try await db.sql.raw("""
                    UPDATE volunteers SET total_minutes = total_minutes + d.column2 FROM (VALUES \(values)) AS d WHERE volunteers.id = d.column1
                    """).run()
            }
            return (signUpCount, recordCount)
        }
    }

    // MARK: Objections, identity checks, certificates

    /// A few of what a working platform also holds: objections to records (open and decided),
    /// public registrations repeating an ID number already registered (checks pending and
    /// decided), and certificates issued by the city for volunteers with hours.
    private static func extras(_ context: DemoCityContext, volunteers: Volunteers, _ random: inout SeededRandom) async throws {
        let db = context.db
        let change = context.change
        let vault = context.app.vault
        let today = context.today
        guard let rootID = context.root.id else { return }
        // The city answers objections and certifies as an administrator of the city would.
        let city = ChangeContext(scope: Scope(reach: .subtree(context.root.path)), actor: change.actor, now: change.now)
        // Registrations repeating a registered number: the first district's, checked by its units.
        let firstDistrict = context.districts.first?.id ?? rootID
        let repeated = try await Scope.unrestricted.query(Volunteer.self, on: db).filter(\.$memberID == nil).filter(\.$homeID == firstDistrict)
            .sort(\.$id).range(0..<4).all()
        let hash = context.passwordHash
        var checkIDs: [Int] = []
        for (index, volunteer) in repeated.enumerated() {
            guard let residentID = try? ResidentID(try vault.open(volunteer.idSealed), today: today) else { continue }
            let applicant = VolunteerRegistration.Applicant(name: volunteer.name, residentID: residentID, phone: volunteer.phone,
                                                            districtID: firstDistrict, username: "volunteer.again\(index + 1)", passwordHash: hash)
            let account = try await context.app.writer.write(db) { db in
                try await VolunteerRegistration.registerPublicly(applicant, vault: vault, change, on: db)
            }
            if let check = try await Scope.unrestricted.identityChecks(on: db).filter(\.$accountID == (account.id ?? -1)).first(), let id = check.id {
                checkIDs.append(id)
            }
        }
        for (index, id) in checkIDs.enumerated() where index < 2 {
            _ = try await context.app.writer.write(db) { db in
                try await VolunteerIdentity.decide(id, grant: index == 0, note: index == 0 ? "本人持身份证到场核实" : "非本人注册，已告知申请人", city, on: db)
            }
        }
        // A registration made on the public form with a member's number, for the member to take up.
        if let run = context.branches.first?.members {
            let unregistered = try await Scope.unrestricted.members(on: db).filter(\.$id >= run.lowerBound).filter(\.$id <= run.upperBound)
                .filter(\.$leftOn == nil).sort(\.$id).all()
            for member in unregistered.dropFirst() {
                guard try await Scope.unrestricted.query(Volunteer.self, on: db).filter(\.$idHash == member.idHash).count() == 0,
                      let residentID = try? ResidentID(try vault.open(member.idSealed), today: today) else { continue }
                let applicant = VolunteerRegistration.Applicant(name: member.name, residentID: residentID, phone: member.phone,
                                                                districtID: firstDistrict, username: "volunteer.member\(member.id ?? 0)",
                                                                passwordHash: hash)
                _ = try await context.app.writer.write(db) { db in
                    try await VolunteerRegistration.registerPublicly(applicant, vault: vault, change, on: db)
                }
                break
            }
        }
        // Objections: to the demo member's records first, then to a spread of others.
        var records = try await Scope.unrestricted.query(ServiceRecord.self, on: db).filter(\.$kind == .credit).sort(\.$id).range(0..<2000).all()
        if let demo = volunteers.demoMember {
            records = try await Scope.unrestricted.query(ServiceRecord.self, on: db).filter(\.$volunteerID == demo).sort(\.$id).all() + records
        }
        let disputes = min(records.count, max(3, context.memberCount / 20_000))
        let reasons = ["签退时间记录有误，实际服务至活动结束", "当天提前到岗参与布置，时长偏少", "签到时手机没有信号，补签晚了"]
        var seen = Set<Int>()
        var made = 0
        for record in records where made < disputes {
            guard let recordID = record.id, seen.insert(recordID).inserted,
                  let post = try await Scope.unrestricted.query(VolunteerPost.self, on: db).filter(\.$id == record.postID).first() else { continue }
            let reason = random.pick(reasons)
            let outcome = made % 3
            let room = post.minutes - record.minutes
            try await context.app.writer.write(db) { db in
                let dispute = ServiceDispute()
                dispute.recordID = recordID
                dispute.volunteerID = record.volunteerID
                dispute.unitPath = record.unitPath
                dispute.reason = reason
                dispute.status = .open
                dispute.createdAt = change.now.addingTimeInterval(-86_400)
                try await dispute.create(on: db)
                guard let id = dispute.id, outcome > 0 else { return }
                // One stands, one is corrected by honour hours beside the credit hours, when the slot leaves room.
                _ = try await ServiceHours.resolve(disputeID: id, correctedMinutes: outcome == 2 && room > 0 ? room : nil,
                                                   reply: outcome == 2 && room > 0 ? "经核实，按活动时长补录" : "经核对签到记录，维持原记录", city, on: db)
            }
            made += 1
        }
        // Certificates issued by the city, the demo member's among them.
        var holders = try await Scope.unrestricted.query(Volunteer.self, on: db).filter(\.$totalMinutes > 0).sort(\.$id).range(0..<max(5, context.memberCount / 10_000)).all()
        if let demo = volunteers.demoMember, let own = try await Scope.unrestricted.query(Volunteer.self, on: db).filter(\.$id == demo).filter(\.$totalMinutes > 0).first() {
            holders.insert(own, at: 0)
        }
        for volunteer in holders.prefix(120) {
            let draw = random.int(0...99_999_999)
            try await context.app.writer.write(db) { db in
                try await certify(volunteer, random: draw, by: context.root, city, on: db)
            }
        }
    }

    /// A certificate as `Certificates.issue` writes it, its random digits from the demo's stream.
    private static func certify(_ volunteer: Volunteer, random: Int, by issuer: Organization, _ change: ChangeContext, on db: any Database) async throws {
        guard let volunteerID = volunteer.id else { return }
        let records = try await Scope.unrestricted.query(ServiceRecord.self, on: db).filter(\.$volunteerID == volunteerID).all()
        let minutes = records.reduce(0) { $0 + $1.minutes }
        guard minutes > 0 else { return }
        var seen = Set<String>()
        let content = records.sorted { $0.servedOn < $1.servedOn }.map(\.content).filter { seen.insert($0).inserted }.joined(separator: "、")
        let certificate = VolunteerCertificate()
        certificate.number = "pending-" + UUID().uuidString
        certificate.volunteerID = volunteerID
        certificate.unitPath = issuer.path
        certificate.issuerName = issuer.name
        certificate.personInCharge = "王建华"
        certificate.handler = change.actor.name
        certificate.contact = "0574-87000000"
        certificate.minutes = minutes
        certificate.content = String(content.prefix(300))
        certificate.issuedOn = ChinaTime.dateString(change.now)
        try await certificate.create(on: db)
        guard let id = certificate.id, let issued = CalendarDate(certificate.issuedOn) else { return }
        certificate.number = VolunteerNumbers.certificate(year: issued.year, sequence: id, random: random)
        try await certificate.save(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(issuer),
                               action: "volunteer_certificate.issue", entityType: "volunteer_certificate", entityID: String(id),
                               summary: "为\(volunteer.name)（\(volunteer.volunteerNumber)）出具志愿服务证明 \(certificate.number)")
    }
}
