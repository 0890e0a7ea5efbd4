import Fluent
import LeagueCore
import Vapor

/// A project contest (志愿服务项目大赛) run by a unit: projects enter, judges score, entries rank.
final class VolunteerContest: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "volunteer_contests"

    enum Status: String, Codable, Sendable {
        case open, closed

        var label: String { self == .open ? "评审中" : "已结束" }
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "title") var title: String
    @Field(key: "year") var year: Int
    @Field(key: "unit_path") var unitPath: TreePath
    @Field(key: "status") var status: Status
    @Field(key: "created_at") var createdAt: Date
    var declaredProperties: [any AnyProperty] { [$id, $title, $year, $unitPath, $status, $createdAt] }

    init() {}
}

final class ContestEntry: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "volunteer_contest_entries"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "contest_id") var contestID: Int
    @Field(key: "project_id") var projectID: Int
    @Field(key: "unit_path") var unitPath: TreePath
    /// Frozen when the contest closes: the average score in hundredths and the place.
    @OptionalField(key: "final_score") var finalScore: Int?
    @OptionalField(key: "final_rank") var finalRank: Int?
    var declaredProperties: [any AnyProperty] { [$id, $contestID, $projectID, $unitPath, $finalScore, $finalRank] }

    init() {}
}

final class ContestJudge: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "volunteer_contest_judges"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "contest_id") var contestID: Int
    @Field(key: "account_id") var accountID: Int
    @Field(key: "name") var name: String
    var declaredProperties: [any AnyProperty] { [$id, $contestID, $accountID, $name] }

    init() {}
}

final class ContestScore: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "volunteer_contest_scores"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "entry_id") var entryID: Int
    @Field(key: "judge_account_id") var judgeAccountID: Int
    @Field(key: "score") var score: Int
    var declaredProperties: [any AnyProperty] { [$id, $entryID, $judgeAccountID, $score] }

    init() {}
}

struct CreateContests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(VolunteerContest.schema)
            .field("id", .int, .identifier(auto: true))
            .field("title", .string, .required)
            .field("year", .int, .required)
            .field("unit_path", database.byteOrderedText, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(ContestEntry.schema)
            .field("id", .int, .identifier(auto: true))
            .field("contest_id", .int, .required, .references(VolunteerContest.schema, "id"))
            .field("project_id", .int, .required, .references(VolunteerProject.schema, "id"))
            .field("unit_path", database.byteOrderedText, .required)
            .field("final_score", .int)
            .field("final_rank", .int)
            .unique(on: "contest_id", "project_id")
            .create()
        try await database.schema(ContestJudge.schema)
            .field("id", .int, .identifier(auto: true))
            .field("contest_id", .int, .required, .references(VolunteerContest.schema, "id"))
            .field("account_id", .int, .required, .references(Account.schema, "id"))
            .field("name", .string, .required)
            .unique(on: "contest_id", "account_id")
            .create()
        try await database.schema(ContestScore.schema)
            .field("id", .int, .identifier(auto: true))
            .field("entry_id", .int, .required, .references(ContestEntry.schema, "id"))
            .field("judge_account_id", .int, .required, .references(Account.schema, "id"))
            .field("score", .int, .required)
            .unique(on: "entry_id", "judge_account_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [ContestScore.schema, ContestJudge.schema, ContestEntry.schema, VolunteerContest.schema] {
            try await database.schema(schema).delete()
        }
    }
}
