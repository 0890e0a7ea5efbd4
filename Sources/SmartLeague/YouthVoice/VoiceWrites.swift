import Fluent
import LeagueCore
import SQLKit
import Vapor

/// The policy data the deadlines are counted with: the working calendar the city entered and the
/// deadlines it set.
enum VoicePolicyData {
    static func calendar(on db: any Database) async throws -> WorkingCalendar {
        let days = try await WorkingCalendarDay.query(on: db).all()
        return WorkingCalendar(holidays: Set(days.filter { $0.kind == .holiday }.compactMap { CalendarDate($0.day) }),
                               makeUpWorkdays: Set(days.filter { $0.kind == .workday }.compactMap { CalendarDate($0.day) }))
    }

    static func policy(on db: any Database) async throws -> VoicePolicy {
        try await VoicePolicyRow.query(on: db).sort(\.$id).first()?.policy ?? .standard
    }
}

/// Where a new item goes: the city's rule for its district and category, else for its district,
/// else the district's own committee (or the city, for an item of the whole city).
enum VoiceRouting {
    static func unit(district: Organization, categoryID: Int, on db: any Database) async throws -> Organization {
        var found: [Int: Organization?] = [:]
        return try await unit(district: district, categoryID: categoryID, rules: try await VoiceRoutingRule.query(on: db).all(), found: &found, on: db)
    }

    /// With the rules already read, and the units of rules already looked up in `found`.
    static func unit(district: Organization, categoryID: Int, rules: [VoiceRoutingRule], found: inout [Int: Organization?],
                     on db: any Database) async throws -> Organization {
        guard let districtID = district.id else { return district }
        let own = rules.filter { $0.districtID == districtID }
        guard let chosen = own.first(where: { $0.categoryID == categoryID }) ?? own.first(where: { $0.categoryID == nil }) else { return district }
        if found[chosen.unitID] == nil {
            found[chosen.unitID] = .some(try await Scope.unrestricted.organizations(on: db).filter(\.$id == chosen.unitID).filter(\.$status == .active).first())
        }
        // A rule whose unit has since closed or left the district falls back to the district.
        if let unit = found[chosen.unitID] ?? nil, district.path.contains(unit.path) { return unit }
        return district
    }
}

/// The writes of 青年之声, each in the caller's transaction and audited.
enum VoiceWrites {
    /// What a young person submits.
    struct Question: Sendable {
        let categoryID: Int
        let districtID: Int
        let title: String
        let body: String
        let phone: String?
        let mayPublish: Bool
        let anonymous: Bool
        /// A photo of what the question is about, seen by the asker and the units handling it.
        var photo: Upload? = nil
    }

    /// The asker: a signed-in account, or a light account opened with the question.
    struct Asker: Sendable {
        let accountID: Int
        let name: String
    }

    static func ask(_ question: Question, by asker: Asker, today: CalendarDate, _ change: ChangeContext,
                    on db: any Database) async throws -> VoiceItem {
        try await ask([Asking(question: question, asker: asker, today: today, change: change)], on: db)[0].get()
    }

    /// One question as it arrives, with who asks and when.
    struct Asking: Sendable {
        let question: Question
        let asker: Asker
        let today: CalendarDate
        let change: ChangeContext
    }

    /// Questions asked at the same moment, filed in the caller's transaction: the categories,
    /// districts, routing rules, deadlines and calendar are read once for all of them, each item
    /// is stored with its hop and audit entry, and the kept counts move once. A question the rules
    /// refuse (a retired category, a district that is not one) gets its refusal; the others are
    /// filed all the same.
    static func ask(_ askings: [Asking], on db: any Database) async throws -> [Result<VoiceItem, Refusal>] {
        let categories = try await VoiceCategory.query(on: db).filter(\.$active == true).all()
        let places = try await Organization.cityAndDistricts(on: db)
        let rules = try await VoiceRoutingRule.query(on: db).all()
        let policy = try await VoicePolicyData.policy(on: db)
        let calendar = try await VoicePolicyData.calendar(on: db)
        var routedUnits: [Int: Organization?] = [:]
        var results: [Result<VoiceItem, Refusal>] = []
        var filed: [(item: VoiceItem, asking: Asking)] = []
        for asking in askings {
            let question = asking.question, change = asking.change
            guard let category = categories.first(where: { $0.id == question.categoryID }), let categoryID = category.id else {
                results.append(.failure(Refusal("请选择问题类别", field: "category")))
                continue
            }
            guard let district = places.first(where: { $0.id == question.districtID }), let districtID = district.id else {
                results.append(.failure(Refusal("请选择所在区县（市）", field: "district")))
                continue
            }
            let unit = try await VoiceRouting.unit(district: district, categoryID: categoryID, rules: rules, found: &routedUnits, on: db)
            let due = policy.deadlines(receivedOn: asking.today, calendar: calendar)
            let item = VoiceItem()
            item.number = "pending-" + UUID().uuidString
            item.askerAccountID = asking.asker.accountID
            item.askerName = asking.asker.name
            item.askerPhone = question.phone
            item.categoryID = categoryID
            item.category = category.name
            item.districtID = districtID
            item.unitID = unit.id ?? districtID
            item.unitPath = unit.path
            item.unitName = unit.name
            item.title = question.title
            item.body = question.body
            item.mayPublish = question.mayPublish
            item.anonymous = question.anonymous
            item.status = .submitted
            item.submittedAt = change.now
            item.acceptDue = due.accept.description
            item.answerDue = due.answer.description
            item.published = false
            item.reopened = 0
            // The insert below gives the same item its id and number.
            filed.append((item, asking))
            results.append(.success(item))
        }
        // A burst files a few hundred questions a batch: each table gets one statement for all of
        // them rather than one per question, so the single writer of SQLite is held for less.
        try await VoiceItemRows.insert(filed.map(\.item), days: filed.map(\.asking.today), on: db)
        var hops: [VoiceHop] = []
        var entries: [Audit.Entry] = []
        var totals = SubtreeTotals.Changes()
        for filed in filed {
            let item = filed.item, change = filed.asking.change
            guard let id = item.id else { throw Abort(.internalServerError) }
            if let photo = filed.asking.question.photo {
                _ = try await Attachments.store(photo, ownerType: VoiceItem.photoOwner, ownerID: id, change, on: db)
            }
            hops.append(hop(item, .routed, reason: nil, change))
            totals.add([1], key: [VoiceStatus.submitted.rawValue], at: item.unitPath)
            entries.append(Audit.Entry(actor: change.actor, at: change.now, unit: AuditUnit(id: item.unitID, path: item.unitPath),
                                       action: "voice.ask", entityType: "voice_item", entityID: String(id),
                                       summary: "收到青年之声诉求 \(item.number)（\(item.category)），分派至\(item.unitName)"))
        }
        try await VoiceItemRows.insert(hops, on: db)
        try await Audit.recordMany(entries, on: db)
        try await VoiceTotals.byStatus.apply(totals, on: db)
        return results
    }

    /// QS, the day received and the row's id: unique, and tells the asker nothing about others.
    static func number(id: Int, day: CalendarDate) -> String {
        String(format: "QS%04d%02d%02d%06d", day.year, day.month, day.day, id)
    }

    /// A light account (青年) opened on the spot for a young person who has none, in their district.
    struct LightAccount: Sendable {
        let username: String
        let passwordHash: String
        let name: String
    }

    static func askWithNewAccount(_ question: Question, account light: LightAccount, today: CalendarDate, _ change: ChangeContext,
                                  on db: any Database) async throws -> VoiceItem {
        let account = try await openLightAccount(light, districtID: question.districtID, change, on: db)
        return try await ask(question, by: Asker(accountID: account, name: light.name), today: today, change, on: db)
    }

    /// Opens the light account in the district the young person chose; its id.
    static func openLightAccount(_ light: LightAccount, districtID: Int, _ change: ChangeContext, on db: any Database) async throws -> Int {
        guard let home = try await Organization.cityAndDistricts(on: db).first(where: { $0.id == districtID }), let homeID = home.id else {
            throw Refusal("请选择所在区县（市）", field: "district")
        }
        if try await Scope.unrestricted.accounts(on: db).filter(\.$username == light.username).count() > 0 {
            throw Refusal("用户名「\(light.username)」已被使用，请换一个", field: "username")
        }
        let account = Account()
        account.username = light.username
        account.displayName = light.name
        account.passwordHash = light.passwordHash
        account.kind = .youth
        account.organizationID = homeID
        account.mustChangePassword = false
        account.disabled = false
        try await account.create(on: db)
        guard let accountID = account.id else { throw Abort(.internalServerError) }
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(home),
                               action: "account.create", entityType: "account", entityID: String(accountID),
                               summary: "\(light.name)在青年之声提问时创建\(account.kind.label)账号 \(light.username)",
                               changes: FieldChange.created(["用户名": light.username, "姓名": light.name, "类型": account.kind.label]))
        return accountID
    }

    /// The item in the caller's reach, its row locked for the step (PostgreSQL), or 404.
    private static func open(_ id: Int, _ change: ChangeContext, on db: any Database) async throws -> VoiceItem {
        // Under the row's lock a cadre acting at the same moment has finished first.
        if db.isPostgres { try await db.sql.raw("SELECT id FROM voice_items WHERE id = \(bind: id) FOR UPDATE").run() }
        return try await change.scope.find(VoiceItem.self, id, on: db)
    }

    static func accept(_ id: Int, _ change: ChangeContext, on db: any Database) async throws -> VoiceItem {
        let item = try await open(id, change, on: db)
        do { try VoiceSteps.accept(item.status) } catch { throw Refusal(error.message) }
        item.status = .accepted
        item.acceptedAt = change.now
        try await item.save(on: db)
        try await VoiceTotals.moved(from: (.submitted, item.unitPath), to: (.accepted, item.unitPath), on: db)
        try await audit(item, "voice.accept", "受理诉求 \(item.number)", change, on: db)
        return item
    }

    /// The answer, once: a second cadre answering the same item at the same moment is refused and
    /// sees the first answer. Published when the asker allowed it and the cadre chooses to.
    static func answer(_ id: Int, text: String, publish: Bool, _ change: ChangeContext, on db: any Database) async throws -> VoiceItem {
        let item = try await open(id, change, on: db)
        do { try VoiceSteps.answer(item.status) } catch { throw Refusal(error.message) }
        // The status moves only from an open one, so of two answers at once one changes a row.
        let openStatuses = [VoiceStatus.submitted.rawValue, VoiceStatus.accepted.rawValue]
        let changed = try await db.sql.raw("""
            UPDATE voice_items SET status = \(bind: VoiceStatus.answered.rawValue), answer = \(bind: text), answered_by = \(bind: change.actor.name),
                answered_at = \(bind: change.now), accepted_at = COALESCE(accepted_at, \(bind: change.now)),
                published = \(bind: publish && item.mayPublish)
            WHERE id = \(bind: id) AND status IN (\(binds: openStatuses)) RETURNING id
            """).all()
        guard !changed.isEmpty else { throw Refusal("该诉求已由他人答复，请查看已有的答复") }
        let answered = try await change.scope.find(VoiceItem.self, id, on: db)
        try await VoiceTotals.moved(from: (item.status, item.unitPath), to: (.answered, answered.unitPath), on: db)
        try await audit(answered, "voice.answer", "答复诉求 \(answered.number)\(answered.published ? "，并公开" : "")", change, on: db)
        return answered
    }

    /// Passing on: down to a unit below the item's unit, or back up to the unit above it (with a
    /// reason), within the caller's reach. The acceptance deadline starts again at the new unit;
    /// the answer deadline stays.
    static func pass(_ id: Int, to unitID: Int, reason: String?, today: CalendarDate, _ change: ChangeContext,
                     on db: any Database) async throws -> VoiceItem {
        let item = try await open(id, change, on: db)
        do { try VoiceSteps.pass(item.status) } catch { throw Refusal(error.message) }
        guard unitID != item.unitID else { throw Refusal("请选择另一个单位", field: "unit") }
        // Back up goes to the unit directly above, which may lie beyond the caller's reach; down
        // to any active unit below, within it.
        let up = item.unitPath.parent?.ids.last == unitID
        let target: Organization
        if up {
            guard let above = try await Scope.unrestricted.organizations(on: db).filter(\.$id == unitID).filter(\.$status == .active).first() else {
                throw Refusal("上级单位不存在", field: "unit")
            }
            guard !(reason ?? "").isEmpty else { throw Refusal("退回上级请说明理由", field: "reason") }
            target = above
        } else {
            guard let below = try? await change.scope.activeOrganization(unitID, on: db), item.unitPath.contains(below.path) else {
                throw Refusal("只能转给本单位的下级，或退回上一级", field: "unit")
            }
            target = below
        }
        let down = !up
        let due = try await VoicePolicyData.policy(on: db).deadlines(receivedOn: today, calendar: try await VoicePolicyData.calendar(on: db))
        try await VoiceTotals.moved(from: (item.status, item.unitPath), to: (.submitted, target.path), on: db)
        item.unitID = target.id ?? item.unitID
        item.unitPath = target.path
        item.unitName = target.name
        item.status = .submitted
        item.acceptedAt = nil
        item.acceptDue = min(due.accept, item.answerDueDay ?? due.accept).description
        // The new unit answers for it now; overdue there, it is reported above it.
        item.escalatedUnitID = nil
        item.escalatedAt = nil
        try await item.save(on: db)
        try await hop(item, down ? .passedDown : .passedUp, reason: reason, change, on: db)
        try await audit(item, "voice.pass", "诉求 \(item.number)\(down ? "转" : "退回")\(target.name)\(reason.map { "：\($0)" } ?? "")", change, on: db)
        return item
    }

    /// The asker's rating; a dissatisfied asker may reopen (once, by policy): the item goes back
    /// to the same unit with new deadlines.
    static func rate(_ id: Int, _ rating: VoiceRating, reopen: Bool, askerAccountID: Int, today: CalendarDate, _ change: ChangeContext,
                     on db: any Database) async throws -> VoiceItem {
        // Locked first (PostgreSQL): a rating sent twice at once counts once.
        if db.isPostgres { try await db.sql.raw("SELECT id FROM voice_items WHERE id = \(bind: id) FOR UPDATE").run() }
        guard let item = try await VoiceScope.asked(by: askerAccountID, on: db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        let policy = try await VoicePolicyData.policy(on: db)
        let next: VoiceStatus
        do { next = try VoiceSteps.rate(item.status, rating, reopen: reopen, reopenedBefore: item.reopened, policy: policy) }
        catch { throw Refusal(error.message, field: "rating") }
        try await VoiceTotals.moved(from: (item.status, item.unitPath), to: (next, item.unitPath), on: db)
        item.rating = rating
        item.status = next
        if next == .accepted {
            let due = policy.deadlines(receivedOn: today, calendar: try await VoicePolicyData.calendar(on: db))
            item.reopened += 1
            item.acceptDue = due.accept.description
            item.answerDue = due.answer.description
            item.acceptedAt = change.now
            item.published = false
            item.escalatedUnitID = nil
            item.escalatedAt = nil
            try await item.save(on: db)
            try await hop(item, .reopened, reason: "评价：\(rating.label)", change, on: db)
        } else {
            try await item.save(on: db)
        }
        try await audit(item, "voice.rate", "提问人评价诉求 \(item.number)：\(rating.label)\(next == .accepted ? "，要求重新办理" : "")", change, on: db)
        return item
    }

    /// Open items past a deadline are reported to the unit above (督办), once per deadline: the
    /// unit keeps the item, the level above sees it on its list of overdue items below.
    static func escalateOverdue(today: CalendarDate, _ change: ChangeContext, on db: any Database) async throws -> Int {
        // A few hundred a run: a backlog is worked through over the following runs.
        let due = try await Scope.unrestricted.query(VoiceItem.self, on: db).filter(\.$status ~~ [.submitted, .accepted]).filter(\.$escalatedAt == nil)
            .filter(\.$answerDue < today.description).sort(\.$answerDue).range(0..<500).all()
        let late = try await Scope.unrestricted.query(VoiceItem.self, on: db).filter(\.$status == .submitted).filter(\.$escalatedAt == nil)
            .filter(\.$acceptDue < today.description).sort(\.$acceptDue).range(0..<500).all()
        var seen = Set<Int>()
        var count = 0
        // The units above, read once for all their items.
        let aboveIDs = Set((due + late).compactMap { $0.unitPath.parent?.ids.last })
        let units = try await Scope.unrestricted.organizations(on: db).filter(\.$id ~~ aboveIDs).all()
        let unitsAbove = Dictionary(units.compactMap { unit in unit.id.map { ($0, unit) } }, uniquingKeysWith: { first, _ in first })
        for item in due + late {
            guard let id = item.id, seen.insert(id).inserted, item.isOverdue(today: today) else { continue }
            guard let aboveID = item.unitPath.parent?.ids.last, let unitAbove = unitsAbove[aboveID] else { continue }
            item.escalatedUnitID = aboveID
            item.escalatedAt = change.now
            try await item.save(on: db)
            try await hop(item, .escalated, reason: "超过\(item.status == .submitted ? "受理" : "答复")期限", change, on: db, toUnitName: unitAbove.name)
            try await audit(item, "voice.escalate", "诉求 \(item.number) 逾期，上报\(unitAbove.name)督办", change, on: db)
            count += 1
        }
        return count
    }

    private static func hop(_ item: VoiceItem, _ kind: VoiceHop.Kind, reason: String?, _ change: ChangeContext, on db: any Database,
                            toUnitName: String? = nil) async throws {
        try await hop(item, kind, reason: reason, change, toUnitName: toUnitName).create(on: db)
    }

    private static func hop(_ item: VoiceItem, _ kind: VoiceHop.Kind, reason: String?, _ change: ChangeContext,
                            toUnitName: String? = nil) -> VoiceHop {
        let hop = VoiceHop()
        hop.itemID = item.id ?? 0
        hop.kind = kind
        hop.toUnitName = toUnitName ?? item.unitName
        hop.reason = reason
        // Routing is the city's rules at work, whoever sent the question.
        hop.actorName = kind == .routed ? "系统（按分派规则）" : change.actor.name
        hop.at = change.now
        return hop
    }

    private static func audit(_ item: VoiceItem, _ action: String, _ summary: String, _ change: ChangeContext, on db: any Database) async throws {
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: item.unitID, path: item.unitPath),
                               action: action, entityType: "voice_item", entityID: String(item.id ?? 0), summary: summary)
    }
}
