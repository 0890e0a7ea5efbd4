import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Finding members: every filter of the search form as one SQLKit read, within the caller's scope.
enum MemberQueries {
    struct Filter: Sendable {
        var namePrefix: String?
        var memberNumber: String?
        /// Keyed hash of a full ID number: exact search without storing the number.
        var idHash: String?
        var phone: String?
        var unitPath: TreePath?
        var ageBand: AgeBand?
        var gender: Gender?
        var education: Education?
        var occupation: Occupation?
        /// Only members of 28 or more without a league post (超龄离团).
        var overageOnly = false
        var sort: Sort = .name
        var descending = false
    }

    enum Sort: String, CaseIterable, Sendable {
        case name, birthDate, joinedOn, memberNumber

        var column: String {
            switch self {
            case .name: "name"
            case .birthDate: "birth_date"
            case .joinedOn: "joined_on"
            case .memberNumber: "member_number"
            }
        }

        var label: String {
            switch self {
            case .name: "姓名"
            case .birthDate: "出生日期"
            case .joinedOn: "入团日期"
            case .memberNumber: "团员编号"
            }
        }
    }

    struct Row: Codable, Sendable {
        let id: Int
        let name: String
        let gender: Gender
        let ethnicity: String
        let id_masked: String
        let birth_date: String
        let phone: String?
        let education: Education
        let occupation: Occupation
        let party_status: PartyStatus
        let joined_on: String
        let member_number: String
        let branch_name: String
        let holds_league_post: Bool
    }

    static func select(_ filter: Filter, scope: Scope, today: CalendarDate, on db: any Database) -> SQLSelectBuilder {
        var select = db.sql.select()
            .from(SQLAlias(SQLIdentifier(Member.schema), as: SQLIdentifier("m")))
            .where(SQLColumn("left_on", table: "m"), .is, SQLLiteral.null)
        func equal(_ column: String, _ value: (any Encodable & Sendable)?) {
            if let value { select = select.where(SQLColumn(column, table: "m"), .equal, SQLBind(value)) }
        }
        if let prefix = filter.namePrefix {
            // A range rather than LIKE, so that the (branch_path, name) and name indexes serve it.
            select = select.where(SQLColumn("name", table: "m"), .greaterThanOrEqual, SQLBind(prefix))
                .where(SQLColumn("name", table: "m"), .lessThan, SQLBind(prefix + "\u{10FFFF}"))
        }
        equal("member_number", filter.memberNumber)
        equal("id_hash", filter.idHash)
        equal("phone", filter.phone)
        equal("gender", filter.gender?.rawValue)
        equal("education", filter.education?.rawValue)
        equal("occupation", filter.occupation?.rawValue)
        if let unit = filter.unitPath {
            select = select.where(SQLColumn("branch_path", table: "m"), .greaterThanOrEqual, SQLBind(unit.subtreeLowerBound))
                .where(SQLColumn("branch_path", table: "m"), .lessThan, SQLBind(unit.subtreeUpperBound))
        }
        if let band = filter.ageBand {
            let range = band.birthDates(on: today)
            select = select.where(SQLColumn("birth_date", table: "m"), .greaterThanOrEqual, SQLBind(range.lowerBound.description))
                .where(SQLColumn("birth_date", table: "m"), .lessThanOrEqual, SQLBind(range.upperBound.description))
        }
        if filter.overageOnly {
            let latest = MembershipAge.latestBirthDate(forAge: MembershipAge.leavingAge, on: today)
            select = select.where(SQLColumn("birth_date", table: "m"), .lessThanOrEqual, SQLBind(latest.description))
                .where(SQLColumn("holds_league_post", table: "m"), .equal, SQLBind(false))
        }
        return scope.restrict(select, paths: [SQLColumn("branch_path", table: "m")])
    }

    static func count(_ filter: Filter, scope: Scope, today: CalendarDate, on db: any Database) async throws -> Int {
        struct Count: Decodable { let total: Int }
        return try await select(filter, scope: scope, today: today, on: db)
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "total")
            .first(decoding: Count.self)?.total ?? 0
    }

    static func rows(_ filter: Filter, scope: Scope, today: CalendarDate, limit: Int, offset: Int,
                     on db: any Database) async throws -> [Row] {
        var select = select(filter, scope: scope, today: today, on: db)
            .join(SQLAlias(SQLIdentifier(Organization.schema), as: SQLIdentifier("o")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "o"), .equal, SQLColumn("branch_id", table: "m"))
        for column in ["id", "name", "gender", "ethnicity", "id_masked", "birth_date", "phone", "education", "occupation",
                       "party_status", "joined_on", "member_number", "holds_league_post"] {
            select = select.column(SQLColumn(column, table: "m"))
        }
        return try await select.column(SQLColumn("name", table: "o"), as: "branch_name")
            .orderBy(SQLColumn(filter.sort.column, table: "m"), filter.descending ? SQLDirection.descending : SQLDirection.ascending)
            .orderBy(SQLColumn("id", table: "m"))
            .limit(limit).offset(offset)
            .all(decoding: Row.self)
    }
}
