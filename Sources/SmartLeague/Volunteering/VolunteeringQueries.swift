import Fluent
import LeagueCore
import Vapor

/// What the cadres' volunteering pages read, all within the caller's scope.
enum VolunteeringQueries {
    static let pageSize = 50

    // MARK: Overview and groups

    /// A group as a list shows it, read as a row (`fieldRows`), not as a model.
    struct ListedGroup: GroupStanding {
        let id: Int
        let name: String
        let parentID: Int?
        let unitID: Int
        let unitPath: TreePath
        let independent: Bool
        let contact: String
        let status: VolunteerGroup.Status
        let decisionNote: String?
        let createdBy: Int?
    }

    private static func listedGroups(_ query: QueryBuilder<VolunteerGroup>) async throws -> [ListedGroup] {
        try await query.fields(\.$id, \.$name, \.$parentID, \.$unitID, \.$unitPath, \.$independent,
                               \.$contact, \.$status, \.$decisionNote, \.$createdBy).fieldRows().map(ListedGroup.init)
    }

    /// A group's parent as a list names it: its name, and the unit whose administrators decide below it.
    struct ParentGroup {
        let name: String
        let unitPath: TreePath
    }

    /// What labels a group in a list: its parent group and its league unit.
    struct GroupLabels {
        let parents: [Int: ParentGroup]
        let unitNames: [Int: String]
    }

    static func labels(of groups: [ListedGroup], scope: Scope, on db: any Database) async throws -> GroupLabels {
        GroupLabels(parents: try await VolunteerPublic.parentGroups(groups.compactMap(\.parentID), on: db),
                    unitNames: try await scope.unitNames(groups.map(\.unitID), on: db))
    }

    /// The figures of the overview and what awaits the caller.
    struct Overview {
        let volunteers: Int
        let groups: Int
        let projects: Int
        let openDisputes: Int
        let pendingGroups: [ListedGroup]
        let labels: GroupLabels
        let pendingProjects: [ListedProject]
        let groupNames: [Int: String]
        let policy: StarPolicy
    }

    /// A project as a list shows it.
    struct ListedProject {
        let id: Int
        let title: String
        let category: String
        let groupID: Int
        let year: Int
        let status: VolunteerProject.Status
    }

    /// The list's columns of projects, read as rows (`fieldRows`), not thirteen fields each.
    private static func listed(_ query: QueryBuilder<VolunteerProject>) async throws -> [ListedProject] {
        try await query.fields(\.$id, \.$title, \.$category, \.$groupID, \.$year, \.$status)
            .fieldRows().map(ListedProject.init)
    }

    static func overview(scope: Scope, on db: any Database) async throws -> Overview {
        let groups = try await listedGroups(scope.query(VolunteerGroup.self, on: db).filter(\.$status == .pending))
        let projects = try await listed(scope.query(VolunteerProject.self, on: db).filter(\.$status == .pending))
        return Overview(
            volunteers: try await scope.count(Volunteer.self, on: db),
            groups: try await scope.query(VolunteerGroup.self, on: db).filter(\.$status == .approved).count(),
            projects: try await scope.query(VolunteerProject.self, on: db).filter(\.$status == .published).count(),
            openDisputes: try await scope.query(ServiceDispute.self, on: db).filter(\.$status == .open).count(),
            pendingGroups: groups, labels: try await labels(of: groups, scope: scope, on: db),
            pendingProjects: projects, groupNames: try await groupNames(of: projects, on: db),
            policy: try await ServiceHours.starPolicy(on: db))
    }

    /// Groups in reach, and the approved groups a new one may join below.
    struct Groups {
        let groups: [ListedGroup]
        let labels: GroupLabels
        let parents: [VolunteerGroup]
        let ownUnit: Organization
    }

    static func groups(for actor: Actor, scope: Scope, on db: any Database) async throws -> Groups {
        let groups = try await listedGroups(scope.query(VolunteerGroup.self, on: db).sort(\.$unitPath).sort(\.$name).range(0..<500))
        let approved = try await VolunteerPublic.approvedGroups(limit: 500, on: db)
        return Groups(groups: groups, labels: try await labels(of: groups, scope: scope, on: db),
                      parents: approved.filter { scope.contains($0.unitPath) || $0.unitPath.contains(actor.unitPath) },
                      ownUnit: try await scope.organization(actor.unitID, on: db))
    }

    // MARK: Projects

    private static func groupNames(of projects: [ListedProject], on db: any Database) async throws -> [Int: String] {
        try await VolunteerPublic.groupNames(projects.map(\.groupID), on: db)
    }

    /// One page of projects in reach, with the approved groups and districts a new one may name.
    struct Projects {
        let projects: [ListedProject]
        let total: Int
        let groupNames: [Int: String]
        let approvedGroups: [VolunteerGroup]
        let districts: [UnitName]
    }

    static func projects(page: Int, scope: Scope, on db: any Database) async throws -> Projects {
        let query = scope.query(VolunteerProject.self, on: db)
        let total = try await query.count()
        let offset = Pagination(page: page, pageSize: pageSize, total: total).offset
        let projects = try await listed(query.sort(\.$year, .descending).sort(\.$id, .descending).range(offset..<(offset + pageSize)))
        return Projects(projects: projects, total: total, groupNames: try await groupNames(of: projects, on: db),
                        approvedGroups: try await scope.query(VolunteerGroup.self, on: db).filter(\.$status == .approved).sort(\.$name).all(),
                        districts: try await Directory.cityAndDistricts(on: db))
    }

    /// A project in reach with its group and posts.
    struct Project {
        let project: VolunteerProject
        let group: VolunteerGroup?
        let posts: [VolunteerPost]
        let districtNames: [Int: String]
    }

    static func project(_ id: Int, scope: Scope, on db: any Database) async throws -> Project {
        guard let project = try await scope.query(VolunteerProject.self, on: db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        return Project(project: project, group: try await VolunteerPublic.groups([project.groupID], on: db).first,
                       posts: try await scope.query(VolunteerPost.self, on: db).filter(\.$projectID == id).sort(\.$startsAt).range(0..<500).all(),
                       districtNames: try await VolunteerQueries.districtNames(on: db))
    }

    // MARK: Posts as their organiser runs them

    /// A post in reach, or 404.
    static func post(_ id: Int, scope: Scope, on db: any Database) async throws -> VolunteerPost {
        guard let post = try await scope.query(VolunteerPost.self, on: db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        return post
    }

    /// A post with its sign-ups and who made them.
    struct OrganisedPost {
        let post: VolunteerPost
        let signUps: [VolunteerSignUp]
        let volunteers: [Int: Volunteer]
        let districtNames: [Int: String]
    }

    static func organisedPost(_ id: Int, scope: Scope, on db: any Database) async throws -> OrganisedPost {
        let post = try await post(id, scope: scope, on: db)
        let signUps = try await scope.query(VolunteerSignUp.self, on: db).filter(\.$postID == id).sort(\.$requestedAt).sort(\.$id)
            .range(0..<2000).all()
        return OrganisedPost(post: post, signUps: signUps, volunteers: try await scope.signedUpVolunteers(signUps.map(\.volunteerID), on: db),
                             districtNames: try await VolunteerQueries.districtNames(on: db))
    }

    /// A sign-up for a post in reach, or 404.
    static func signUp(_ id: Int, scope: Scope, on db: any Database) async throws -> VolunteerSignUp {
        guard let signUp = try await scope.query(VolunteerSignUp.self, on: db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        return signUp
    }

    // MARK: Volunteers, hours and certificates

    /// One page of the volunteers registered in reach, by name or number.
    struct Volunteers {
        let volunteers: [Volunteer]
        let total: Int
        let policy: StarPolicy
    }

    static func volunteers(matching q: String, page: Int, scope: Scope, on db: any Database) async throws -> Volunteers {
        var query = scope.query(Volunteer.self, on: db)
        if !q.isEmpty {
            query = query.group(.or) { $0.filter(\.$volunteerNumber == q.uppercased()).filter(\.$name, .contains(inverse: false, .prefix), q) }
        }
        let total = try await query.count()
        let offset = Pagination(page: page, pageSize: pageSize, total: total).offset
        let volunteers = try await query.sort(\.$homePath).sort(\.$name).range(offset..<(offset + pageSize)).all()
        return Volunteers(volunteers: volunteers, total: total, policy: try await ServiceHours.starPolicy(on: db))
    }

    /// A volunteer registered in reach, or one who signed up for a post in reach; otherwise 404.
    static func reachableVolunteer(_ id: Int, scope: Scope, on db: any Database) async throws -> Volunteer {
        if let own = try await scope.query(Volunteer.self, on: db).filter(\.$id == id).first() { return own }
        guard let found = try await scope.signedUpVolunteers([id], on: db)[id] else { throw Abort(.notFound) }
        return found
    }

    /// A volunteer with the records and certificates of the units in reach.
    struct VolunteerDetail {
        let volunteer: Volunteer
        let records: [ServiceRecord]
        let certificates: [VolunteerCertificate]
        let policy: StarPolicy
    }

    static func volunteer(_ id: Int, scope: Scope, on db: any Database) async throws -> VolunteerDetail {
        let volunteer = try await reachableVolunteer(id, scope: scope, on: db)
        return VolunteerDetail(
            volunteer: volunteer,
            records: try await scope.query(ServiceRecord.self, on: db).filter(\.$volunteerID == id).sort(\.$servedOn, .descending)
                .range(0..<500).all(),
            certificates: try await scope.query(VolunteerCertificate.self, on: db).filter(\.$volunteerID == id).sort(\.$id, .descending).all(),
            policy: try await ServiceHours.starPolicy(on: db))
    }

    /// A record of a unit in reach, or 404.
    static func record(_ id: Int, scope: Scope, on db: any Database) async throws -> ServiceRecord {
        guard let record = try await scope.query(ServiceRecord.self, on: db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        return record
    }

    /// Objections to records in reach, open ones first, with the records and who made them.
    struct Disputes {
        let disputes: [ServiceDispute]
        let records: [ServiceRecord]
        let volunteers: [Int: Volunteer]
    }

    static func disputes(scope: Scope, on db: any Database) async throws -> Disputes {
        let disputes = try await scope.query(ServiceDispute.self, on: db).sort(\.$status, .descending).sort(\.$createdAt, .descending)
            .range(0..<200).all()
        return Disputes(disputes: disputes,
                        records: try await scope.query(ServiceRecord.self, on: db).filter(\.$id ~~ Set(disputes.map(\.recordID))).all(),
                        volunteers: try await scope.signedUpVolunteers(disputes.map(\.volunteerID), on: db))
    }

    /// A certificate a unit in reach issued, with its volunteer; otherwise 404.
    static func certificate(_ id: Int, scope: Scope, on db: any Database) async throws -> (VolunteerCertificate, Volunteer) {
        guard let certificate = try await scope.query(VolunteerCertificate.self, on: db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        return (certificate, try await scope.volunteer(of: certificate, on: db))
    }

    // MARK: Coverage and identity checks

    /// 每人认一岗: a unit's figures for a year, and one page of its members not yet covered.
    struct CoverageReport {
        let unit: Organization
        let year: Int
        let listing: VolunteerQueries.Coverage
        let figures: PostCoverage
        let members: [Member]
        let total: Int
        let branchNames: [Int: String]
    }

    static func coverage(of unit: Organization, year: Int, listing: VolunteerQueries.Coverage, page: Int, scope: Scope,
                         on db: any Database) async throws -> CoverageReport {
        let (figures, covered) = try await VolunteerQueries.coverage(of: unit, year: year, scope: scope, on: db)
        let list = try await VolunteerQueries.notCovered(of: unit, covered[listing] ?? [], scope: scope, limit: pageSize,
                                                         offset: (page - 1) * pageSize, on: db)
        return CoverageReport(unit: unit, year: year, listing: listing, figures: figures, members: list.members, total: list.total,
                              branchNames: try await scope.unitNames(list.members.map(\.branchID), on: db))
    }

    /// Identity checks in reach, pending first, with the registrations they repeat and the
    /// sign-in names on both sides.
    struct IdentityChecks {
        let checks: [VolunteerIdentityCheck]
        let volunteers: [Int: Volunteer]
        let usernames: [Int: String]
    }

    static func identityChecks(scope: Scope, on db: any Database) async throws -> IdentityChecks {
        let checks = try await scope.identityChecks(on: db).sort(\.$status).sort(\.$id, .descending).range(0..<200).all()
        let volunteers = try await scope.query(Volunteer.self, on: db).filter(\.$id ~~ Set(checks.map(\.volunteerID))).all()
        return IdentityChecks(
            checks: checks,
            volunteers: Dictionary(volunteers.compactMap { volunteer in volunteer.id.map { ($0, volunteer) } }, uniquingKeysWith: { first, _ in first }),
            usernames: try await scope.accountsNamed(on: checks, holders: volunteers, on: db))
    }
}

extension VolunteeringQueries.ListedGroup {
    init(_ row: FieldRow<VolunteerGroup>) throws {
        id = try row("id")
        name = try row("name")
        parentID = try row("parent_id")
        unitID = try row("unit_id")
        unitPath = try row("unit_path")
        independent = try row("independent")
        contact = try row("contact")
        status = try row("status")
        decisionNote = try row("decision_note")
        createdBy = try row("created_by")
    }
}

extension VolunteeringQueries.ListedProject {
    init(_ row: FieldRow<VolunteerProject>) throws {
        id = try row("id")
        title = try row("title")
        category = try row("category")
        groupID = try row("group_id")
        year = try row("year")
        status = try row("status")
    }
}
