import Fluent
import LeagueCore
import SQLKit
import Vapor

/// A 人大代表, 政协委员, 青少年民意代表 or 成长导师 the unit works with, and the 工作室 they sit in.
final class Deputy: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "voice_deputies"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "unit_id") var unitID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    @Field(key: "name") var name: String
    @Field(key: "role") var role: DeputyRole
    /// 全国 / 省 / 市 / 区县（市）.
    @Field(key: "level") var level: String
    /// The sector they come from (教育, 企业, 社区 …).
    @Field(key: "sector") var sector: String
    @OptionalField(key: "phone") var phone: String?
    /// The 代表委员青少年工作室 they belong to (`Studio`), at the city or a district.
    @OptionalField(key: "studio_id") var studioID: Int?
    @Field(key: "active") var active: Bool
    var declaredProperties: [any AnyProperty] { [
        $id, $unitID, $unitPath, $name, $role, $level, $sector, $phone, $studioID, $active
    ] }

    init() {}
}

/// A 代表委员青少年工作室: founded by the city's or a district's league committee, where deputies
/// and mentors meet young people; its members are the deputies who sit in it. A name is checked
/// unique within its committee when founded, not by the database: two merged districts keep both
/// of their studios, whatever they were called.
final class Studio: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "voice_studios"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    /// The city's or a district's committee that hosts it.
    @Field(key: "unit_id") var unitID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    @Field(key: "name") var name: String
    @Field(key: "founded_on") var foundedOn: String
    var declaredProperties: [any AnyProperty] { [$id, $unitID, $unitPath, $name, $foundedOn] }

    init() {}
}

/// A 面对面 meeting of deputies with young people, with what was raised.
final class OutreachMeeting: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "voice_meetings"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "unit_id") var unitID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    @Field(key: "held_on") var heldOn: String
    @Field(key: "title") var title: String
    @Field(key: "deputies") var deputies: String
    @Field(key: "youth_count") var youthCount: Int
    @Field(key: "topics") var topics: String
    @Field(key: "needs") var needs: String
    @Field(key: "recorded_by") var recordedBy: String
    var declaredProperties: [any AnyProperty] { [
        $id, $unitID, $unitPath, $heldOn, $title, $deputies, $youthCount, $topics, $needs, $recordedBy
    ] }

    init() {}
}

/// A 建议 or 提案 built from young people's needs, through its handling to its outcome.
final class Proposal: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "voice_proposals"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "unit_id") var unitID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    @Field(key: "title") var title: String
    @Field(key: "body") var body: String
    @Field(key: "deputy_id") var deputyID: Int
    @Field(key: "deputy_name") var deputyName: String
    /// 建议 (人大) or 提案 (政协), after the deputy's role.
    @Field(key: "kind") var kind: String
    @Field(key: "session") var session: String
    @Field(key: "status") var status: ProposalStatus
    @OptionalField(key: "handling_unit") var handlingUnit: String?
    @OptionalField(key: "reply") var reply: String?
    @OptionalField(key: "outcome") var outcome: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    var declaredProperties: [any AnyProperty] { [
        $id, $unitID, $unitPath, $title, $body, $deputyID, $deputyName, $kind, $session, $status, $handlingUnit, $reply,
        $outcome, $createdAt, $updatedAt
    ] }

    init() {}
}

/// A need (青年之声 item) a proposal was built from: the asker sees what became of it.
final class ProposalNeed: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "voice_proposal_needs"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "proposal_id") var proposalID: Int
    @Field(key: "item_id") var itemID: Int
    var declaredProperties: [any AnyProperty] { [$id, $proposalID, $itemID] }

    init() {}
}

/// A young person a cadre keeps in touch with (大脚掌走基层), a member or not.
final class YouthContact: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "voice_contacts"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "cadre_account_id") var cadreAccountID: Int
    @Field(key: "cadre_name") var cadreName: String
    @Field(key: "unit_id") var unitID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    @Field(key: "name") var name: String
    @OptionalField(key: "phone") var phone: String?
    @Field(key: "note") var note: String
    @Field(key: "created_at") var createdAt: Date
    var declaredProperties: [any AnyProperty] { [
        $id, $cadreAccountID, $cadreName, $unitID, $unitPath, $name, $phone, $note, $createdAt
    ] }

    init() {}
}

/// One time a cadre was in touch with one of their young people.
final class ContactVisit: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "voice_contact_visits"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "contact_id") var contactID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    @Field(key: "visited_on") var visitedOn: String
    @Field(key: "way") var way: ContactWay
    @Field(key: "note") var note: String
    var declaredProperties: [any AnyProperty] { [$id, $contactID, $unitPath, $visitedOn, $way, $note] }

    init() {}
}

/// The cadence of 面对面 by level and the number of young people each cadre keeps in touch with
/// (**policy**), one row the city edits.
final class OutreachPolicyRow: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "voice_outreach_policy"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "city_cadence") var cityCadence: OutreachCadence
    @Field(key: "district_cadence") var districtCadence: OutreachCadence
    @Field(key: "contact_target") var contactTarget: Int
    var declaredProperties: [any AnyProperty] { [$id, $cityCadence, $districtCadence, $contactTarget] }

    init() {}
}

struct CreateVoiceOutreach: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let path = database.byteOrderedText
        try await database.schema(Deputy.schema)
            .field("id", .int, .identifier(auto: true))
            .field("unit_id", .int, .required, .references(Organization.schema, "id"))
            .field("unit_path", path, .required)
            .field("name", .string, .required)
            .field("role", .string, .required)
            .field("level", .string, .required)
            .field("sector", .string, .required)
            .field("phone", .string)
            .field("studio", .string)
            .field("active", .bool, .required)
            .create()
        try await database.createIndex("voice_deputies_unit", on: Deputy.schema, columns: ["unit_path", "name"])
        try await database.schema(OutreachMeeting.schema)
            .field("id", .int, .identifier(auto: true))
            .field("unit_id", .int, .required, .references(Organization.schema, "id"))
            .field("unit_path", path, .required)
            .field("held_on", .string, .required)
            .field("title", .string, .required)
            .field("deputies", .string, .required)
            .field("youth_count", .int, .required)
            .field("topics", .string, .required)
            .field("needs", .string, .required)
            .field("recorded_by", .string, .required)
            .create()
        try await database.createIndex("voice_meetings_unit", on: OutreachMeeting.schema, columns: ["unit_path", "held_on"])
        try await database.schema(Proposal.schema)
            .field("id", .int, .identifier(auto: true))
            .field("unit_id", .int, .required, .references(Organization.schema, "id"))
            .field("unit_path", path, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("deputy_id", .int, .required, .references(Deputy.schema, "id"))
            .field("deputy_name", .string, .required)
            .field("kind", .string, .required)
            .field("session", .string, .required)
            .field("status", .string, .required)
            .field("handling_unit", .string)
            .field("reply", .string)
            .field("outcome", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.createIndex("voice_proposals_unit", on: Proposal.schema, columns: ["unit_path", "id"])
        try await database.schema(ProposalNeed.schema)
            .field("id", .int, .identifier(auto: true))
            .field("proposal_id", .int, .required, .references(Proposal.schema, "id"))
            .field("item_id", .int, .required, .references(VoiceItem.schema, "id"))
            .unique(on: "proposal_id", "item_id")
            .create()
        try await database.createIndex("voice_proposal_needs_item", on: ProposalNeed.schema, columns: ["item_id"])
        try await database.schema(YouthContact.schema)
            .field("id", .int, .identifier(auto: true))
            .field("cadre_account_id", .int, .required, .references(Account.schema, "id"))
            .field("cadre_name", .string, .required)
            .field("unit_id", .int, .required, .references(Organization.schema, "id"))
            .field("unit_path", path, .required)
            .field("name", .string, .required)
            .field("phone", .string)
            .field("note", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.createIndex("voice_contacts_cadre", on: YouthContact.schema, columns: ["cadre_account_id", "id"])
        try await database.createIndex("voice_contacts_unit", on: YouthContact.schema, columns: ["unit_path"])
        try await database.schema(ContactVisit.schema)
            .field("id", .int, .identifier(auto: true))
            .field("contact_id", .int, .required, .references(YouthContact.schema, "id"))
            .field("unit_path", path, .required)
            .field("visited_on", .string, .required)
            .field("way", .string, .required)
            .field("note", .string, .required)
            .create()
        try await database.createIndex("voice_contact_visits_contact", on: ContactVisit.schema, columns: ["contact_id", "visited_on"])
        try await database.schema(OutreachPolicyRow.schema)
            .field("id", .int, .identifier(auto: true))
            .field("city_cadence", .string, .required)
            .field("district_cadence", .string, .required)
            .field("contact_target", .int, .required)
            .create()
        let policy = OutreachPolicyRow()
        policy.cityCadence = .quarterly
        policy.districtCadence = .monthly
        policy.contactTarget = 10
        try await policy.create(on: database)
    }

    func revert(on database: any Database) async throws {
        for schema in [OutreachPolicyRow.schema, ContactVisit.schema, YouthContact.schema, ProposalNeed.schema, Proposal.schema,
                       OutreachMeeting.schema, Deputy.schema] {
            try await database.schema(schema).delete()
        }
    }
}

/// 工作室 as records of their own: a deputy named one in free text, which let one studio appear
/// under several spellings and listed nobody as its members. Each distinct name (spaces removed)
/// becomes a studio of the city's committee or of the district the deputy's unit lies in, and the
/// deputy a member of it. Spellings that differ otherwise stay apart. Like any migration, it
/// writes no audit entries.
struct CreateVoiceStudios: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Studio.schema)
            .field("id", .int, .identifier(auto: true))
            .field("unit_id", .int, .required, .references(Organization.schema, "id"))
            .field("unit_path", database.byteOrderedText, .required)
            .field("name", .string, .required)
            .field("founded_on", .string, .required)
            .create()
        try await database.createIndex("voice_studios_unit", on: Studio.schema, columns: ["unit_path", "name"])
        try await database.schema(Deputy.schema).field("studio_id", .int, .references(Studio.schema, "id")).update()
        struct Named: Decodable { let id: Int; let unit_path: String; let studio: String }
        let named = try await database.sql.select().columns("id", "unit_path", "studio").from(Deputy.schema)
            .where(SQLColumn("studio"), .isNot, SQLLiteral.null).where(SQLColumn("studio"), .notEqual, SQLBind("")).all(decoding: Named.self)
        var studios: [String: Int] = [:]
        for deputy in named {
            guard let path = TreePath(deputy.unit_path) else { continue }
            let host = StudioRules.host(of: path)
            guard let hostID = host.ids.last else { continue }
            // Spaces, half- or full-width, are how one name came to be typed several ways.
            let name = deputy.studio.split(whereSeparator: \.isWhitespace).joined()
            guard !name.isEmpty else { continue }
            let key = "\(hostID)|\(name)"
            if studios[key] == nil {
                struct Inserted: Decodable { let id: Int }
                // The founding day was never entered: it stays empty (shown as 不详).
                guard let id = try await database.sql.insert(into: Studio.schema).columns("unit_id", "unit_path", "name", "founded_on")
                    .values(SQLBind(hostID), SQLBind(host.value), SQLBind(name), SQLBind(""))
                    .returning("id").first(decoding: Inserted.self)?.id else { throw Abort(.internalServerError, reason: "studio \(name) not stored") }
                studios[key] = id
            }
            try await database.sql.update(Deputy.schema).set("studio_id", to: SQLBind(studios[key])).where("id", .equal, SQLBind(deputy.id)).run()
        }
        try await database.sql.raw("ALTER TABLE \(ident: Deputy.schema) DROP COLUMN studio").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Deputy.schema).field("studio", .string).update()
        try await database.sql.raw("""
            UPDATE \(ident: Deputy.schema) SET studio = (SELECT name FROM \(ident: Studio.schema) s WHERE s.id = \(ident: Deputy.schema).studio_id)
            """).run()
        try await database.sql.raw("ALTER TABLE \(ident: Deputy.schema) DROP COLUMN studio_id").run()
        try await database.schema(Studio.schema).delete()
    }
}
