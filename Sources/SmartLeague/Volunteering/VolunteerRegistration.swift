import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Real-name registration (实名注册): one ID number registers once and gets a volunteer number.
///
/// A name and an ID number are not secrets, so the public form proves nothing about who is
/// typing: it never links to a member record, never shows what the ID belongs to, and answers the
/// same whether the number is new, a member's, or registered already. Each public registration
/// opens an account; a number registered before becomes an identity check for the unit keeping
/// that registration (`VolunteerIdentity`), and a member's number stays unlinked until the member
/// confirms it from their own account or an administrator of their branch does.
enum VolunteerRegistration {
    struct Applicant: Sendable {
        let name: String
        let residentID: ResidentID
        let phone: String?
        let districtID: Int?
        let username: String
        let passwordHash: String
    }

    /// The units a public registration may choose: the city and its districts.
    static func districts(on db: any Database) async throws -> [Organization] {
        try await Organization.cityAndDistricts(on: db)
    }

    /// The public form: always an account of its own; a volunteer record when the number is new,
    /// an identity check when it is registered already.
    static func registerPublicly(_ applicant: Applicant, vault: PersonalDataVault, _ change: ChangeContext,
                                 on db: any Database) async throws -> Account {
        guard let home = try await districts(on: db).first(where: { $0.id == applicant.districtID }) else {
            throw Refusal("请选择所在区县（市）", field: "district")
        }
        let account = try await newAccount(applicant, home: home, change, on: db)
        let hash = vault.hash(applicant.residentID.value)
        if let registered = try await Scope.unrestricted.query(Volunteer.self, on: db).filter(\.$idHash == hash).first() {
            try await VolunteerIdentity.openCheck(for: registered, by: account, applicant: applicant, change, on: db)
        } else {
            _ = try await insert(name: applicant.name, residentID: applicant.residentID, phone: applicant.phone, memberID: nil,
                                 accountID: account.id!, home: home, vault: vault, change, on: db)
        }
        return account
    }

    /// A signed-in member registers with the ID on their record, in their branch (`accountID`
    /// nil: a member without an account, registered by the command line or the demo).
    static func registerMember(_ member: Member, accountID: Int?, vault: PersonalDataVault, today: CalendarDate,
                               _ change: ChangeContext, on db: any Database) async throws -> Volunteer {
        if let registered = try await Scope.unrestricted.query(Volunteer.self, on: db).filter(\.$idHash == member.idHash).first() {
            throw Refusal(registered.memberID == member.id
                ? "您已是注册志愿者（\(registered.volunteerNumber)）"
                : "已有一条以您的身份证号码注册的志愿者记录，请在本页确认是否为您本人注册")
        }
        guard let residentID = try? ResidentID(try vault.open(member.idSealed), today: today) else {
            throw Refusal("团员信息中的身份证号码有误，请联系所在团支部更正后再注册")
        }
        let branch = try await Scope.unrestricted.organization(member.branchID, on: db)
        return try await insert(name: member.name, residentID: residentID, phone: member.phone, memberID: member.id,
                                accountID: accountID, home: branch, vault: vault, change, on: db)
    }

    private static func insert(name: String, residentID: ResidentID, phone: String?, memberID: Int?, accountID: Int?,
                               home: Organization, vault: PersonalDataVault, _ change: ChangeContext,
                               on db: any Database) async throws -> Volunteer {
        let volunteer = Volunteer()
        // The number derives from the row's id, which exists only after the insert.
        volunteer.volunteerNumber = "pending-" + UUID().uuidString
        volunteer.name = name
        volunteer.gender = residentID.gender
        volunteer.birthDate = residentID.birthDate.description
        volunteer.idSealed = try vault.seal(residentID.value)
        volunteer.idHash = vault.hash(residentID.value)
        volunteer.idMasked = residentID.masked
        volunteer.phone = phone
        volunteer.memberID = memberID
        volunteer.accountID = accountID
        volunteer.homeID = home.id!
        volunteer.homePath = home.path
        volunteer.totalMinutes = 0
        volunteer.registeredAt = change.now
        try await volunteer.create(on: db)
        volunteer.volunteerNumber = VolunteerNumbers.volunteer(sequence: volunteer.id!)
        try await volunteer.save(on: db)
        try await VolunteerTotals.add(1, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(home),
                               action: "volunteer.register", entityType: "volunteer", entityID: String(volunteer.id!),
                               summary: "\(volunteer.name)注册为志愿者（\(volunteer.volunteerNumber)）",
                               changes: FieldChange.created(["姓名": volunteer.name, "身份证号": volunteer.idMasked,
                                                             "志愿者编号": volunteer.volunteerNumber,
                                                             "团员本人注册": memberID == nil ? "否" : "是", "注册单位": home.name]))
        return volunteer
    }

    /// A volunteer account reaches the volunteer pages only.
    private static func newAccount(_ applicant: Applicant, home: Organization, _ change: ChangeContext,
                                   on db: any Database) async throws -> Account {
        if try await Scope.unrestricted.accounts(on: db).filter(\.$username == applicant.username).count() > 0 {
            throw Refusal("用户名「\(applicant.username)」已被使用", field: "username")
        }
        let account = Account()
        account.username = applicant.username
        account.displayName = applicant.name
        account.passwordHash = applicant.passwordHash
        account.kind = .volunteer
        account.organizationID = home.id!
        account.mustChangePassword = false
        account.disabled = false
        try await account.create(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(home),
                               action: "account.create", entityType: "account", entityID: String(account.id!),
                               summary: "\(applicant.name)注册志愿者时创建\(account.kind.label)账号 \(applicant.username)",
                               changes: FieldChange.created(["用户名": applicant.username, "姓名": applicant.name,
                                                             "类型": account.kind.label]))
        return account
    }

    /// The volunteer record of the signed-in person, if they have registered.
    static func own(_ scope: Scope, on db: any Database) async throws -> Volunteer? {
        guard case .ownAccount = scope.reach else { return nil }
        return try await scope.query(Volunteer.self, on: db).first()
    }
}

// MARK: Use cases of the pages

extension VolunteerRegistration.Applicant {
    /// The public form's applicant; the password is hashed before the write, outside its transaction.
    init(_ input: VolunteerRegisterForm.Valid, passwordHash: String) {
        self.init(name: input.name, residentID: input.residentID, phone: input.phone, districtID: input.districtID,
                  username: input.username, passwordHash: passwordHash)
    }
}

extension VolunteerRegistration {
    /// The one-step registration from a member's own account; anyone else registers on the public form.
    static func registerOwn(memberID: Int?, accountID: Int, vault: PersonalDataVault, today: CalendarDate, _ change: ChangeContext,
                            on db: any Database) async throws -> Volunteer {
        guard let memberID, let member = try? await change.scope.member(memberID, on: db) else {
            throw Refusal("只有团员账号可以一键注册；其他人请退出后在注册页面实名注册")
        }
        return try await registerMember(member, accountID: accountID, vault: vault, today: today, change, on: db)
    }
}
