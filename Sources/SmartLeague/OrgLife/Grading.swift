import Fluent
import LeagueCore
import Vapor

/// A year's round of branch grading (对标定级), with optional local caps on the top levels.
final class GradingRound: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "grading_rounds"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "year") var year: Int
    @Field(key: "opens_on") var opensOn: String
    @OptionalField(key: "five_star_cap") var fiveStarCap: Int?
    @OptionalField(key: "four_star_cap") var fourStarCap: Int?
    @Field(key: "created_at") var createdAt: Date
    var declaredProperties: [any AnyProperty] { [$id, $year, $opensOn, $fiveStarCap, $fourStarCap, $createdAt] }

    init() {}
}

/// One branch's grading: its self-assessment, signed, and the grassroots committee's review.
final class GradingSheet: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "grading_sheets"

    enum Status: String, Codable, Sendable {
        case draft, submitted, reviewed

        var label: String {
            switch self {
            case .draft: "自评中"
            case .submitted: "待审核"
            case .reviewed: "已定级"
            }
        }
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "round_id") var roundID: Int
    @Field(key: "branch_id") var branchID: Int
    @Field(key: "branch_path") var branchPath: TreePath
    @Field(key: "status") var status: Status
    /// Item → points, as JSON.
    @Field(key: "self_scores") var selfScores: String
    /// Item → evidence text, as JSON.
    @Field(key: "evidence") var evidence: String
    @OptionalField(key: "secretary_signature") var secretarySignature: String?
    @OptionalField(key: "representative_signature") var representativeSignature: String?
    @Field(key: "review_scores") var reviewScores: String
    /// Veto items found, comma-separated.
    @Field(key: "vetoes") var vetoes: String
    @OptionalField(key: "score") var score: Int?
    @OptionalField(key: "level") var level: StarLevel?
    @OptionalField(key: "review_comment") var reviewComment: String?
    /// The system's own figures the reviewer saw, as they stood.
    @Field(key: "facts") var facts: String
    var declaredProperties: [any AnyProperty] { [
        $id, $roundID, $branchID, $branchPath, $status, $selfScores, $evidence, $secretarySignature,
        $representativeSignature, $reviewScores, $vetoes, $score, $level, $reviewComment, $facts
    ] }

    init() {}

    static func decode(_ json: String) -> [String: Int] {
        (try? JSONDecoder().decode([String: Int].self, from: Data(json.utf8))) ?? [:]
    }

    static func decodeText(_ json: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(json.utf8))) ?? [:]
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        (try? StoredJSON.text(value)) ?? "{}"
    }
}

struct CreateGrading: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GradingRound.schema)
            .field("id", .int, .identifier(auto: true))
            .field("year", .int, .required)
            .field("opens_on", .string, .required)
            .field("five_star_cap", .int)
            .field("four_star_cap", .int)
            .field("created_at", .datetime, .required)
            .unique(on: "year")
            .create()
        try await database.schema(GradingSheet.schema)
            .field("id", .int, .identifier(auto: true))
            .field("round_id", .int, .required, .references(GradingRound.schema, "id"))
            .field("branch_id", .int, .required, .references(Organization.schema, "id"))
            .field("branch_path", database.byteOrderedText, .required)
            .field("status", .string, .required)
            .field("self_scores", .string, .required)
            .field("evidence", .string, .required)
            .field("secretary_signature", .string)
            .field("representative_signature", .string)
            .field("review_scores", .string, .required)
            .field("vetoes", .string, .required)
            .field("score", .int)
            .field("level", .string)
            .field("review_comment", .string)
            .field("facts", .string, .required)
            .unique(on: "round_id", "branch_id")
            .create()
        try await database.createIndex("grading_sheets_path", on: GradingSheet.schema, columns: ["branch_path", "round_id"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GradingSheet.schema).delete()
        try await database.schema(GradingRound.schema).delete()
    }
}
