import Fluent
import LeagueCore
import SQLKit
import Vapor

/// What the admission pages read.
enum AdmissionQueries {
    /// Applications per stage in the unit and below, in one grouped read.
    static func counts(under unit: Organization, scope: Scope, on db: any Database) async throws -> [AdmissionStage: Int] {
        struct Count: Decodable { let stage: String; let n: Int }
        let select = db.sql.select().column("stage").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(AdmissionApplication.schema)
            .where("branch_path", .greaterThanOrEqual, SQLBind(unit.path.subtreeLowerBound))
            .where("branch_path", .lessThan, SQLBind(unit.path.subtreeUpperBound))
            .groupBy("stage")
        let rows = try await scope.restrict(select, paths: [SQLColumn("branch_path")]).all(decoding: Count.self)
        return Dictionary(uniqueKeysWithValues: rows.compactMap { row in AdmissionStage(rawValue: row.stage).map { ($0, row.n) } })
    }

    /// A unit's pipeline: the count of each stage, and one page of the applications (of one stage
    /// when chosen), latest first, with their branches' names.
    struct Board {
        let unit: Organization
        let counts: [AdmissionStage: Int]
        let selected: AdmissionStage?
        let applications: [Listed]
        let unitNames: [Int: String]
        let pagination: Pagination
    }

    /// An application as a list shows it.
    struct Listed {
        let id: Int
        let name: String
        let branchID: Int
        let stage: AdmissionStage
        let appliedOn: String
    }

    static func board(under unit: Organization, stage: AdmissionStage?, page: Int, scope: Scope, on db: any Database) async throws -> Board {
        let counts = try await counts(under: unit, scope: scope, on: db)
        var query = Scope(reach: .subtree(unit.path)).within(scope.query(AdmissionApplication.self, on: db), \AdmissionApplication.$branchPath)
        if let stage { query = query.filter(\.$stage == stage) }
        let pagination = Pagination(page: page, pageSize: 50, total: try await query.count(),
                                    keep: ["unit": String(unit.id ?? 0), "stage": stage?.rawValue ?? ""])
        // The columns a row shows, not an application's thirty, read as rows (`fieldRows`).
        let applications = try await query.fields(\.$id, \.$name, \.$branchID, \.$stage, \.$appliedOn)
            .sort(\.$updatedAt, .descending).sort(\.$id, .descending)
            .range(pagination.offset..<pagination.offset + pagination.pageSize).fieldRows().map(Listed.init)
        let names = try await Directory.unitNames(applications.map(\.branchID), on: db)
        return Board(unit: unit, counts: counts, selected: stage, applications: applications, unitNames: names, pagination: pagination)
    }

    /// The branch an application is registered in; only a branch takes them.
    static func branch(_ id: Int?, scope: Scope, on db: any Database) async throws -> Organization {
        let branch = try await scope.organization(id, on: db)
        guard branch.type.isBranch else { throw Abort(.notFound) }
        return branch
    }

    /// One application in reach with its steps so far, its lessons and its signed form.
    struct Detail {
        let application: AdmissionApplication
        let branch: Organization
        let events: [AdmissionEvent]
        let classHours: Int
        let files: [Attachment]
    }

    static func application(_ id: Int, scope: Scope, on db: any Database) async throws -> Detail {
        let application = try await scope.find(AdmissionApplication.self, id, on: db)
        let branch = try await scope.organization(application.branchID, on: db)
        let events = try await AdmissionEvent.query(on: db).filter(\.$applicationID == id).sort(\.$id).all()
        let files = try await Attachments.list(ownerType: AdmissionApplication.formOwner, ownerIDs: [id], on: db)[id] ?? []
        return Detail(application: application, branch: branch, events: events,
                      classHours: try await MeetingWrites.classHours(applicant: id, on: db), files: files)
    }

    /// A year's plan as the caller's unit sees it: its own, its children's, and the graduating
    /// classes in reach.
    struct Plan {
        let year: Int
        let unit: Organization
        let children: [Organization]
        let quotas: [Int: AdmissionQuota]
        let classes: [GraduatingClassRow]
    }

    static func plan(year: Int, unitID: Int, scope: Scope, on db: any Database) async throws -> Plan {
        let unit = try await scope.organization(unitID, on: db)
        let children = try await scope.organizations(on: db).filter(\.$parentID == unitID).filter(\.$status == .active).sort(\.$code).all()
        let quotas = try await AdmissionQuotas.quotas(year: year, units: [unitID] + children.compactMap(\.id), on: db)
        return Plan(year: year, unit: unit, children: children, quotas: quotas, classes: try await graduatingClasses(scope: scope, on: db))
    }

    struct GraduatingClassRow: Sendable {
        let branch: Organization
        let members: Int
        let record: GraduatingClass?
    }

    /// The graduating branches in reach, with their members and headcount.
    static func graduatingClasses(scope: Scope, on db: any Database) async throws -> [GraduatingClassRow] {
        let branches = try await scope.organizations(on: db).filter(\.$graduationDate != nil).filter(\.$status == .active)
            .sort(\.$path).range(0..<300).all()
        let ids = branches.compactMap(\.id)
        let records = Dictionary(uniqueKeysWithValues: try await GraduatingClass.query(on: db).filter(\.$branchID ~~ ids).all().map { ($0.branchID, $0) })
        // Members of every class in one grouped read.
        struct Count: Decodable { let branch_id: Int; let n: Int }
        let counts = ids.isEmpty ? [] : try await scope.restrict(db.sql.select().column("branch_id")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(Member.schema)
            .where("branch_id", .in, SQLBind.group(ids)).where("left_on", .is, SQLLiteral.null).groupBy("branch_id"),
            paths: [SQLColumn("branch_path")]).all(decoding: Count.self)
        let members = Dictionary(uniqueKeysWithValues: counts.map { ($0.branch_id, $0.n) })
        return branches.map { GraduatingClassRow(branch: $0, members: $0.id.flatMap { members[$0] } ?? 0, record: $0.id.flatMap { records[$0] }) }
    }
}

extension AdmissionQueries.Listed {
    init(_ row: FieldRow<AdmissionApplication>) throws {
        id = try row("id")
        name = try row("name")
        branchID = try row("branch_id")
        stage = try row("stage")
        appliedOn = try row("applied_on")
    }
}
