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
        var query = Scope.system.volunteerPosts(on: db).filter(\.$published == true)
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

    /// Members of `unit` and below with a post this year, and with hours served this year.
    static func coverage(of unit: Organization, year: Int, scope: Scope, on db: any Database) async throws -> PostCoverage {
        let members = try await subtreeMembers(unit, scope: scope, on: db).count()
        struct Count: Decodable { let n: Int }
        let holding = try await scope.restrict(db.sql.select().column(SQLRaw("COUNT(DISTINCT m.id)"), as: "n")
            .from(SQLAlias(SQLIdentifier(Member.schema), as: SQLIdentifier("m")))
            .join(SQLAlias(SQLIdentifier(Volunteer.schema), as: SQLIdentifier("v")), on: SQLRaw("v.member_id = m.id"))
            .join(SQLAlias(SQLIdentifier(VolunteerSignUp.schema), as: SQLIdentifier("s")), on: SQLRaw("s.volunteer_id = v.id"))
            .join(SQLAlias(SQLIdentifier(VolunteerPost.schema), as: SQLIdentifier("p")), on: SQLRaw("p.id = s.post_id"))
            .where(SQLColumn("status", table: "s"), .equal, SQLBind(SignUpStatus.accepted.rawValue))
            .where(SQLColumn("day", table: "p"), .greaterThanOrEqual, SQLBind("\(year)-01-01"))
            .where(SQLColumn("day", table: "p"), .lessThan, SQLBind("\(year + 1)-01-01"))
            .where(SQLColumn("left_on", table: "m"), .is, SQLLiteral.null)
            .where(SQLColumn("branch_path", table: "m"), .greaterThanOrEqual, SQLBind(unit.treePath.subtreeLowerBound))
            .where(SQLColumn("branch_path", table: "m"), .lessThan, SQLBind(unit.treePath.subtreeUpperBound)),
            paths: [SQLColumn("branch_path", table: "m")]).first(decoding: Count.self)?.n ?? 0
        let served = try await servedMembers(of: unit, year: year, scope: scope, on: db).count
        return PostCoverage(members: members, holdingPost: holding, served: served)
    }

    private static func subtreeMembers(_ unit: Organization, scope: Scope, on db: any Database) -> QueryBuilder<Member> {
        scope.members(on: db).filter(\.$branchPath >= unit.treePath.subtreeLowerBound).filter(\.$branchPath < unit.treePath.subtreeUpperBound)
    }

    /// Ids of the unit's members with hours this year.
    private static func servedMembers(of unit: Organization, year: Int, scope: Scope, on db: any Database) async throws -> Set<Int> {
        struct Row: Decodable { let id: Int }
        let rows = try await scope.restrict(db.sql.select().distinct().column(SQLColumn("id", table: "m"), as: "id")
            .from(SQLAlias(SQLIdentifier(Member.schema), as: SQLIdentifier("m")))
            .join(SQLAlias(SQLIdentifier(Volunteer.schema), as: SQLIdentifier("v")), on: SQLRaw("v.member_id = m.id"))
            .join(SQLAlias(SQLIdentifier(ServiceRecord.schema), as: SQLIdentifier("r")), on: SQLRaw("r.volunteer_id = v.id"))
            .where(SQLColumn("minutes", table: "r"), .greaterThan, SQLBind(0))
            .where(SQLColumn("served_on", table: "r"), .greaterThanOrEqual, SQLBind("\(year)-01-01"))
            .where(SQLColumn("served_on", table: "r"), .lessThan, SQLBind("\(year + 1)-01-01"))
            .where(SQLColumn("left_on", table: "m"), .is, SQLLiteral.null)
            .where(SQLColumn("branch_path", table: "m"), .greaterThanOrEqual, SQLBind(unit.treePath.subtreeLowerBound))
            .where(SQLColumn("branch_path", table: "m"), .lessThan, SQLBind(unit.treePath.subtreeUpperBound)),
            paths: [SQLColumn("branch_path", table: "m")]).all(decoding: Row.self)
        return Set(rows.map(\.id))
    }

    /// The unit's members who have not served this year, by branch and name, for reminding them.
    static func notServed(of unit: Organization, year: Int, scope: Scope, limit: Int, offset: Int,
                          on db: any Database) async throws -> (members: [Member], total: Int) {
        let served = try await servedMembers(of: unit, year: year, scope: scope, on: db)
        var query = subtreeMembers(unit, scope: scope, on: db)
        if !served.isEmpty { query = query.filter(\.$id !~ served) }
        let total = try await query.count()
        let members = try await query.sort(\.$branchPath).sort(\.$name).range(offset..<(offset + limit)).all()
        return (members, total)
    }
}
