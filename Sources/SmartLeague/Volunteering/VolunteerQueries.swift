import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Reads of the volunteer platform: the public post search (岗位互通) and the
/// "每人认一岗，至少做一次" coverage of a unit's members.
enum VolunteerQueries {
    struct PostFilter: Sendable {
        var districtID: Int?
        var category: String?
        /// Posts on this day, or from today on when absent.
        var day: CalendarDate?
        var openOnly = false
        var keyword: String?
    }

    /// Published posts for everyone, at every level: no scope, since the posts are public.
    static func searchPosts(_ filter: PostFilter, today: CalendarDate, limit: Int, offset: Int,
                            on db: any Database) async throws -> (posts: [VolunteerPost], total: Int) {
        var query = Scope.unrestricted.query(VolunteerPost.self, on: db).filter(\.$published == true)
        if let day = filter.day {
            query = query.filter(\.$day == day.description)
        } else {
            query = query.filter(\.$day >= today.description)
        }
        if let district = filter.districtID { query = query.filter(\.$districtID == district) }
        if let category = filter.category { query = query.filter(\.$category == category) }
        if filter.openOnly { query = query.filter(.sql(unsafeRaw: "taken < capacity")) }
        if let keyword = filter.keyword { query = query.filter(\.$title, .contains(inverse: false, .anywhere), keyword) }
        let total = try await query.count()
        let posts = try await query.sort(\.$day).sort(\.$startsAt).sort(\.$id).range(offset..<(offset + limit)).all()
        return (posts, total)
    }

    /// Of a unit's members: those holding a post this year (an accepted sign-up for one of its
    /// slots), or those who served this year (hours recorded).
    enum Coverage: String, Sendable, Hashable {
        case holding, served
    }

    /// Members of `unit` and below with a post this year and with hours served this year, with
    /// the ids of each, so that the "not yet" list reads no set twice.
    static func coverage(of unit: Organization, year: Int, scope: Scope,
                         on db: any Database) async throws -> (figures: PostCoverage, covered: [Coverage: Set<Int>]) {
        let holding = try await members(of: unit, year: year, .holding, scope: scope, on: db)
        let served = try await members(of: unit, year: year, .served, scope: scope, on: db)
        let figures = PostCoverage(members: try await subtreeMembers(unit, scope: scope, on: db).count(),
                                   holdingPost: holding.count, served: served.count)
        return (figures, [.holding: holding, .served: served])
    }

    private static func subtreeMembers(_ unit: Organization, scope: Scope, on db: any Database) -> QueryBuilder<Member> {
        Scope(reach: .subtree(unit.path)).within(scope.members(on: db), \Member.$branchPath)
    }

    /// Ids of the unit's members covered this year in the given sense.
    private static func members(of unit: Organization, year: Int, _ coverage: Coverage, scope: Scope,
                                on db: any Database) async throws -> Set<Int> {
        struct Row: Decodable { let id: Int }
        var select = db.sql.select().distinct().column(SQLColumn("id", table: "m"), as: "id")
            .from(SQLAlias(SQLIdentifier(Member.schema), as: SQLIdentifier("m")))
            .join(SQLAlias(SQLIdentifier(Volunteer.schema), as: SQLIdentifier("v")), on: SQLRaw("v.member_id = m.id"))
        let (from, to) = ("\(year)-01-01", "\(year + 1)-01-01")
        switch coverage {
        case .holding:
            select = select
                .join(SQLAlias(SQLIdentifier(VolunteerSignUp.schema), as: SQLIdentifier("s")), on: SQLRaw("s.volunteer_id = v.id"))
                .join(SQLAlias(SQLIdentifier(VolunteerPost.schema), as: SQLIdentifier("p")), on: SQLRaw("p.id = s.post_id"))
                .where(SQLColumn("status", table: "s"), .equal, SQLBind(SignUpStatus.accepted.rawValue))
                .where(SQLColumn("day", table: "p"), .greaterThanOrEqual, SQLBind(from))
                .where(SQLColumn("day", table: "p"), .lessThan, SQLBind(to))
        case .served:
            select = select
                .join(SQLAlias(SQLIdentifier(ServiceRecord.schema), as: SQLIdentifier("r")), on: SQLRaw("r.volunteer_id = v.id"))
                .where(SQLColumn("minutes", table: "r"), .greaterThan, SQLBind(0))
                .where(SQLColumn("served_on", table: "r"), .greaterThanOrEqual, SQLBind(from))
                .where(SQLColumn("served_on", table: "r"), .lessThan, SQLBind(to))
        }
        select = select.where(SQLColumn("left_on", table: "m"), .is, SQLLiteral.null)
            .where(SQLColumn("branch_path", table: "m"), .greaterThanOrEqual, SQLBind(unit.path.subtreeLowerBound))
            .where(SQLColumn("branch_path", table: "m"), .lessThan, SQLBind(unit.path.subtreeUpperBound))
        return Set(try await scope.restrict(select, paths: [SQLColumn("branch_path", table: "m")]).all(decoding: Row.self).map(\.id))
    }

    /// The unit's members outside `covered`, by branch and name, for reminding them.
    static func notCovered(of unit: Organization, _ covered: Set<Int>, scope: Scope, limit: Int, offset: Int,
                           on db: any Database) async throws -> (members: [Member], total: Int) {
        var query = subtreeMembers(unit, scope: scope, on: db)
        if !covered.isEmpty { query = query.filter(\.$id !~ covered) }
        let total = try await query.count()
        let members = try await query.sort(\.$branchPath).sort(\.$name).range(offset..<(offset + limit)).all()
        return (members, total)
    }
}
