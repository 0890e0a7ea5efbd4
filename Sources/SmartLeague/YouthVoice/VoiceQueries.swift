import Fluent
import LeagueCore
import SQLKit
import Vapor

/// What the pages of 青年之声 read.
enum VoiceQueries {
    static let pageSize = 20
    static let overdueShown = 50

    /// A unit's queue: one status at a time, nearest deadline first, with the count of each status.
    struct Queue {
        let items: [Listed]
        let total: Int
        let counts: [VoiceStatus: Int]
        let overdue: [Listed]
        /// Overdue items of the units below reported to the caller's own unit (督办).
        let escalated: [Listed]
    }

    /// An item as a list row shows it (`VoiceRow`).
    struct Listed {
        let id: Int
        let number: String
        let title: String
        let category: String
        let unitName: String
        let status: VoiceStatus
        let submittedAt: Date
        let acceptDue: String
        let answerDue: String
        let reopened: Int

        func isOverdue(today: CalendarDate) -> Bool {
            VoiceItem.isOverdue(status, acceptDue: acceptDue, answerDue: answerDue, today: today)
        }
    }

    static func queue(status: VoiceStatus, page: Int, unitID: Int, today: CalendarDate, scope: Scope, on db: any Database) async throws -> Queue {
        let byStatus = try await VoiceTotals.counts(of: unitID, on: db)
        let tab = byStatus[status] ?? 0
        var list = scope.query(VoiceItem.self, on: db, condition(tab)).filter(\.$status == status)
        list = status.isOpen ? list.sort(\.$answerDue).sort(\.$id) : list.sort(\.$answeredAt, .descending).sort(\.$id, .descending)
        let items = try await listed(list.range(((page - 1) * pageSize)..<(page * pageSize)))
        let open = (byStatus[.submitted] ?? 0) + (byStatus[.accepted] ?? 0)
        let overdue = try await overdueItems(today: today, scope: scope, condition(open), on: db)
        // Reported items are found by the unit they were reported to: the subtree condition written
        // so that SQLite does not take the path index and read every open item below the unit.
        let escalated = try await listed(scope.query(VoiceItem.self, on: db, .walkingTheOrder).filter(\.$escalatedUnitID == unitID)
            .filter(\.$status ~~ [.submitted, .accepted]).sort(\.$answerDue).range(0..<overdueShown))
        return Queue(items: items, total: tab, counts: byStatus, overdue: overdue, escalated: escalated)
    }

    /// The columns a list row shows (`VoiceRow`), not the item's 28, read as rows (`fieldRows`): a
    /// queue page lists up to 120 items, and Fluent builds all of an item's fields for each.
    private static func listed(_ query: QueryBuilder<VoiceItem>) async throws -> [Listed] {
        try await query.fields(\.$id, \.$number, \.$title, \.$category, \.$unitName, \.$status,
                               \.$submittedAt, \.$acceptDue, \.$answerDue, \.$reopened)
            .fieldRows().map(Listed.init)
    }

    /// Above this many items of a status in the unit's subtree, a list walks the index of its
    /// order (status, then deadline or answer time) and keeps the rows in reach, instead of
    /// gathering the subtree's rows by path and sorting them (the city's tab of 150,000 closed
    /// items); a small unit's rows are few along the path index.
    static let walkingThreshold = 5_000

    static func condition(_ rows: Int) -> Scope.PathCondition {
        rows >= walkingThreshold ? .walkingTheOrder : .usingThePathIndex
    }

    /// Open items in reach past a deadline, nearest deadline first: past the answer deadline
    /// while open, or past the acceptance deadline while waiting. Each of the three is read along
    /// an index, ids and deadlines only; the first fifty of their merge are then read as rows, so
    /// that a page decodes fifty items rather than a hundred and fifty.
    static func overdueItems(today: CalendarDate, scope: Scope, _ condition: Scope.PathCondition = .usingThePathIndex,
                             on db: any Database) async throws -> [Listed] {
        struct Due: Decodable { let id: Int; let answer_due: String }
        let day = SQLBind(today.description)
        let due = deadline(condition, on: db)
        func first(_ status: VoiceStatus, _ comparison: SQLBinaryOperator, acceptedLate: Bool) async throws -> [Due] {
            var select = db.sql.select().columns("id", "answer_due").from(VoiceItem.schema)
                .where("status", .equal, SQLBind(status.rawValue)).where(due, comparison, day)
            if acceptedLate { select = select.where("accept_due", .lessThan, day) }
            return try await scope.restrict(select, paths: [Scope.pathExpression("unit_path", table: VoiceItem.schema, condition, on: db)])
                .orderBy("answer_due").orderBy("id").limit(overdueShown).all(decoding: Due.self)
        }
        let found = try await first(.submitted, .lessThan, acceptedLate: false) + first(.accepted, .lessThan, acceptedLate: false)
            + first(.submitted, .greaterThanOrEqual, acceptedLate: true)
        let shown = found.sorted { ($0.answer_due, $0.id) < ($1.answer_due, $1.id) }.prefix(overdueShown).map(\.id)
        guard !shown.isEmpty else { return [] }
        // The ids lead: the subtree condition stays off the path index.
        return try await listed(scope.query(VoiceItem.self, on: db, .walkingTheOrder).filter(\.$id ~~ shown))
            .sorted { ($0.answerDue, $0.id) < ($1.answerDue, $1.id) }
    }

    /// The answer deadline as an overdue read compares it. Beside the path index it is written
    /// `+answer_due`, so that SQLite keeps to the (status, path) index of a small subtree: with the
    /// plain column it prefers the (status, deadline) index and reads every overdue item of the city.
    private static func deadline(_ condition: Scope.PathCondition, on db: any Database) -> any SQLExpression {
        Scope.column("answer_due", table: VoiceItem.schema, offIndex: condition == .usingThePathIndex, on: db)
    }

    /// An item with its hops, oldest first.
    static func hops(of itemID: Int, on db: any Database) async throws -> [VoiceHop] {
        try await VoiceHop.query(on: db).filter(\.$itemID == itemID).sort(\.$id).all()
    }

    /// The units an item may be passed down to: the active units directly below its unit.
    static func unitsBelow(_ item: VoiceItem, scope: Scope, on db: any Database) async throws -> [Organization] {
        try await scope.organizations(on: db).filter(\.$parentID == item.unitID).filter(\.$status == .active).sort(\.$code).range(0..<200).all()
    }

    /// The unit directly above an item's unit, which it may be passed back to: its name is shown
    /// to a cadre whose reach ends below it.
    static func unitAbove(_ item: VoiceItem, on db: any Database) async throws -> Organization? {
        guard let aboveID = item.unitPath.parent?.ids.last else { return nil }
        return try await Scope.unrestricted.organizations(on: db).filter(\.$id == aboveID).filter(\.$status == .active).first()
    }

    /// The public list: published answers, newest first, by a word in the title or the question.
    static func published(keyword: String?, page: Int, on db: any Database) async throws -> (items: [VoiceItem], total: Int) {
        var query = VoiceScope.published(on: db)
        if let keyword {
            query = query.group(.or) {
                $0.filter(\.$title, .contains(inverse: false, .anywhere), keyword).filter(\.$body, .contains(inverse: false, .anywhere), keyword)
            }
        }
        let total = try await query.copy().count()
        let items = try await query.sort(\.$answeredAt, .descending).sort(\.$id, .descending)
            .range(((page - 1) * pageSize)..<(page * pageSize)).all()
        return (items, total)
    }

    /// The attachment ids of an item's photos.
    static func photos(of itemID: Int, on db: any Database) async throws -> [Int] {
        try await Attachments.list(ownerType: VoiceItem.photoOwner, ownerIDs: [itemID], on: db)[itemID]?.compactMap(\.id) ?? []
    }

    static func mine(accountID: Int, on db: any Database) async throws -> [Listed] {
        try await listed(VoiceScope.asked(by: accountID, on: db).sort(\.$id, .descending).range(0..<100))
    }
}

/// New items and their hops written many rows a statement (a batch of questions filed together).
enum VoiceItemRows {
    /// Rows a statement: 20 columns each stays far below either database's limit of bound values.
    private static let rowsPerStatement = 400

    /// Inserts the items and gives each its id and its number (QS, the day it was received, the id).
    static func insert(_ items: [VoiceItem], days: [CalendarDate], on db: any Database) async throws {
        struct Inserted: Decodable { let id: Int; let number: String }
        for start in stride(from: 0, to: items.count, by: rowsPerStatement) {
            let chunk = start..<min(start + rowsPerStatement, items.count)
            var insert = db.sql.insert(into: VoiceItem.schema).columns(
                "number", "asker_account_id", "asker_name", "asker_phone", "category_id", "category", "district_id", "unit_id",
                "unit_path", "unit_name", "title", "body", "may_publish", "anonymous", "status", "submitted_at", "accept_due",
                "answer_due", "published", "reopened")
            for item in items[chunk] {
                insert = insert.values([
                    SQLBind(item.number), SQLBind(item.askerAccountID), SQLBind(item.askerName), SQLBind(item.askerPhone),
                    SQLBind(item.categoryID), SQLBind(item.category), SQLBind(item.districtID), SQLBind(item.unitID),
                    SQLBind(item.unitPath.value), SQLBind(item.unitName), SQLBind(item.title), SQLBind(item.body),
                    SQLBind(item.mayPublish), SQLBind(item.anonymous), SQLBind(item.status.rawValue), SQLBind(item.submittedAt),
                    SQLBind(item.acceptDue), SQLBind(item.answerDue), SQLBind(item.published), SQLBind(item.reopened),
                ] as [any SQLExpression])
            }
            // Rows come back in no promised order: each is found again by its provisional number.
            var ids: [String: Int] = [:]
            for row in try await insert.returning("id", "number").all(decoding: Inserted.self) { ids[row.number] = row.id }
            var numbers: [(id: Int, number: String)] = []
            for index in chunk {
                guard let id = ids[items[index].number] else { throw Abort(.internalServerError) }
                items[index].id = id
                items[index].$id.exists = true
                items[index].number = VoiceWrites.number(id: id, day: days[index])
                numbers.append((id, items[index].number))
            }
            guard !numbers.isEmpty else { continue }
            let cases = SQLList(numbers.map { SQLList([SQLRaw("WHEN"), SQLBind($0.id), SQLRaw("THEN"), SQLBind($0.number)], separator: SQLRaw(" ")) },
                                separator: SQLRaw(" "))
            try await db.sql.update(VoiceItem.schema)
                .set(SQLIdentifier("number"), to: SQLList([SQLRaw("CASE"), SQLIdentifier("id"), cases, SQLRaw("END")], separator: SQLRaw(" ")))
                .where("id", .in, SQLBind.group(numbers.map(\.id))).run()
        }
    }

    static func insert(_ hops: [VoiceHop], on db: any Database) async throws {
        for start in stride(from: 0, to: hops.count, by: rowsPerStatement) {
            var insert = db.sql.insert(into: VoiceHop.schema).columns("item_id", "kind", "to_unit_name", "reason", "actor_name", "at")
            for hop in hops[start..<min(start + rowsPerStatement, hops.count)] {
                insert = insert.values([SQLBind(hop.itemID), SQLBind(hop.kind.rawValue), SQLBind(hop.toUnitName), SQLBind(hop.reason),
                                        SQLBind(hop.actorName), SQLBind(hop.at)] as [any SQLExpression])
            }
            try await insert.run()
        }
    }
}

extension VoiceQueries.Listed {
    init(_ row: FieldRow<VoiceItem>) throws {
        id = try row("id")
        number = try row("number")
        title = try row("title")
        category = try row("category")
        unitName = try row("unit_name")
        status = try row("status")
        submittedAt = try row("submitted_at")
        acceptDue = try row("accept_due")
        answerDue = try row("answer_due")
        reopened = try row("reopened")
    }
}
