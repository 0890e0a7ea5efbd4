import Fluent
import LeagueCore
import SQLKit
import Vapor

/// What a caller may see and change (RULES.md §2): an administrator their unit and everything
/// below it, a member or volunteer only their own account, the command line everything.
///
/// Every query that returns units, accounts, audit entries or a part's records starts here: the
/// platform's own tables through the methods below, a part's records through
/// `query(_:on:)`/`find(_:_:on:)` for any `UnitScoped` model, and the few records whose rule is
/// different (both sides of a transfer, a volunteer's own rows, public pages) through a named rule
/// in the part's `*Scope.swift` file. Something outside the scope does not exist for the caller:
/// it answers 404, exactly as an id that was never used.
struct Scope: Sendable {
    enum Reach: Sendable {
        case everything
        case subtree(TreePath)
        /// A member or volunteer: their own account, and the member record it is linked to.
        case ownAccount(Int, member: Int?)
        case nothing
    }

    let reach: Reach

    /// Everything, for the command line, sign-in and the platform's own bookkeeping: named so that a
    /// reader sees the scope is lifted, and never used by a controller (a test checks).
    static let unrestricted = Scope(reach: .everything)

    /// The highest unit in reach, for administrators.
    var root: TreePath? {
        if case .subtree(let path) = reach { return path }
        return nil
    }

    /// The whole city: the command line, or an administrator of the root (团市委).
    ///
    /// The tree has one root, founded with the city (`Bootstrap`); every unit is made below a
    /// parent and moves only below another, so every stored unit path lies under the root. A
    /// required path column therefore needs no condition at the root: there the range is the
    /// whole table, and writing it out made SQLite walk the whole path index to count the city
    /// (219,000 volunteers: 22 ms) and sort where an order's index could serve.
    var isCityWide: Bool {
        switch reach {
        case .everything: true
        case .subtree(let root): root.depth == 0
        case .ownAccount, .nothing: false
        }
    }

    /// Whether the unit at `path` lies in reach.
    func contains(_ path: TreePath) -> Bool {
        switch reach {
        case .everything: true
        case .subtree(let root): root.contains(path)
        case .ownAccount, .nothing: false
        }
    }

    func contains(_ organization: Organization) -> Bool {
        contains(organization.path)
    }

    /// Whether the unit lies strictly below the scope's root: only then may the caller dissolve,
    /// move or rename it directly, since those are decisions of the level above.
    func isStrictlyAbove(_ organization: Organization) -> Bool {
        switch reach {
        case .everything: organization.parentID != nil
        case .subtree(let root): root.contains(organization.path) && root != organization.path
        case .ownAccount, .nothing: false
        }
    }

    // MARK: Any part's records

    /// How the subtree condition is written. At the top of a large tree SQLite's planner, which
    /// keeps no statistics, always takes the path index and then sorts the whole subtree, a million
    /// rows at the city root; `.walkingTheOrder` writes the condition as `+path`, which leaves it
    /// the index of the order asked for, read until the page is full. PostgreSQL keeps statistics
    /// and gets the plain condition either way.
    enum PathCondition: Sendable {
        case usingThePathIndex
        case walkingTheOrder
    }

    /// The records of `M` the caller may see: those of units in reach, or for a signed-in member
    /// or volunteer what the model says is their own.
    func query<M: UnitScoped>(_ type: M.Type, on db: any Database, _ condition: PathCondition = .usingThePathIndex) -> QueryBuilder<M> {
        let query = M.query(on: db)
        switch (reach, condition) {
        case (.ownAccount(let account, let member), _): return M.own(query, account: account, member: member)
        case (.subtree(let root), .walkingTheOrder) where db.sql.dialect.name == "sqlite" && root.depth > 0:
            let column = Self.pathExpression(FieldKeys.path(M.unitPathField).last?.description ?? "", table: M.schemaOrAlias,
                                             condition, on: db)
            return query.filter(.sql(SQLQueryString("\(column) >= \(bind: root.subtreeLowerBound) AND \(column) < \(bind: root.subtreeUpperBound)")))
        default: return within(query, M.unitPathField)
        }
    }

    /// How many records of `M` are in reach. At the root it is the city's kept total where `M`
    /// keeps one (`CityTotalKept`), else the table's `COUNT(*)`, which SQLite answers from the
    /// table's b-tree where Fluent's `COUNT(id)` reads every row; below the root, and for a
    /// person's own records, it is the scoped query's count.
    func count<M: UnitScoped>(_ type: M.Type, on db: any Database) async throws -> Int {
        guard isCityWide else { return try await query(type, on: db).count() }
        if let kept = type as? any CityTotalKept.Type { return try await kept.cityTotal(on: db) }
        let row = try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(M.schema).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// A path column for hand-written reads, written as `condition` says.
    static func pathExpression(_ column: String, table: String, _ condition: PathCondition, on db: any Database) -> any SQLExpression {
        Self.column(column, table: table, offIndex: condition == .walkingTheOrder, on: db)
    }

    /// A column as a condition compares it; with `offIndex`, written `+column` on SQLite, which keeps
    /// its planner off the indexes that lead with the column (PostgreSQL plans by statistics).
    static func column(_ column: String, table: String, offIndex: Bool, on db: any Database) -> any SQLExpression {
        offIndex && db.sql.dialect.name == "sqlite" ? SQLQueryString("+\(ident: table).\(ident: column)") : SQLColumn(column, table: table)
    }

    /// The record with this id if the caller may see it; otherwise 404, exactly as a missing id.
    func find<M: UnitScoped>(_ type: M.Type, _ id: Int?, on db: any Database) async throws -> M {
        try await one(query(type, on: db), id)
    }

    /// Limits a query to rows whose unit path (of `M`, or of a model joined to it) lies in reach.
    @discardableResult
    func within<M: Model, J: Model>(_ query: QueryBuilder<M>, _ path: KeyPath<J, FieldProperty<J, TreePath>>) -> QueryBuilder<M> {
        // Every required path lies under the root (`isCityWide`).
        if isCityWide { return query }
        return within(query, FieldKeys.field(path))
    }

    /// The same for a path that may be empty: an empty one lies in nobody's reach but the system's.
    @discardableResult
    func within<M: Model, J: Model>(_ query: QueryBuilder<M>, _ path: KeyPath<J, OptionalFieldProperty<J, TreePath>>) -> QueryBuilder<M> {
        within(query, FieldKeys.field(path))
    }

    /// Limits a query to rows where either of two unit paths lies in reach (both sides of a
    /// transfer), written as one condition: Fluent's `group` makes a query builder, and with it a
    /// model, for every group.
    func withinEither<M: Model, One: UnitPathField, Other: UnitPathField>(_ query: QueryBuilder<M>, _ one: KeyPath<M, One>,
                                                                        _ other: KeyPath<M, Other>) -> QueryBuilder<M> {
        switch reach {
        case .subtree(let root) where !isCityWide:
            return query.filter(.group([pathRange(FieldKeys.field(one), root), pathRange(FieldKeys.field(other), root)], .or))
        case .everything, .subtree:
            return query
        case .ownAccount, .nothing:
            return query.filter(nowhere(FieldKeys.field(one)))
        }
    }

    private func within<M: Model>(_ query: QueryBuilder<M>, _ field: DatabaseQuery.Field) -> QueryBuilder<M> {
        switch reach {
        case .everything:
            return query
        case .subtree(let root):
            return query.filter(pathRange(field, root))
        case .ownAccount, .nothing:
            return query.filter(nowhere(field))
        }
    }

    /// The paths in the subtree of `root`: one index range.
    private func pathRange(_ field: DatabaseQuery.Field, _ root: TreePath) -> DatabaseQuery.Filter {
        .group([.value(field, .greaterThanOrEqual, .bind(root.subtreeLowerBound)), .value(field, .lessThan, .bind(root.subtreeUpperBound))], .and)
    }

    /// A condition no row meets.
    private func nowhere(_ field: DatabaseQuery.Field) -> DatabaseQuery.Filter {
        .value(field, .equal, .bind("/none/"))
    }

    private func one<M: Model>(_ query: QueryBuilder<M>, _ id: Int?) async throws -> M where M.IDValue == Int {
        guard let id, let found = try await query.filter(\._$id == id).first() else { throw Abort(.notFound) }
        return found
    }

    // MARK: Units

    func organizations(on db: any Database) -> QueryBuilder<Organization> {
        within(Organization.query(on: db), \Organization.$path)
    }

    /// The unit with this id if the caller may see it; otherwise 404.
    func organization(_ id: Int?, on db: any Database) async throws -> Organization {
        try await one(organizations(on: db), id)
    }

    /// As `organization(_:on:)`, refusing dissolved units as well.
    func activeOrganization(_ id: Int?, on db: any Database) async throws -> Organization {
        let organization = try await organization(id, on: db)
        guard organization.isActive else { throw Abort(.notFound) }
        return organization
    }

    /// The names of the units among `ids` that the caller may see, for labelling rows.
    func unitNames(_ ids: some Sequence<Int>, on db: any Database) async throws -> [Int: String] {
        // Two columns read as a row, not as units: a list names hundreds of them, and Fluent builds
        // all nineteen of a unit's fields for every row it reads (a third of the transfer list's CPU).
        let wanted = Array(Set(ids))
        guard !wanted.isEmpty else { return [:] }
        let select = db.sql.select().column("id").column("name").from(Organization.schema).where("id", .in, SQLBind.group(wanted))
        var names: [Int: String] = [:]
        for row in try await restrict(select, paths: [SQLColumn("path")]).all() {
            names[try row.decode(column: "id", as: Int.self)] = try row.decode(column: "name", as: String.self)
        }
        return names
    }

    /// An active unit found by its code or its full name, if the caller may see it.
    func activeOrganization(codeOrName: String, on db: any Database) async throws -> Organization? {
        let key = codeOrName.trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else { return nil }
        return try await organizations(on: db).filter(\.$status == .active)
            .group(.or) { $0.filter(\.$code == key).filter(\.$name == key) }
            .sort(\.$path).first()
    }

    // MARK: Accounts

    func accounts(on db: any Database) -> QueryBuilder<Account> {
        let query = Account.query(on: db)
        switch reach {
        case .everything: return query
        case .subtree:
            return within(query.join(Organization.self, on: \Account.$organizationID == \Organization.$id), \Organization.$path)
        case .ownAccount(let id, _):
            return query.filter(\.$id == id)
        case .nothing:
            return query.filter(\.$id == -1)
        }
    }

    func account(_ id: Int?, on db: any Database) async throws -> Account {
        try await one(accounts(on: db), id)
    }

    // MARK: Audit log

    func auditEntries(on db: any Database) -> QueryBuilder<AuditEntry> {
        let query = AuditEntry.query(on: db)
        switch reach {
        case .everything: return query
        case .subtree: return within(query, \AuditEntry.$organizationPath)
        case .ownAccount(let id, _): return query.filter(\.$actorAccountID == id)
        case .nothing: return query.filter(\.$id == -1)
        }
    }

    // MARK: SQLKit read models

    /// Limits a hand-written read to rows where at least one of the given unit-path columns lies
    /// in reach (a change request is visible to both the unit's side and the receiving side).
    func restrict(_ select: SQLSelectBuilder, paths columns: [any SQLExpression]) -> SQLSelectBuilder {
        switch reach {
        case .everything:
            return select
        case .subtree(let root):
            return select.where(group: { group in
                var group = group
                for column in columns {
                    group = group.orWhere(group: {
                        $0.where(column, .greaterThanOrEqual, SQLBind(root.subtreeLowerBound))
                            .where(column, .lessThan, SQLBind(root.subtreeUpperBound))
                    })
                }
                return group
            })
        case .ownAccount, .nothing:
            return select.where(SQLLiteral.boolean(false))
        }
    }
}

/// A field that holds a unit's path, required or not: what the scope's conditions compare.
protocol UnitPathField: AnyQueryableProperty {}
extension FieldProperty: UnitPathField where Value == TreePath {}
extension OptionalFieldProperty: UnitPathField where WrappedValue == TreePath {}

/// Records whose number in the whole city is kept as they are written, so that `Scope.count` at
/// the root reads it instead of counting the table.
protocol CityTotalKept: UnitScoped {
    static func cityTotal(on db: any Database) async throws -> Int
}

/// A record that belongs to a unit and keeps the unit's path (`TreePath`), so that "this unit and
/// below" is one index range: the scope serves every such model through `query` and `find`.
protocol UnitScoped: Model where IDValue == Int {
    /// The column with the path of the unit the record belongs to.
    static var unitPathField: KeyPath<Self, FieldProperty<Self, TreePath>> { get }

    /// What a signed-in member or volunteer sees of the model: nothing, unless the model says
    /// which rows are theirs.
    static func own(_ query: QueryBuilder<Self>, account: Int, member: Int?) -> QueryBuilder<Self>
}

extension UnitScoped {
    static func own(_ query: QueryBuilder<Self>, account: Int, member: Int?) -> QueryBuilder<Self> {
        query.filter(\._$id == -1)
    }
}
