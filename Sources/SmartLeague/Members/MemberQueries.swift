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

        /// Everyone in the unit: the list's default view, whose size is kept (`MemberStats`).
        var isEverybody: Bool {
            namePrefix == nil && memberNumber == nil && idHash == nil && phone == nil && ageBand == nil && gender == nil
                && education == nil && occupation == nil && !overageOnly
        }
    }

    /// The search form as a filter; a unit beyond reach is a refusal under `unit`.
    static func filter(_ input: MemberSearchForm.Valid, scope: Scope, vault: PersonalDataVault, on db: any Database) async throws -> Filter {
        var filter = Filter(namePrefix: input.namePrefix, memberNumber: input.memberNumber, idHash: input.residentID.map { vault.hash($0.value) },
                            phone: input.phone, ageBand: input.ageBand, gender: input.gender, education: input.education,
                            occupation: input.occupation, overageOnly: input.overageOnly, sort: input.sort, descending: input.descending)
        if let key = input.unit {
            guard let unit = try await scope.activeOrganization(codeOrName: key, on: db) else {
                throw Refusal("找不到该组织，或它不在您的管理范围内", field: "unit")
            }
            filter.unitPath = unit.path
        }
        return filter
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

    /// - Parameter condition: how the subtree is restricted (`pathCondition(unitSize:)`).
    static func select(_ filter: Filter, scope: Scope, today: CalendarDate, _ condition: Scope.PathCondition = .usingThePathIndex,
                       on db: any Database) -> SQLSelectBuilder {
        let path = Scope.pathExpression("branch_path", table: "m", condition, on: db)
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
            select = select.where(path, .greaterThanOrEqual, SQLBind(unit.subtreeLowerBound))
                .where(path, .lessThan, SQLBind(unit.subtreeUpperBound))
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
        return scope.restrict(select, paths: [path])
    }

    static func count(_ filter: Filter, scope: Scope, today: CalendarDate, on db: any Database) async throws -> Int {
        struct Count: Decodable { let total: Int }
        return try await select(filter, scope: scope, today: today, on: db)
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "total")
            .first(decoding: Count.self)?.total ?? 0
    }

    /// How many members the unit searched holds, from the kept counts (nil for a caller without a
    /// unit). It is the default view's total, and it decides how a page is read (see `select`).
    static func unitSize(_ filter: Filter, scope: Scope, on db: any Database) async throws -> Int? {
        guard let unitID = (filter.unitPath ?? scope.root)?.ids.last else { return nil }
        return try await MemberStats.total(of: unitID, scope: scope, on: db)
    }

    /// How many members the list finds: the kept count for everyone in the unit, instead of
    /// counting a subtree of a million rows at the city root; a count of the matches otherwise.
    static func total(_ filter: Filter, unitSize: Int?, scope: Scope, today: CalendarDate, on db: any Database) async throws -> Int {
        if filter.isEverybody, let unitSize { return unitSize }
        return try await count(filter, scope: scope, today: today, on: db)
    }

    /// Above this many members in the unit, a page is read by walking the sort column's index.
    static let walkingThreshold = 5_000

    /// How a read of members in a unit of this size restricts the subtree: in a large unit, reading
    /// along the order's index and stopping after the page beats collecting the subtree and
    /// sorting it (`Scope.PathCondition`).
    static func pathCondition(unitSize: Int?) -> Scope.PathCondition {
        (unitSize ?? 0) >= walkingThreshold ? .walkingTheOrder : .usingThePathIndex
    }

    /// Where a page starts when it is reached from the page before or after it: right after (or
    /// before) the member with this id in the list's order (keyset pagination), so that a deep
    /// page reads its fifty rows along the order's index instead of skipping every row before it
    /// (page 19,000 of the city's list took 2.3 s with an offset).
    enum Cursor: Sendable, Equatable {
        case after(Int)
        case before(Int)
        /// After a row whose sort value the reader already holds (the export's chunks): no member
        /// is read again, so one who leaves or is edited during a long export moves nothing.
        case afterRow(value: String, id: Int)

        /// `after=ID` or `before=ID` in the address; anything else is no cursor.
        init?(after: String?, before: String?) {
            if let id = after.flatMap({ ASCIIDigits.number($0) }), id > 0 {
                self = .after(id)
            } else if let id = before.flatMap({ ASCIIDigits.number($0) }), id > 0 {
                self = .before(id)
            } else {
                return nil
            }
        }
    }

    /// One page of the list; `unitSize` (see `unitSize(_:scope:on:)`) decides how it is read. With
    /// a cursor whose member the caller can see, the page starts there and `offset` is not used.
    static func rows(_ filter: Filter, scope: Scope, today: CalendarDate, limit: Int, offset: Int, cursor: Cursor? = nil,
                     unitSize: Int? = nil, on db: any Database) async throws -> [Row] {
        var select = select(filter, scope: scope, today: today, pathCondition(unitSize: unitSize), on: db)
            .join(SQLAlias(SQLIdentifier(Organization.schema), as: SQLIdentifier("o")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "o"), .equal, SQLColumn("branch_id", table: "m"))
        for column in ["id", "name", "gender", "ethnicity", "id_masked", "birth_date", "phone", "education", "occupation",
                       "party_status", "joined_on", "member_number", "holds_league_post"] {
            select = select.column(SQLColumn(column, table: "m"))
        }
        let sortColumn = SQLColumn(filter.sort.column, table: "m"), id = SQLColumn("id", table: "m")
        // Ties go by id in the same direction, so that one index (the column, then the row id)
        // serves both directions.
        var ascending = !filter.descending
        var skip = offset
        var backwards = false
        if let cursor, let anchor = try await anchor(cursor, sort: filter.sort, scope: scope, on: db) {
            backwards = anchor.backwards
            // Going back reads the page before the anchor in the opposite order, then turns it round.
            if backwards { ascending.toggle() }
            let (beyond, beyondOrEqual): (SQLBinaryOperator, SQLBinaryOperator) = ascending ? (.greaterThan, .greaterThanOrEqual) : (.lessThan, .lessThanOrEqual)
            select = select.where(sortColumn, beyondOrEqual, SQLBind(anchor.value))
                .where(group: { $0.where(sortColumn, beyond, SQLBind(anchor.value)).orWhere(id, beyond, SQLBind(anchor.id)) })
            skip = 0
        }
        let direction: SQLDirection = ascending ? .ascending : .descending
        let rows = try await select.column(SQLColumn("name", table: "o"), as: "branch_name")
            .orderBy(sortColumn, direction).orderBy(id, direction)
            .limit(limit).offset(skip)
            .all(reading: Row.self)
        return backwards ? rows.reversed() : rows
    }

    /// The value a row has in the list's order, for a cursor after it.
    static func sortValue(of row: Row, _ sort: Sort) -> String {
        switch sort {
        case .name: row.name
        case .birthDate: row.birth_date
        case .joinedOn: row.joined_on
        case .memberNumber: row.member_number
        }
    }

    /// The cursor's member's place in the order: their value of the sort column, read through the
    /// caller's scope (a member out of reach is no cursor).
    private static func anchor(_ cursor: Cursor, sort: Sort, scope: Scope,
                               on db: any Database) async throws -> (id: Int, value: String, backwards: Bool)? {
        let (id, backwards): (Int, Bool)
        switch cursor {
        case .after(let after): (id, backwards) = (after, false)
        case .before(let before): (id, backwards) = (before, true)
        case .afterRow(let value, let after): return (after, value, false)
        }
        guard let member = try await scope.members(on: db).filter(\.$id == id).first() else { return nil }
        let value = switch sort {
        case .name: member.name
        case .birthDate: member.birthDate
        case .joinedOn: member.joinedOn
        case .memberNumber: member.memberNumber
        }
        return (id, value, backwards)
    }

    /// A person or member number already on record, with whose and where.
    struct Registered: Decodable, Sendable {
        /// The keyed hash of the ID number, or the member number, as asked for.
        let key: String
        let name: String
        let branch_path: String
    }

    /// Of these ID number hashes, those on record (left members included), city-wide.
    static func registered(idHashes: [String], on db: any Database) async throws -> [Registered] {
        try await db.sql.select().column(SQLColumn("id_hash"), as: "key").columns("name", "branch_path").from(Member.schema)
            .where("id_hash", .in, SQLBind.group(idHashes)).all(decoding: Registered.self)
    }

    /// Of these member numbers, those on record (left members included), city-wide.
    static func registered(memberNumbers: [String], on db: any Database) async throws -> [Registered] {
        try await db.sql.select().column(SQLColumn("member_number"), as: "key").columns("name", "branch_path").from(Member.schema)
            .where("member_number", .in, SQLBind.group(memberNumbers)).all(decoding: Registered.self)
    }

    /// A file the caller uploaded and has not yet decided on; 404 otherwise.
    static func upload(_ id: Int, of accountID: Int, on db: any Database) async throws -> MemberImportUpload {
        guard let stored = try await MemberImportUpload.query(on: db).filter(\.$id == id).filter(\.$accountID == accountID).first() else {
            throw Abort(.notFound)
        }
        return stored
    }

    /// One record with its branch and a volunteer registration made with its ID number that
    /// nobody has taken up.
    struct Detail {
        let member: Member
        let branch: Organization
        let unlinkedVolunteer: Volunteer?
    }

    static func detail(_ member: Member, scope: Scope, on db: any Database) async throws -> Detail {
        Detail(member: member, branch: try await scope.organization(member.branchID, on: db),
               unlinkedVolunteer: try await VolunteerIdentity.unlinkedRegistration(of: member, on: db))
    }

    /// Each branch's lowest and highest member id, where its members' ids are one run (the demo
    /// city inserts members branch by branch): the parts that fill the demo draw members from them.
    static func idRunsByBranch(on db: any Database) async throws -> [Int: ClosedRange<Int>] {
        struct Run: Decodable { let branch_id: Int; let low: Int; let high: Int; let count: Int }
        let runs = try await db.sql.select().column("branch_id").column(SQLFunction("MIN", args: SQLColumn("id")), as: "low")
            .column(SQLFunction("MAX", args: SQLColumn("id")), as: "high").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
            .from(Member.schema).groupBy("branch_id").all(decoding: Run.self)
        var byBranch: [Int: ClosedRange<Int>] = [:]
        for run in runs where run.high - run.low + 1 == run.count { byBranch[run.branch_id] = run.low...run.high }
        return byBranch
    }
}

extension MemberQueries.Row: ReadFromRow {
    /// Read column by column: a page of the list is the most read page of the site, and
    /// `Codable`'s row decoder spent a sixth of its CPU finding each key.
    init<Row: SQLRow>(row: Row) throws {
        id = try row.decode(column: "id", as: Int.self)
        name = try row.decode(column: "name", as: String.self)
        gender = try row.decodeRaw(column: "gender")
        ethnicity = try row.decode(column: "ethnicity", as: String.self)
        id_masked = try row.decode(column: "id_masked", as: String.self)
        birth_date = try row.decode(column: "birth_date", as: String.self)
        phone = try row.decodeNil(column: "phone") ? nil : row.decode(column: "phone", as: String.self)
        education = try row.decodeRaw(column: "education")
        occupation = try row.decodeRaw(column: "occupation")
        party_status = try row.decodeRaw(column: "party_status")
        joined_on = try row.decode(column: "joined_on", as: String.self)
        member_number = try row.decode(column: "member_number", as: String.self)
        branch_name = try row.decode(column: "branch_name", as: String.self)
        holds_league_post = try row.decode(column: "holds_league_post", as: Bool.self)
    }
}
