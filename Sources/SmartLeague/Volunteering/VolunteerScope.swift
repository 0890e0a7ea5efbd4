import Fluent
import LeagueCore
import Vapor

/// Volunteering's records belong to the unit that runs them (the recording unit certifies); a
/// volunteer sees their own record and rows, through their account or the member record it is
/// linked to.
extension Volunteer: UnitScoped {
    static var unitPathField: KeyPath<Volunteer, FieldProperty<Volunteer, TreePath>> { \.$homePath }

    static func own(_ query: QueryBuilder<Volunteer>, account: Int, member: Int?) -> QueryBuilder<Volunteer> {
        query.group(.or) { own in ownVolunteer(own, account: account, member: member) }
    }

    /// One person, one identity: a volunteer record is a member's own whether their member
    /// account registered it or it was linked to their member record.
    fileprivate static func ownVolunteer<M: Model>(_ group: QueryBuilder<M>, account: Int, member: Int?) {
        group.filter(Volunteer.self, \.$accountID == account)
        if let member { group.filter(Volunteer.self, \.$memberID == member) }
    }
}

/// Rows of one volunteer kept by a unit: the volunteer sees their own through a join.
protocol VolunteerRow: UnitScoped {
    static var volunteer: KeyPath<Self, FieldProperty<Self, Int>> { get }
}

extension VolunteerRow {
    static func own(_ query: QueryBuilder<Self>, account: Int, member: Int?) -> QueryBuilder<Self> {
        query.join(Volunteer.self, on: volunteer == \Volunteer.$id).group(.or) { own in
            Volunteer.ownVolunteer(own, account: account, member: member)
        }
    }
}

extension VolunteerSignUp: VolunteerRow {
    static var unitPathField: KeyPath<VolunteerSignUp, FieldProperty<VolunteerSignUp, TreePath>> { \.$unitPath }
    static var volunteer: KeyPath<VolunteerSignUp, FieldProperty<VolunteerSignUp, Int>> { \.$volunteerID }
}

extension ServiceRecord: VolunteerRow {
    static var unitPathField: KeyPath<ServiceRecord, FieldProperty<ServiceRecord, TreePath>> { \.$unitPath }
    static var volunteer: KeyPath<ServiceRecord, FieldProperty<ServiceRecord, Int>> { \.$volunteerID }
}

extension ServiceDispute: VolunteerRow {
    static var unitPathField: KeyPath<ServiceDispute, FieldProperty<ServiceDispute, TreePath>> { \.$unitPath }
    static var volunteer: KeyPath<ServiceDispute, FieldProperty<ServiceDispute, Int>> { \.$volunteerID }
}

extension VolunteerCertificate: VolunteerRow {
    static var unitPathField: KeyPath<VolunteerCertificate, FieldProperty<VolunteerCertificate, TreePath>> { \.$unitPath }
    static var volunteer: KeyPath<VolunteerCertificate, FieldProperty<VolunteerCertificate, Int>> { \.$volunteerID }
}

extension VolunteerGroup: UnitScoped {
    static var unitPathField: KeyPath<VolunteerGroup, FieldProperty<VolunteerGroup, TreePath>> { \.$unitPath }
}

extension VolunteerProject: UnitScoped {
    static var unitPathField: KeyPath<VolunteerProject, FieldProperty<VolunteerProject, TreePath>> { \.$unitPath }
}

extension VolunteerPost: UnitScoped {
    static var unitPathField: KeyPath<VolunteerPost, FieldProperty<VolunteerPost, TreePath>> { \.$unitPath }
}

extension VolunteerContest: UnitScoped {
    static var unitPathField: KeyPath<VolunteerContest, FieldProperty<VolunteerContest, TreePath>> { \.$unitPath }
}

extension ContestEntry: UnitScoped {
    static var unitPathField: KeyPath<ContestEntry, FieldProperty<ContestEntry, TreePath>> { \.$unitPath }
}

extension Scope {
    /// Volunteers with a sign-up for a post of a unit in reach, wherever they are registered:
    /// the organiser sees who signed up, and nothing else about anyone else.
    func signedUpVolunteers(_ ids: some Sequence<Int>, on db: any Database) async throws -> [Int: Volunteer] {
        let wanted = Set(ids)
        guard !wanted.isEmpty else { return [:] }
        let signUps = try await query(VolunteerSignUp.self, on: db).filter(\.$volunteerID ~~ wanted).all()
        let reachable = Set(signUps.map(\.volunteerID))
        let found = try await Volunteer.query(on: db).filter(\.$id ~~ reachable).all()
        return Dictionary(found.compactMap { volunteer in volunteer.id.map { ($0, volunteer) } }, uniquingKeysWith: { first, _ in first })
    }

    /// Identity checks of registrations kept by units in reach; the new account sees its own.
    func identityChecks(on db: any Database) -> QueryBuilder<VolunteerIdentityCheck> {
        let query = VolunteerIdentityCheck.query(on: db)
        if case .ownAccount(let account, _) = reach { return query.filter(\.$accountID == account) }
        return within(query.join(Volunteer.self, on: \VolunteerIdentityCheck.$volunteerID == \Volunteer.$id), \Volunteer.$homePath)
    }

    func identityCheck(_ id: Int?, on db: any Database) async throws -> VolunteerIdentityCheck {
        guard let id, let found = try await identityChecks(on: db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        return found
    }
}

extension Scope {
    /// The volunteer a record in reach is about (a certificate the caller's unit issued).
    func volunteer(of certificate: VolunteerCertificate, on db: any Database) async throws -> Volunteer {
        guard contains(certificate.unitPath) || { if case .ownAccount = reach { true } else { false } }(),
              let volunteer = try await Volunteer.query(on: db).filter(\.$id == certificate.volunteerID).first() else { throw Abort(.notFound) }
        return volunteer
    }

    /// The sign-in names on identity checks in reach: the account holding the registration and
    /// the one asking for it, so that the unit can check them with the person in front of it.
    func accountsNamed(on checks: [VolunteerIdentityCheck], holders: [Volunteer], on db: any Database) async throws -> [Int: String] {
        let ids = Set(checks.map(\.accountID) + holders.compactMap(\.accountID))
        let accounts = try await Account.query(on: db).filter(\.$id ~~ ids).all()
        return Dictionary(accounts.compactMap { account in account.id.map { ($0, account.username) } }, uniquingKeysWith: { first, _ in first })
    }
}
