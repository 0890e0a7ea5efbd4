import Fluent
import LeagueCore
import Vapor

/// A year's evaluation of units (四位一体考核评价).
final class EvaluationScheme: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "evaluation_schemes"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "year") var year: Int
    @Field(key: "title") var title: String
    @Field(key: "status") var status: SchemeStatus
    @Field(key: "created_at") var createdAt: Date
    var declaredProperties: [any AnyProperty] { [$id, $year, $title, $status, $createdAt] }

    init() {}
}

final class EvaluationIndicator: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "evaluation_indicators"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "scheme_id") var schemeID: Int
    @Field(key: "position") var position: Int
    @Field(key: "name") var name: String
    @Field(key: "weight") var weight: Int
    /// The source's key, kept as text (`EvaluationSources` says which keys exist).
    @Field(key: "source") var sourceKey: String
    var declaredProperties: [any AnyProperty] { [$id, $schemeID, $position, $name, $weight, $sourceKey] }

    init() {}

    var source: IndicatorSource {
        get { IndicatorSource(rawValue: sourceKey) ?? .rated }
        set { sourceKey = newValue.rawValue }
    }

    var rule: Indicator { Indicator(name: name, weight: weight, source: source) }
}

/// One unit's sheet in a year's evaluation: its self-report and the city's review.
final class EvaluationSheet: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "evaluation_sheets"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "scheme_id") var schemeID: Int
    @Field(key: "unit_id") var unitID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    @Field(key: "status") var status: SheetStatus
    /// 自评报告
    @Field(key: "summary") var summary: String
    @OptionalField(key: "review_comment") var reviewComment: String?
    /// The weighted total in hundredths of a point, once reviewed.
    @OptionalField(key: "total") var total: Int?
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "reviewed_at") var reviewedAt: Date?
    var declaredProperties: [any AnyProperty] { [
        $id, $schemeID, $unitID, $unitPath, $status, $summary, $reviewComment, $total, $submittedAt, $reviewedAt
    ] }

    init() {}
}

/// The score of one indicator on one sheet.
final class EvaluationScore: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "evaluation_scores"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "sheet_id") var sheetID: Int
    @Field(key: "indicator_id") var indicatorID: Int
    /// For computed indicators: the figure as it stood when the unit submitted.
    @OptionalField(key: "computed") var computed: Int?
    @OptionalField(key: "self_score") var selfScore: Int?
    @OptionalField(key: "self_note") var selfNote: String?
    @OptionalField(key: "review_score") var reviewScore: Int?
    var declaredProperties: [any AnyProperty] { [$id, $sheetID, $indicatorID, $computed, $selfScore, $selfNote, $reviewScore] }

    init() {}
}

struct CreateEvaluations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(EvaluationScheme.schema)
            .field("id", .int, .identifier(auto: true))
            .field("year", .int, .required)
            .field("title", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "year")
            .create()
        try await database.schema(EvaluationIndicator.schema)
            .field("id", .int, .identifier(auto: true))
            .field("scheme_id", .int, .required, .references(EvaluationScheme.schema, "id"))
            .field("position", .int, .required)
            .field("name", .string, .required)
            .field("weight", .int, .required)
            .field("source", .string, .required)
            .create()
        try await database.schema(EvaluationSheet.schema)
            .field("id", .int, .identifier(auto: true))
            .field("scheme_id", .int, .required, .references(EvaluationScheme.schema, "id"))
            .field("unit_id", .int, .required, .references(Organization.schema, "id"))
            .field("unit_path", database.byteOrderedText, .required)
            .field("status", .string, .required)
            .field("summary", .string, .required)
            .field("review_comment", .string)
            .field("total", .int)
            .field("submitted_at", .datetime)
            .field("reviewed_at", .datetime)
            .unique(on: "scheme_id", "unit_id")
            .create()
        try await database.createIndex("evaluation_sheets_path", on: EvaluationSheet.schema, columns: ["unit_path", "scheme_id"])
        try await database.schema(EvaluationScore.schema)
            .field("id", .int, .identifier(auto: true))
            .field("sheet_id", .int, .required, .references(EvaluationSheet.schema, "id"))
            .field("indicator_id", .int, .required, .references(EvaluationIndicator.schema, "id"))
            .field("computed", .int)
            .field("self_score", .int)
            .field("self_note", .string)
            .field("review_score", .int)
            .unique(on: "sheet_id", "indicator_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [EvaluationScore.schema, EvaluationSheet.schema, EvaluationIndicator.schema, EvaluationScheme.schema] {
            try await database.schema(schema).delete()
        }
    }
}
