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
        /// The filter's fields as typed, to show again and to carry to the next page.
        var typed: [String: String] = [:]

        init() {}

        /// The filter a search's query string asks for; what cannot be read is left out.
        init(query raw: [String: String]) {
            districtID = raw["district"].flatMap { Int($0) }
            category = raw["category"].flatMap { VolunteerCategories.all.contains($0) ? $0 : nil }
            day = raw["day"].flatMap { CalendarDate($0) }
            openOnly = raw["open"] == "1"
            keyword = raw["q"].map { String($0.trimmingCharacters(in: .whitespaces).prefix(30)) }.flatMap { $0.isEmpty ? nil : $0 }
            typed = raw.filter { ["district", "category", "day", "open", "q"].contains($0.key) }
        }
    }

    /// Published posts for everyone, at every level: no scope, since the posts are public.
    /// Read as the columns the list shows, each decoded by itself: the search is the public's
    /// busiest page, and a whole post is decoded field by field through reflection.
    static func searchPosts(_ filter: PostFilter, today: CalendarDate, limit: Int, offset: Int,
                            on db: any Database) async throws -> (posts: [PostListing], total: Int) {
        func matching(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
            var select = Scope.unrestricted.restrict(select.from(VolunteerPost.schema), paths: [SQLColumn("unit_path")])
                .where("published", .equal, true)
            if let day = filter.day {
                select = select.where("day", .equal, day.description)
            } else {
                select = select.where("day", .greaterThanOrEqual, today.description)
            }
            if let district = filter.districtID { select = select.where("district_id", .equal, district) }
            if let category = filter.category { select = select.where("category", .equal, category) }
            if filter.openOnly { select = select.where(SQLColumn("taken"), .lessThan, SQLColumn("capacity")) }
            if let keyword = filter.keyword { select = select.where("title", .like, "%" + keyword + "%") }
            return select
        }
        let total = try await matching(db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n"))
            .first(decodingColumn: "n", as: Int.self) ?? 0
        let rows = try await matching(db.sql.select().columns(PostListing.columns.map { SQLColumn($0) }))
            .orderBy("day").orderBy("starts_at").orderBy("id").limit(limit).offset(offset).all(reading: PostListing.self)
        return (rows, total)
    }

    /// What a list of posts shows of each.
    struct PostListing: Sendable, ReadFromRow {
        let id: Int
        let title: String
        let category: String
        let place: String
        let districtID: Int
        let requirements: String
        let day: String
        let startsAt: Date
        let endsAt: Date
        let capacity: Int
        let taken: Int
        let needsApproval: Bool

        var openPlaces: Int { max(capacity - taken, 0) }

        static let columns = ["id", "title", "category", "place", "district_id", "requirements", "day", "starts_at", "ends_at",
                              "capacity", "taken", "needs_approval"]

        init(_ post: VolunteerPost) {
            (id, title, category, place, districtID, requirements) = (post.id ?? 0, post.title, post.category, post.place, post.districtID, post.requirements)
            (day, startsAt, endsAt, capacity, taken, needsApproval) = (post.day, post.startsAt, post.endsAt, post.capacity, post.taken, post.needsApproval)
        }

        init<Row: SQLRow>(row: Row) throws {
            id = try row.decode(column: "id", as: Int.self)
            title = try row.decode(column: "title", as: String.self)
            category = try row.decode(column: "category", as: String.self)
            place = try row.decode(column: "place", as: String.self)
            districtID = try row.decode(column: "district_id", as: Int.self)
            requirements = try row.decode(column: "requirements", as: String.self)
            day = try row.decode(column: "day", as: String.self)
            startsAt = try row.decode(column: "starts_at", as: Date.self)
            endsAt = try row.decode(column: "ends_at", as: Date.self)
            capacity = try row.decode(column: "capacity", as: Int.self)
            taken = try row.decode(column: "taken", as: Int.self)
            needsApproval = try row.decode(column: "needs_approval", as: Bool.self)
        }
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

// MARK: What the public pages read

extension VolunteerQueries {
    /// The city and its districts by id: public names, shown on public pages.
    static func districtNames(on db: any Database) async throws -> [Int: String] {
        Dictionary(try await Directory.cityAndDistricts(on: db).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// One page of the public search, with the districts to choose from and to name posts by.
    struct PostSearch {
        let posts: [PostListing]
        let total: Int
        let districts: [UnitName]
    }

    static func postSearch(_ filter: PostFilter, today: CalendarDate, page: Int, pageSize: Int,
                           on db: any Database) async throws -> PostSearch {
        let found = try await searchPosts(filter, today: today, limit: pageSize, offset: (page - 1) * pageSize, on: db)
        return PostSearch(posts: found.posts, total: found.total, districts: try await Directory.cityAndDistricts(on: db))
    }

    /// A published post with its project and group, and the caller's own sign-up for it.
    struct PublicPost {
        let post: VolunteerPost
        let project: VolunteerProject
        let group: VolunteerGroup
        let districtNames: [Int: String]
        /// The caller's volunteer record, when they are signed in and registered.
        let own: Volunteer?
        let signUp: VolunteerSignUp?
    }

    static func publicPost(_ id: Int, scope: Scope, on db: any Database) async throws -> PublicPost? {
        guard let (post, project, group) = try await VolunteerPublic.publishedPost(id, on: db) else { return nil }
        let own = try await VolunteerRegistration.own(scope, on: db)
        var signUp: VolunteerSignUp?
        if let volunteerID = own?.id {
            signUp = try await scope.query(VolunteerSignUp.self, on: db).filter(\.$postID == id).filter(\.$volunteerID == volunteerID).first()
        }
        return PublicPost(post: post, project: project, group: group, districtNames: try await districtNames(on: db), own: own, signUp: signUp)
    }

    /// A certificate checked by its number; a number too long to be one finds nothing.
    static func certificate(number: String, on db: any Database) async throws -> (VolunteerCertificate, Volunteer)? {
        guard !number.isEmpty, number.count <= 40 else { return nil }
        return try await VolunteerPublic.certificate(number: number, on: db)
    }

    struct LibraryFilter: Sendable {
        let category: String?
        let keyword: String?
        /// The filter's fields as typed, to show again and to carry to the next page.
        let typed: [String: String]

        init(query raw: [String: String]) {
            category = raw["category"].flatMap { VolunteerCategories.all.contains($0) ? $0 : nil }
            keyword = raw["q"].map { String($0.trimmingCharacters(in: .whitespaces).prefix(30)) }.flatMap { $0.isEmpty ? nil : $0 }
            typed = raw.filter { ["category", "q"].contains($0.key) }
        }
    }

    /// One page of closed projects, with their groups' names and contest places.
    struct Library {
        let projects: [VolunteerProject]
        let total: Int
        let groupNames: [Int: String]
        let awards: [Int: String]
    }

    static func library(_ filter: LibraryFilter, page: Int, pageSize: Int, on db: any Database) async throws -> Library {
        var query = VolunteerPublic.library(on: db)
        if let category = filter.category { query = query.filter(\.$category == category) }
        if let keyword = filter.keyword { query = query.filter(\.$title, .contains(inverse: false, .anywhere), keyword) }
        let total = try await query.count()
        let offset = Pagination(page: page, pageSize: pageSize, total: total).offset
        let projects = try await query.sort(\.$year, .descending).sort(\.$id, .descending).range(offset..<(offset + pageSize)).all()
        return Library(projects: projects, total: total, groupNames: try await VolunteerPublic.groupNames(projects.map(\.groupID), on: db),
                       awards: try await VolunteerPublic.awards(of: projects, on: db))
    }
}

// MARK: What a volunteer's own pages read

extension VolunteerQueries {
    /// A registered volunteer's own record: sign-ups with their posts, hours, objections,
    /// certificates, and the star table their hours are measured by.
    struct OwnRecord {
        let volunteer: Volunteer
        let signUps: [VolunteerSignUp]
        let posts: [Int: VolunteerPost]
        let records: [ServiceRecord]
        let disputes: [ServiceDispute]
        let certificates: [VolunteerCertificate]
        let policy: StarPolicy
    }

    /// A registration made with a member's ID number, with who made it and where.
    struct Unlinked {
        let volunteer: Volunteer
        let username: String
        let unit: String
    }

    /// The signed-in person's volunteering: their record, or what awaits them without one.
    enum Own {
        case registered(OwnRecord)
        /// A member may have a registration to take up; anyone else, an identity check.
        case unregistered(isMember: Bool, unlinked: Unlinked?, check: VolunteerIdentityCheck?)
    }

    static func own(_ actor: Actor, scope: Scope, on db: any Database) async throws -> Own {
        guard let volunteer = try await VolunteerRegistration.own(scope, on: db) else {
            if let memberID = actor.memberID {
                let member = try await scope.member(memberID, on: db)
                guard let volunteer = try await VolunteerIdentity.unlinkedRegistration(of: member, on: db) else {
                    return .unregistered(isMember: true, unlinked: nil, check: nil)
                }
                let holder = try await VolunteerIdentity.holder(of: volunteer, on: db)
                return .unregistered(isMember: true, unlinked: Unlinked(volunteer: volunteer, username: holder.username, unit: holder.unit),
                                     check: nil)
            }
            let check = try await scope.identityChecks(on: db).sort(\.$id, .descending).first()
            return .unregistered(isMember: false, unlinked: nil, check: check)
        }
        let signUps = try await scope.query(VolunteerSignUp.self, on: db).sort(\.$requestedAt, .descending).range(0..<100).all()
        let posts = try await VolunteerPublic.posts(of: signUps, on: db)
        return .registered(OwnRecord(
            volunteer: volunteer, signUps: signUps,
            posts: Dictionary(posts.compactMap { post in post.id.map { ($0, post) } }, uniquingKeysWith: { first, _ in first }),
            records: try await scope.query(ServiceRecord.self, on: db).sort(\.$servedOn, .descending).range(0..<200).all(),
            disputes: try await scope.query(ServiceDispute.self, on: db).sort(\.$createdAt, .descending).range(0..<50).all(),
            certificates: try await scope.query(VolunteerCertificate.self, on: db).sort(\.$id, .descending).all(),
            policy: try await ServiceHours.starPolicy(on: db)))
    }

    /// The published post a check-in link names, and the caller's accepted sign-up for it.
    static func checkIn(postID: Int, scope: Scope, on db: any Database) async throws -> (post: VolunteerPost, signUp: VolunteerSignUp?) {
        guard let post = try await VolunteerPublic.checkInPost(postID, on: db) else { throw Abort(.notFound) }
        let signUp = try await scope.query(VolunteerSignUp.self, on: db).filter(\.$postID == postID).filter(\.$status == .accepted).first()
        return (post, signUp)
    }

    /// One of the caller's own sign-ups, or 404.
    static func ownSignUp(_ id: Int, scope: Scope, on db: any Database) async throws -> VolunteerSignUp {
        guard let signUp = try await scope.query(VolunteerSignUp.self, on: db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        return signUp
    }

    /// One of the caller's own certificates with their record, or 404.
    static func ownCertificate(_ id: Int, scope: Scope, on db: any Database) async throws -> (VolunteerCertificate, Volunteer) {
        guard let certificate = try await scope.query(VolunteerCertificate.self, on: db).filter(\.$id == id).first(),
              let volunteer = try await VolunteerRegistration.own(scope, on: db) else { throw Abort(.notFound) }
        return (certificate, volunteer)
    }
}
