import Fluent
import LeagueCore
import SQLKit
import Vapor

/// 青年之声: one question or need of a young person, with the unit now responsible for it.
final class VoiceItem: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "voice_items"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    /// The asker's number to follow it by (QS + the day received + the row's id).
    @Field(key: "number") var number: String
    @Field(key: "asker_account_id") var askerAccountID: Int
    @Field(key: "asker_name") var askerName: String
    @OptionalField(key: "asker_phone") var askerPhone: String?
    @Field(key: "category_id") var categoryID: Int
    @Field(key: "category") var category: String
    @Field(key: "district_id") var districtID: Int
    @Field(key: "unit_id") var unitID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    @Field(key: "unit_name") var unitName: String
    @Field(key: "title") var title: String
    @Field(key: "body") var body: String
    /// The asker allows the question and its answer on the public list (without personal data).
    @Field(key: "may_publish") var mayPublish: Bool
    /// Shown to the public without the asker's name.
    @Field(key: "anonymous") var anonymous: Bool
    @Field(key: "status") var status: VoiceStatus
    @Field(key: "submitted_at") var submittedAt: Date
    /// The last days to accept and to answer (working days, `VoicePolicy`), renewed on a reopening.
    @Field(key: "accept_due") var acceptDue: String
    @Field(key: "answer_due") var answerDue: String
    @OptionalField(key: "accepted_at") var acceptedAt: Date?
    @OptionalField(key: "answered_at") var answeredAt: Date?
    @OptionalField(key: "answer") var answer: String?
    @OptionalField(key: "answered_by") var answeredBy: String?
    /// On the public list: the asker allowed it and the answering cadre chose to.
    @Field(key: "published") var published: Bool
    @OptionalField(key: "rating") var rating: VoiceRating?
    @Field(key: "reopened") var reopened: Int
    /// The unit above that an overdue item was reported to (督办), and when.
    @OptionalField(key: "escalated_unit_id") var escalatedUnitID: Int?
    @OptionalField(key: "escalated_at") var escalatedAt: Date?
    var declaredProperties: [any AnyProperty] { [
        $id, $number, $askerAccountID, $askerName, $askerPhone, $categoryID, $category, $districtID, $unitID, $unitPath,
        $unitName, $title, $body, $mayPublish, $anonymous, $status, $submittedAt, $acceptDue, $answerDue, $acceptedAt,
        $answeredAt, $answer, $answeredBy, $published, $rating, $reopened, $escalatedUnitID, $escalatedAt
    ] }

    init() {}

    /// The owner type of an item's photo among the attachments.
    static let photoOwner = "voice_item"

    var answerDueDay: CalendarDate? { CalendarDate(answerDue) }

    func isOverdue(today: CalendarDate) -> Bool {
        Self.isOverdue(status, acceptDue: acceptDue, answerDue: answerDue, today: today)
    }

    /// Whether an item in this status with these deadlines (as stored) is past one of them.
    static func isOverdue(_ status: VoiceStatus, acceptDue: String, answerDue: String, today: CalendarDate) -> Bool {
        guard let accept = CalendarDate(acceptDue), let answer = CalendarDate(answerDue) else { return false }
        return VoiceSteps.overdue(status, acceptDue: accept, answerDue: answer, today: today)
    }
}

/// One hop of an item between units (routed, passed down or up, escalated, reopened), kept for
/// the item's history beside the audit log.
final class VoiceHop: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "voice_hops"

    enum Kind: String, Codable, Sendable {
        case routed, passedDown, passedUp, escalated, reopened

        var label: String {
            switch self {
            case .routed: "分派"
            case .passedDown: "转下级办理"
            case .passedUp: "退回上级"
            case .escalated: "逾期上报督办"
            case .reopened: "提问人要求重新办理"
            }
        }
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "item_id") var itemID: Int
    @Field(key: "kind") var kind: Kind
    @Field(key: "to_unit_name") var toUnitName: String
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "actor_name") var actorName: String
    @Field(key: "at") var at: Date
    var declaredProperties: [any AnyProperty] { [$id, $itemID, $kind, $toUnitName, $reason, $actorName, $at] }

    init() {}
}

/// A category young people choose from (the city edits the list; a retired one stays on old items).
final class VoiceCategory: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "voice_categories"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "name") var name: String
    @Field(key: "position") var position: Int
    @Field(key: "active") var active: Bool
    var declaredProperties: [any AnyProperty] { [$id, $name, $position, $active] }

    init() {}
}

/// The city's routing rule: items of a district (and a category, or any) go to this unit.
final class VoiceRoutingRule: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "voice_routing_rules"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "district_id") var districtID: Int
    /// Nil: every category of the district without a rule of its own.
    @OptionalField(key: "category_id") var categoryID: Int?
    @Field(key: "unit_id") var unitID: Int
    var declaredProperties: [any AnyProperty] { [$id, $districtID, $categoryID, $unitID] }

    init() {}
}

/// The deadlines and the reopening limit, one row the city edits (**policy**).
final class VoicePolicyRow: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "voice_policy"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "accept_days") var acceptDays: Int
    @Field(key: "answer_days") var answerDays: Int
    @Field(key: "reopen_limit") var reopenLimit: Int
    var declaredProperties: [any AnyProperty] { [$id, $acceptDays, $answerDays, $reopenLimit] }

    init() {}

    var policy: VoicePolicy { VoicePolicy(acceptDays: acceptDays, answerDays: answerDays, reopenLimit: reopenLimit) }
}

/// A day the State Council's calendar makes different from the week: a weekday off or a weekend
/// day worked, as the city enters them each year.
final class WorkingCalendarDay: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "working_calendar_days"

    enum Kind: String, Codable, Sendable, CaseIterable {
        case holiday, workday

        var label: String { self == .holiday ? "放假" : "调休上班" }
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "day") var day: String
    @Field(key: "kind") var kind: Kind
    @Field(key: "note") var note: String
    var declaredProperties: [any AnyProperty] { [$id, $day, $kind, $note] }

    init() {}
}

struct CreateYouthVoice: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(VoiceCategory.schema)
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required)
            .field("position", .int, .required)
            .field("active", .bool, .required)
            .unique(on: "name")
            .create()
        try await database.schema(VoiceItem.schema)
            .field("id", .int, .identifier(auto: true))
            .field("number", .string, .required)
            .field("asker_account_id", .int, .required, .references(Account.schema, "id"))
            .field("asker_name", .string, .required)
            .field("asker_phone", .string)
            .field("category_id", .int, .required, .references(VoiceCategory.schema, "id"))
            .field("category", .string, .required)
            .field("district_id", .int, .required, .references(Organization.schema, "id"))
            .field("unit_id", .int, .required, .references(Organization.schema, "id"))
            .field("unit_path", database.byteOrderedText, .required)
            .field("unit_name", .string, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("may_publish", .bool, .required)
            .field("anonymous", .bool, .required)
            .field("status", .string, .required)
            .field("submitted_at", .datetime, .required)
            .field("accept_due", .string, .required)
            .field("answer_due", .string, .required)
            .field("accepted_at", .datetime)
            .field("answered_at", .datetime)
            .field("answer", .string)
            .field("answered_by", .string)
            .field("published", .bool, .required)
            .field("rating", .string)
            .field("reopened", .int, .required)
            .field("escalated_unit_id", .int, .references(Organization.schema, "id"))
            .field("escalated_at", .datetime)
            .unique(on: "number")
            .create()
        // A unit's queue (open first, by deadline), the asker's own, the public list, the sweep.
        // A unit's items of one status: the status, then the subtree's range of paths.
        try await database.createIndex("voice_items_unit", on: VoiceItem.schema, columns: ["status", "unit_path", "answer_due"])
        try await database.createIndex("voice_items_asker", on: VoiceItem.schema, columns: ["asker_account_id", "id"])
        try await database.createIndex("voice_items_published", on: VoiceItem.schema, columns: ["published", "answered_at"])
        // A large unit's tabs and overdue list walk these in order (`VoiceQueries.condition`).
        try await database.createIndex("voice_items_due", on: VoiceItem.schema, columns: ["status", "answer_due"])
        try await database.createIndex("voice_items_answered", on: VoiceItem.schema, columns: ["status", "answered_at"])
        try await database.createIndex("voice_items_escalated", on: VoiceItem.schema, columns: ["escalated_unit_id", "status"])
        try await database.schema(VoiceHop.schema)
            .field("id", .int, .identifier(auto: true))
            .field("item_id", .int, .required, .references(VoiceItem.schema, "id"))
            .field("kind", .string, .required)
            .field("to_unit_name", .string, .required)
            .field("reason", .string)
            .field("actor_name", .string, .required)
            .field("at", .datetime, .required)
            .create()
        try await database.createIndex("voice_hops_item", on: VoiceHop.schema, columns: ["item_id", "id"])
        try await database.schema(VoiceRoutingRule.schema)
            .field("id", .int, .identifier(auto: true))
            .field("district_id", .int, .required, .references(Organization.schema, "id"))
            .field("category_id", .int, .references(VoiceCategory.schema, "id"))
            .field("unit_id", .int, .required, .references(Organization.schema, "id"))
            .create()
        try await database.createIndex("voice_routing_rules_key", on: VoiceRoutingRule.schema, columns: ["district_id", "category_id"], unique: true)
        try await database.schema(VoicePolicyRow.schema)
            .field("id", .int, .identifier(auto: true))
            .field("accept_days", .int, .required)
            .field("answer_days", .int, .required)
            .field("reopen_limit", .int, .required)
            .create()
        try await database.schema(WorkingCalendarDay.schema)
            .field("id", .int, .identifier(auto: true))
            .field("day", .string, .required)
            .field("kind", .string, .required)
            .field("note", .string, .required)
            .unique(on: "day")
            .create()
        try await VoiceTotals.byStatus.create(on: database)
        // The categories a city starts with and the standard deadlines.
        for (position, name) in VoiceCategories.initial.enumerated() {
            let category = VoiceCategory()
            category.name = name
            category.position = position + 1
            category.active = true
            try await category.create(on: database)
        }
        let policy = VoicePolicyRow()
        policy.acceptDays = VoicePolicy.standard.acceptDays
        policy.answerDays = VoicePolicy.standard.answerDays
        policy.reopenLimit = VoicePolicy.standard.reopenLimit
        try await policy.create(on: database)
    }

    func revert(on database: any Database) async throws {
        for schema in [VoiceTotals.byStatus.table, WorkingCalendarDay.schema, VoicePolicyRow.schema, VoiceRoutingRule.schema, VoiceHop.schema, VoiceItem.schema,
                       VoiceCategory.schema] {
            try await database.schema(schema).delete()
        }
    }
}
