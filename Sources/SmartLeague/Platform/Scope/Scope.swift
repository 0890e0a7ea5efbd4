import Fluent
import LeagueCore
import SQLKit
import Vapor

/// What a caller may see and change (RULES.md §2): an administrator their unit and everything
/// below it, a member only their own account, the command line everything.
///
/// Every query that returns units, accounts or audit entries starts here; the tests check that
/// no other file queries those tables by itself. Something outside the scope does not exist for
/// the caller: it answers 404, exactly as an id that was never used.
struct Scope: Sendable {
    enum Reach: Sendable {
        case everything
        case subtree(TreePath)
        /// A member: their own account and the member record it is linked to.
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
        contains(organization.treePath)
    }

    /// Whether the unit lies strictly below the scope's root: only then may the caller dissolve,
    /// move or rename it directly, since those are decisions of the level above.
    func isStrictlyAbove(_ organization: Organization) -> Bool {
        switch reach {
        case .everything: organization.parentID != nil
        case .subtree(let root): root.contains(organization.treePath) && root != organization.treePath
        case .ownAccount, .nothing: false
        }
    }

    // MARK: Units

    func organizations(on db: any Database) -> QueryBuilder<Organization> {
        let query = Organization.query(on: db)
        switch reach {
        case .everything: return query
        case .subtree(let root):
            return query.filter(\.$path >= root.subtreeLowerBound).filter(\.$path < root.subtreeUpperBound)
        case .ownAccount, .nothing:
            return query.filter(\.$id == -1)
        }
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
        let units = try await organizations(on: db).filter(\.$id ~~ Set(ids)).all()
        return Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0.name) })
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
        case .subtree(let root):
            return query.join(Organization.self, on: \Account.$organizationID == \Organization.$id)
                .filter(Organization.self, \.$path >= root.subtreeLowerBound)
                .filter(Organization.self, \.$path < root.subtreeUpperBound)
        case .ownAccount(let id, _):
            return query.filter(\.$id == id)
        case .nothing:
            return query.filter(\.$id == -1)
        }
    }

    func account(_ id: Int?, on db: any Database) async throws -> Account {
        try await one(accounts(on: db), id)
    }

    // MARK: Members

    /// Members of the league now; those who left are `formerMembers`.
    func members(on db: any Database) -> QueryBuilder<Member> {
        everyMember(on: db).filter(\.$leftOn == nil)
    }

    func formerMembers(on db: any Database) -> QueryBuilder<Member> {
        everyMember(on: db).filter(\.$leftOn != nil)
    }

    /// Members and former members alike: for uniqueness, which outlives membership.
    func everyMember(on db: any Database) -> QueryBuilder<Member> {
        let query = Member.query(on: db)
        switch reach {
        case .everything: return query
        case .subtree(let root):
            return query.filter(\.$branchPath >= root.subtreeLowerBound).filter(\.$branchPath < root.subtreeUpperBound)
        case .ownAccount(_, let member):
            return query.filter(\.$id == (member ?? -1))
        case .nothing:
            return query.filter(\.$id == -1)
        }
    }

    func member(_ id: Int?, on db: any Database) async throws -> Member {
        try await one(members(on: db), id)
    }

    // MARK: Work plan assignments

    /// Tasks handed to units in reach (the caller's own and those below).
    func assignments(on db: any Database) -> QueryBuilder<TaskAssignment> {
        byUnit(TaskAssignment.query(on: db), \.$unitPath)
    }

    func assignment(_ id: Int?, on db: any Database) async throws -> TaskAssignment {
        try await one(assignments(on: db), id)
    }

    // MARK: Evaluation sheets

    /// The yearly evaluation sheets of units in reach: a district sees its own, the city all.
    func evaluationSheets(on db: any Database) -> QueryBuilder<EvaluationSheet> {
        byUnit(EvaluationSheet.query(on: db), \.$unitPath)
    }

    func evaluationSheet(_ id: Int?, on db: any Database) async throws -> EvaluationSheet {
        try await one(evaluationSheets(on: db), id)
    }

    // MARK: 青年大学习 completions

    /// Completions counted under units in reach; a member sees their own.
    func studyCompletions(on db: any Database) -> QueryBuilder<StudyCompletion> {
        if case .ownAccount(_, let member) = reach {
            return StudyCompletion.query(on: db).filter(\.$memberID == (member ?? -1))
        }
        return byUnit(StudyCompletion.query(on: db), \.$branchPath)
    }

    // MARK: Meetings (三会一课)

    func meetings(on db: any Database) -> QueryBuilder<Meeting> {
        byUnit(Meeting.query(on: db), \.$branchPath)
    }

    func meeting(_ id: Int?, on db: any Database) async throws -> Meeting {
        try await one(meetings(on: db), id)
    }

    // MARK: Cadres and branch grading

    func cadres(on db: any Database) -> QueryBuilder<Cadre> {
        byUnit(Cadre.query(on: db), \.$unitPath)
    }

    func gradingSheets(on db: any Database) -> QueryBuilder<GradingSheet> {
        byUnit(GradingSheet.query(on: db), \.$branchPath)
    }

    func gradingSheet(_ id: Int?, on db: any Database) async throws -> GradingSheet {
        try await one(gradingSheets(on: db), id)
    }

    // MARK: Admission

    func applications(on db: any Database) -> QueryBuilder<AdmissionApplication> {
        byUnit(AdmissionApplication.query(on: db), \.$branchPath)
    }

    func application(_ id: Int?, on db: any Database) async throws -> AdmissionApplication {
        try await one(applications(on: db), id)
    }

    // MARK: Transfers

    /// Transfers out of or into units in reach; a member sees their own.
    func transfers(on db: any Database) -> QueryBuilder<Transfer> {
        let query = Transfer.query(on: db)
        switch reach {
        case .everything: return query
        case .subtree(let root):
            return query.group(.or) { either in
                either.group(.and) { $0.filter(\.$fromPath >= root.subtreeLowerBound).filter(\.$fromPath < root.subtreeUpperBound) }
                    .group(.and) { $0.filter(\.$toPath >= root.subtreeLowerBound).filter(\.$toPath < root.subtreeUpperBound) }
            }
        case .ownAccount(_, let member):
            return query.filter(\.$memberID == (member ?? -1))
        case .nothing:
            return query.filter(\.$id == -1)
        }
    }

    func transfer(_ id: Int?, on db: any Database) async throws -> Transfer {
        try await one(transfers(on: db), id)
    }

    /// Requests to take a member in: the receiver's own, and those the holding side in reach answers.
    func transferRequests(on db: any Database) -> QueryBuilder<TransferRequest> {
        let query = TransferRequest.query(on: db)
        switch reach {
        case .everything: return query
        case .subtree(let root):
            return query.group(.or) { either in
                either.group(.and) { $0.filter(\.$toPath >= root.subtreeLowerBound).filter(\.$toPath < root.subtreeUpperBound) }
                    .group(.and) { $0.filter(\.$fromPath >= root.subtreeLowerBound).filter(\.$fromPath < root.subtreeUpperBound) }
            }
        case .ownAccount, .nothing:
            return query.filter(\.$id == -1)
        }
    }

    func transferRequest(_ id: Int?, on db: any Database) async throws -> TransferRequest {
        try await one(transferRequests(on: db), id)
    }

    // MARK: Dues

    func duesPayments(on db: any Database) -> QueryBuilder<DuesPayment> {
        byUnit(DuesPayment.query(on: db), \.$branchPath)
    }

    // MARK: Volunteering (WE志愿服务平台)

    /// Volunteers registered with units in reach; a signed-in volunteer sees their own record.
    func volunteers(on db: any Database) -> QueryBuilder<Volunteer> {
        guard case .ownAccount(let account, let member) = reach else { return byUnit(Volunteer.query(on: db), \.$homePath) }
        return Volunteer.query(on: db).group(.or) { own in Self.ownVolunteer(own, account: account, member: member) }
    }

    /// One person, one identity: a volunteer record is a member's own whether their member
    /// account registered it or it was linked to their member record.
    private static func ownVolunteer<M: Model>(_ group: QueryBuilder<M>, account: Int, member: Int?) {
        group.filter(Volunteer.self, \.$accountID == account)
        if let member { group.filter(Volunteer.self, \.$memberID == member) }
    }

    func volunteer(_ id: Int?, on db: any Database) async throws -> Volunteer {
        try await one(volunteers(on: db), id)
    }

    /// Volunteers with a sign-up for a post of a unit in reach, wherever they are registered:
    /// the organiser sees who signed up, and nothing else about anyone else.
    func signedUpVolunteers(_ ids: some Sequence<Int>, on db: any Database) async throws -> [Int: Volunteer] {
        let wanted = Set(ids)
        guard !wanted.isEmpty else { return [:] }
        let signUps = try await self.signUps(on: db).filter(\.$volunteerID ~~ wanted).all()
        let reachable = Set(signUps.map(\.volunteerID))
        let found = try await Volunteer.query(on: db).filter(\.$id ~~ reachable).all()
        return Dictionary(uniqueKeysWithValues: found.map { ($0.id!, $0) })
    }

    /// A volunteer's own rows (through their account), or the rows kept by units in reach.
    private func volunteerRecords<M: Model>(_ query: QueryBuilder<M>, _ volunteer: KeyPath<M, FieldProperty<M, Int>>,
                                            _ path: KeyPath<M, FieldProperty<M, String>>) -> QueryBuilder<M> {
        guard case .ownAccount(let account, let member) = reach else { return byUnit(query, path) }
        return query.join(Volunteer.self, on: volunteer == \Volunteer.$id).group(.or) { own in
            Self.ownVolunteer(own, account: account, member: member)
        }
    }

    /// Identity checks of registrations kept by units in reach; the new account sees its own.
    func identityChecks(on db: any Database) -> QueryBuilder<VolunteerIdentityCheck> {
        let query = VolunteerIdentityCheck.query(on: db)
        if case .ownAccount(let account, _) = reach { return query.filter(\.$accountID == account) }
        return byUnit(query.join(Volunteer.self, on: \VolunteerIdentityCheck.$volunteerID == \Volunteer.$id), Volunteer.self, \.$homePath)
    }

    func identityCheck(_ id: Int?, on db: any Database) async throws -> VolunteerIdentityCheck {
        try await one(identityChecks(on: db), id)
    }

    func volunteerGroups(on db: any Database) -> QueryBuilder<VolunteerGroup> {
        byUnit(VolunteerGroup.query(on: db), \.$unitPath)
    }

    func volunteerProjects(on db: any Database) -> QueryBuilder<VolunteerProject> {
        byUnit(VolunteerProject.query(on: db), \.$unitPath)
    }

    func volunteerPosts(on db: any Database) -> QueryBuilder<VolunteerPost> {
        byUnit(VolunteerPost.query(on: db), \.$unitPath)
    }

    /// Sign-ups for posts of units in reach; a volunteer sees their own.
    func signUps(on db: any Database) -> QueryBuilder<VolunteerSignUp> {
        volunteerRecords(VolunteerSignUp.query(on: db), \.$volunteerID, \.$unitPath)
    }

    /// Service records kept by units in reach (the recording unit certifies); a volunteer sees their own.
    func serviceRecords(on db: any Database) -> QueryBuilder<ServiceRecord> {
        volunteerRecords(ServiceRecord.query(on: db), \.$volunteerID, \.$unitPath)
    }

    func serviceDisputes(on db: any Database) -> QueryBuilder<ServiceDispute> {
        volunteerRecords(ServiceDispute.query(on: db), \.$volunteerID, \.$unitPath)
    }

    /// Certificates issued by units in reach; a volunteer sees their own.
    func certificates(on db: any Database) -> QueryBuilder<VolunteerCertificate> {
        volunteerRecords(VolunteerCertificate.query(on: db), \.$volunteerID, \.$unitPath)
    }

    /// The record with this id if the caller may see it; otherwise 404, exactly as a missing id.
    private func one<M: Model>(_ query: QueryBuilder<M>, _ id: Int?) async throws -> M where M.IDValue == Int {
        guard let id, let found = try await query.filter(\._$id == id).first() else { throw Abort(.notFound) }
        return found
    }

    // MARK: Records kept by unit (registries, target parts)

    /// Limits any record that keeps its unit's path to the units in reach.
    func byUnit<M: Model>(_ query: QueryBuilder<M>, _ path: KeyPath<M, FieldProperty<M, String>>) -> QueryBuilder<M> {
        switch reach {
        case .everything: return query
        case .subtree(let root):
            return query.filter(path >= root.subtreeLowerBound).filter(path < root.subtreeUpperBound)
        case .ownAccount, .nothing:
            return query.filter(path == "/none/")
        }
    }

    /// As `byUnit`, on the path of a joined model.
    func byUnit<M: Model, J: Model>(_ query: QueryBuilder<M>, _ joined: J.Type, _ path: KeyPath<J, FieldProperty<J, String>>) -> QueryBuilder<M> {
        switch reach {
        case .everything: return query
        case .subtree(let root):
            return query.filter(joined, path >= root.subtreeLowerBound).filter(joined, path < root.subtreeUpperBound)
        case .ownAccount, .nothing:
            return query.filter(joined, path == "/none/")
        }
    }

    // MARK: Audit log

    func auditEntries(on db: any Database) -> QueryBuilder<AuditEntry> {
        let query = AuditEntry.query(on: db)
        switch reach {
        case .everything: return query
        case .subtree(let root):
            return query.filter(\.$organizationPath >= root.subtreeLowerBound)
                .filter(\.$organizationPath < root.subtreeUpperBound)
        case .ownAccount(let id, _):
            return query.filter(\.$actorAccountID == id)
        case .nothing:
            return query.filter(\.$id == -1)
        }
    }

    // MARK: SQLKit read models

    /// Limits a hand-written read to rows where at least one of the given unit-path columns lies
    /// in reach (a change request is visible to both the unit's side and the receiving side).
    func restrict(_ select: SQLSelectBuilder, paths columns: [SQLColumn]) -> SQLSelectBuilder {
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
