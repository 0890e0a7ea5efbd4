import Fluent
import LeagueCore
import Vapor

/// A branch's yearly review (团员教育评议) and, once approved, its members' registration.
final class BranchReview: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "branch_reviews"

    enum Status: String, Codable, Sendable, CaseIterable {
        case draft, submitted, approved

        var label: String {
            switch self {
            case .draft: "评议中"
            case .submitted: "待上级审批"
            case .approved: "已审批并注册"
            }
        }
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "year") var year: Int
    @Field(key: "branch_id") var branchID: Int
    @Field(key: "branch_path") var branchPath: TreePath
    @Field(key: "status") var status: Status
    @OptionalField(key: "meeting_on") var meetingOn: String?
    @OptionalField(key: "present") var present: Int?
    @Field(key: "members") var members: Int
    var declaredProperties: [any AnyProperty] { [$id, $year, $branchID, $branchPath, $status, $meetingOn, $present, $members] }

    init() {}
}

/// One member's rating in a review, and whether it registered them for the year.
final class MemberRating: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "member_ratings"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "review_id") var reviewID: Int
    @Field(key: "member_id") var memberID: Int
    @Field(key: "member_name") var memberName: String
    @OptionalField(key: "rating") var rating: ReviewRating?
    @Field(key: "registered") var registered: Bool
    var declaredProperties: [any AnyProperty] { [$id, $reviewID, $memberID, $memberName, $rating, $registered] }

    init() {}
}

struct CreateReviews: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BranchReview.schema)
            .field("id", .int, .identifier(auto: true))
            .field("year", .int, .required)
            .field("branch_id", .int, .required, .references(Organization.schema, "id"))
            .field("branch_path", database.byteOrderedText, .required)
            .field("status", .string, .required)
            .field("meeting_on", .string)
            .field("present", .int)
            .field("members", .int, .required)
            .unique(on: "year", "branch_id")
            .create()
        try await database.createIndex("branch_reviews_path", on: BranchReview.schema, columns: ["branch_path", "year"])
        try await database.schema(MemberRating.schema)
            .field("id", .int, .identifier(auto: true))
            .field("review_id", .int, .required, .references(BranchReview.schema, "id"))
            .field("member_id", .int, .required, .references(Member.schema, "id"))
            .field("member_name", .string, .required)
            .field("rating", .string)
            .field("registered", .bool, .required)
            .unique(on: "review_id", "member_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MemberRating.schema).delete()
        try await database.schema(BranchReview.schema).delete()
    }
}

enum ReviewWrites {
    /// A branch opens its review for the year with everyone who is a member now.
    static func open(branchID: Int, year: Int, _ change: ChangeContext, on db: any Database) async throws -> BranchReview {
        let branch = try await MemberWrites.branch(branchID, change, on: db)
        guard try await change.scope.query(BranchReview.self, on: db).filter(\.$branchID == branchID)
            .filter(\.$year == year).count() == 0 else { throw Refusal("「\(branch.name)」\(year) 年度的评议已经开始") }
        let members = try await change.scope.members(on: db).filter(\.$branchID == branchID).sort(\.$name).all()
        guard !members.isEmpty else { throw Refusal("「\(branch.name)」没有团员") }
        let review = BranchReview()
        review.year = year
        review.branchID = branchID
        review.branchPath = branch.path
        review.status = .draft
        review.members = members.count
        try await review.create(on: db)
        try await ReviewTotals.statusChanged(year: year, at: branch.path, from: nil, to: .draft, on: db)
        try await members.map { member -> MemberRating in
            let rating = MemberRating()
            rating.reviewID = review.id!
            rating.memberID = member.id!
            rating.memberName = member.name
            rating.registered = false
            return rating
        }.create(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(branch), action: "review.open",
                               entityType: "branch_review", entityID: String(review.id!),
                               summary: "开始 \(year) 年度团员教育评议，\(members.count) 名团员参评")
        return review
    }

    static func review(_ id: Int, _ change: ChangeContext, on db: any Database) async throws -> BranchReview {
        guard let review = try await change.scope.query(BranchReview.self, on: db).filter(\.$id == id).first() else {
            throw Abort(.notFound)
        }
        return review
    }

    /// The branch records the meeting and every rating, and submits them upward.
    static func submit(_ id: Int, meetingOn: CalendarDate, present: Int, ratings: [Int: ReviewRating], today: CalendarDate,
                       _ change: ChangeContext, on db: any Database) async throws -> BranchReview {
        let review = try await review(id, change, on: db)
        guard change.scope.root == review.branchPath else { throw Refusal("评议结果由团支部自己提交，上级审批") }
        guard review.status == .draft else { throw Refusal("评议结果已提交") }
        guard meetingOn <= today else { throw Refusal("评议会日期不能晚于今天", field: "meetingOn") }
        if let problem = ReviewRules.quorumProblem(present: present, members: review.members) { throw Refusal(problem, field: "present") }
        let rows = try await MemberRating.query(on: db).filter(\.$reviewID == id).all()
        if let missing = rows.first(where: { ratings[$0.memberID] == nil }) { throw Refusal("请评定\(missing.memberName)的等次") }
        let excellent = rows.filter { ratings[$0.memberID] == .excellent }.count
        if let problem = ReviewRules.excellentProblem(excellent: excellent, reviewed: rows.count) { throw Refusal(problem) }
        for row in rows {
            row.rating = ratings[row.memberID]
            try await row.save(on: db)
        }
        review.meetingOn = meetingOn.description
        review.present = present
        review.status = .submitted
        try await review.save(on: db)
        try await ReviewTotals.statusChanged(year: review.year, at: review.branchPath, from: .draft, to: .submitted, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: review.branchID, path: review.branchPath),
                               action: "review.submit", entityType: "branch_review", entityID: String(id),
                               summary: "提交 \(review.year) 年度评议：实到 \(present)/\(review.members)，优秀 \(excellent) 人",
                               changes: rows.prefix(300).map { FieldChange(field: $0.memberName, old: "", new: ratings[$0.memberID]?.label ?? "") })
        return review
    }

    /// The level above approves; members rated 基本合格 or better are registered for the year.
    static func approve(_ id: Int, _ change: ChangeContext, on db: any Database) async throws -> (BranchReview, Int) {
        let review = try await review(id, change, on: db)
        let branch = try await Scope.unrestricted.organization(review.branchID, on: db)
        guard change.scope.isStrictlyAbove(branch) else { throw Refusal("评议结果须由上级团组织审批") }
        guard review.status == .submitted else { throw Refusal("评议结果尚未提交或已审批") }
        let rows = try await MemberRating.query(on: db).filter(\.$reviewID == id).all()
        for row in rows where row.rating?.registers == true {
            row.registered = true
            try await row.save(on: db)
        }
        review.status = .approved
        try await review.save(on: db)
        try await ReviewTotals.statusChanged(year: review.year, at: review.branchPath, from: .submitted, to: .approved, on: db)
        let registered = rows.filter(\.registered).count
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(branch), action: "review.approve",
                               entityType: "branch_review", entityID: String(id),
                               summary: "审批 \(review.year) 年度评议，\(registered) 名团员注册，\(rows.count - registered) 名不予注册")
        return (review, registered)
    }
}

/// The review progress of a large unit counts its branches' reviews by status: an index that
/// holds the status answers it alone (the one it replaces held the path and year only).
struct IndexBranchReviewsByStatus: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.createIndex("branch_reviews_path_year_status", on: BranchReview.schema, columns: ["branch_path", "year", "status"])
        try await database.sql.drop(index: "branch_reviews_path").run()
    }

    func revert(on database: any Database) async throws {
        try await database.createIndex("branch_reviews_path", on: BranchReview.schema, columns: ["branch_path", "year"])
        try await database.sql.drop(index: "branch_reviews_path_year_status").run()
    }
}
