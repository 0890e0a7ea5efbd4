import Fluent
import LeagueCore
import Vapor

/// Anything with an episode's study time: the record, and the copy completions are checked against.
protocol StudyTime {
    var opensAt: Date { get }
    var closesAt: Date { get }
}

extension StudyTime {
    /// Whether it takes completions at `moment`.
    func window(at moment: Date) -> EpisodeWindow {
        EpisodeWindow(opens: opensAt.timeIntervalSince1970, closes: closesAt.timeIntervalSince1970, at: moment.timeIntervalSince1970)
    }
}

/// One weekly episode of 青年大学习, published by the city committee.
final class StudyEpisode: Model, DeclaredFields, StudyTime, @unchecked Sendable {
    static let schema = "study_episodes"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    /// 第几季
    @Field(key: "season") var season: Int
    /// 第几期
    @Field(key: "number") var number: Int
    @Field(key: "title") var title: String
    @Field(key: "opens_at") var opensAt: Date
    @Field(key: "closes_at") var closesAt: Date
    @Field(key: "video_url") var videoURL: String
    /// The quiz as JSON (`Quiz`).
    @Field(key: "quiz") var quizJSON: String
    @Field(key: "created_at") var createdAt: Date
    var declaredProperties: [any AnyProperty] { [
        $id, $season, $number, $title, $opensAt, $closesAt, $videoURL, $quizJSON, $createdAt
    ] }

    init() {}

    /// “12-5”: how imports name the episode.
    var code: String { "\(season)-\(number)" }
    var label: String { "第\(season)季第\(number)期" }

    var quiz: Quiz {
        (try? JSONDecoder().decode(Quiz.self, from: Data(quizJSON.utf8))) ?? Quiz(questions: [])
    }
}

/// A member's completion of an episode, counted under the branch they belonged to at that moment.
/// The row is its own audit record (who, when, which unit, what) and is never changed.
final class StudyCompletion: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "study_completions"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "episode_id") var episodeID: Int
    @Field(key: "member_id") var memberID: Int
    @Field(key: "branch_id") var branchID: Int
    @Field(key: "branch_path") var branchPath: TreePath
    @Field(key: "completed_at") var completedAt: Date
    /// "app" (answered here) or "import" (from the national platform's export).
    @Field(key: "source") var source: String
    /// Right answers, for completions answered here.
    @OptionalField(key: "score") var score: Int?
    var declaredProperties: [any AnyProperty] { [
        $id, $episodeID, $memberID, $branchID, $branchPath, $completedAt, $source, $score
    ] }

    init() {}
}

struct CreateStudy: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(StudyEpisode.schema)
            .field("id", .int, .identifier(auto: true))
            .field("season", .int, .required)
            .field("number", .int, .required)
            .field("title", .string, .required)
            .field("opens_at", .datetime, .required)
            .field("closes_at", .datetime, .required)
            .field("video_url", .string, .required)
            .field("quiz", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "season", "number")
            .create()
        try await database.schema(StudyCompletion.schema)
            .field("id", .int, .identifier(auto: true))
            .field("episode_id", .int, .required, .references(StudyEpisode.schema, "id"))
            .field("member_id", .int, .required, .references(Member.schema, "id"))
            .field("branch_id", .int, .required, .references(Organization.schema, "id"))
            .field("branch_path", database.byteOrderedText, .required)
            .field("completed_at", .datetime, .required)
            .field("source", .string, .required)
            .field("score", .int)
            // Member first: the same index finds a member's own record and keeps one completion an episode.
            .unique(on: "member_id", "episode_id")
            .create()
        try await database.createIndex("study_completions_path", on: StudyCompletion.schema, columns: ["branch_path", "episode_id"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StudyCompletion.schema).delete()
        try await database.schema(StudyEpisode.schema).delete()
    }
}

/// Each stored completion counts itself for its branch and every unit above it (`member_stats`,
/// dimension `study`), inside the statement that inserts it: the burst then writes one statement
/// a batch instead of an insert and an upsert, and no path that inserts a completion can forget
/// its counts. The ancestors are the ids in the row's branch path (`/1/17/342/`).
struct AddStudyCountTrigger: AsyncMigration {
    func prepare(on database: any Database) async throws {
        if database.isPostgres {
            try await database.sql.raw("""
                CREATE FUNCTION study_completion_counted() RETURNS trigger AS $$
                BEGIN
                    INSERT INTO member_stats (unit_id, dimension, value, count)
                    SELECT CAST(unit AS bigint), 'study', CAST(NEW.episode_id AS text), 1
                    FROM unnest(string_to_array(trim(both '/' from NEW.branch_path), '/')) AS unit
                    ON CONFLICT (unit_id, dimension, value) DO UPDATE SET count = member_stats.count + 1;
                    RETURN NEW;
                END
                $$ LANGUAGE plpgsql
                """).run()
            try await database.sql.raw("""
                CREATE TRIGGER study_completion_counted AFTER INSERT ON study_completions
                FOR EACH ROW EXECUTE FUNCTION study_completion_counted()
                """).run()
        } else {
            try await database.sql.raw("""
                CREATE TRIGGER study_completion_counted AFTER INSERT ON study_completions
                BEGIN
                    INSERT INTO member_stats (unit_id, dimension, value, count)
                    SELECT CAST(unit.value AS INTEGER), 'study', CAST(NEW.episode_id AS TEXT), 1
                    FROM json_each('[' || replace(substr(NEW.branch_path, 2, length(NEW.branch_path) - 2), '/', ',') || ']') AS unit
                    WHERE true
                    ON CONFLICT (unit_id, dimension, value) DO UPDATE SET count = count + 1;
                END
                """).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.sql.raw("DROP TRIGGER IF EXISTS study_completion_counted\(unsafeRaw: database.isPostgres ? " ON study_completions" : "")").run()
        if database.isPostgres { try await database.sql.raw("DROP FUNCTION IF EXISTS study_completion_counted()").run() }
    }
}
