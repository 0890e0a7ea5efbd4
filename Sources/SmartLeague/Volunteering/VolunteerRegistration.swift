import Fluent
import LeagueCore
import SQLKit
import Vapor

/// Real-name registration (实名注册): one ID number registers once, gets a volunteer number, and
/// is linked to the member record and account when the ID belongs to a league member.
enum VolunteerRegistration {
    struct Applicant: Sendable {
        let name: String
        let residentID: ResidentID
        let phone: String?
        /// The district chosen by someone who is not a member; a member registers with their branch.
        let districtID: Int?
        /// A new account's sign-in; ignored when the person already has an account.
        let username: String?
        let passwordHash: String?
        /// Set when a signed-in member registers themselves: the volunteer record joins their account.
        var ownAccountID: Int? = nil
    }

    /// The units a non-member may register with: the city and its districts.
    static func districts(on db: any Database) async throws -> [Organization] {
        guard let root = try await Scope.system.organizations(on: db).filter(\.$parentID == nil).first() else { return [] }
        let children = try await Scope.system.organizations(on: db).filter(\.$parentID == root.id!).filter(\.$status == .active)
            .sort(\.$code).all()
        return [root] + children
    }

    static func register(_ applicant: Applicant, vault: PersonalDataVault, _ change: ChangeContext, on db: any Database) async throws -> Volunteer {
        let hash = vault.hash(applicant.residentID.value)
        if try await Scope.system.volunteers(on: db).filter(\.$idHash == hash).count() > 0 {
            throw Refusal("该身份证号码已注册为志愿者，一人只能注册一次；忘记账号请联系所在团组织", field: "residentID")
        }
        let member = try await Scope.system.members(on: db).filter(\.$idHash == hash).first()
        let home: Organization
        var accountID = applicant.ownAccountID
        if let member {
            // Worded as real-name checks are. A mismatch still tells that the number is on record
            // with another name: checking names against records is what real-name registration is.
            guard member.name == applicant.name else { throw Refusal("姓名与身份证号码不一致，请核对", field: "name") }
            home = try await Scope.system.organization(member.branchID, on: db)
            if accountID == nil, try await Scope.system.accounts(on: db).filter(\.$memberID == member.id!).count() > 0 {
                throw Refusal("该身份证号码已有账号，请登录后在“志愿服务”页一键注册", field: "residentID")
            }
        } else {
            let districts = try await districts(on: db)
            guard let chosen = districts.first(where: { $0.id == applicant.districtID }) else {
                throw Refusal("请选择所在区县（市）", field: "district")
            }
            home = chosen
        }
        if accountID == nil {
            accountID = try await newAccount(applicant, home: home, change, on: db).id
        }
        let volunteer = Volunteer()
        // The number derives from the row's id, which exists only after the insert.
        volunteer.volunteerNumber = "pending-" + UUID().uuidString
        volunteer.name = applicant.name
        volunteer.gender = applicant.residentID.gender
        volunteer.birthDate = applicant.residentID.birthDate.description
        volunteer.idSealed = try vault.seal(applicant.residentID.value)
        volunteer.idHash = hash
        volunteer.idMasked = applicant.residentID.masked
        volunteer.phone = applicant.phone
        volunteer.memberID = member?.id
        volunteer.accountID = accountID
        volunteer.homeID = home.id!
        volunteer.homePath = home.path
        volunteer.totalMinutes = 0
        volunteer.registeredAt = change.now
        try await volunteer.create(on: db)
        volunteer.volunteerNumber = VolunteerNumbers.volunteer(sequence: volunteer.id!)
        try await volunteer.save(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(home),
                               action: "volunteer.register", entityType: "volunteer", entityID: String(volunteer.id!),
                               summary: "\(volunteer.name)注册为志愿者（\(volunteer.volunteerNumber)）",
                               changes: FieldChange.created(["姓名": volunteer.name, "身份证号": volunteer.idMasked,
                                                             "志愿者编号": volunteer.volunteerNumber,
                                                             "关联团员": member.map { "\($0.name)（\($0.memberNumber)）" } ?? "否",
                                                             "注册单位": home.name]))
        return volunteer
    }

    /// A volunteer account reaches the volunteer pages only: registering with a member's name and
    /// ID (neither is secret) must not open the member's own record. A member who wants one
    /// sign-in for both registers from their member account instead.
    private static func newAccount(_ applicant: Applicant, home: Organization, _ change: ChangeContext,
                                   on db: any Database) async throws -> Account {
        guard let username = applicant.username, let passwordHash = applicant.passwordHash else {
            throw Refusal("请设置用户名和密码", field: "username")
        }
        if try await Scope.system.accounts(on: db).filter(\.$username == username).count() > 0 {
            throw Refusal("用户名「\(username)」已被使用", field: "username")
        }
        let account = Account()
        account.username = username
        account.displayName = applicant.name
        account.passwordHash = passwordHash
        account.kind = .volunteer
        account.organizationID = home.id!
        account.mustChangePassword = false
        account.failedAttempts = 0
        account.disabled = false
        try await account.create(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(home),
                               action: "account.create", entityType: "account", entityID: String(account.id!),
                               summary: "\(applicant.name)注册志愿者时创建\(account.kind.label)账号 \(username)",
                               changes: FieldChange.created(["用户名": username, "姓名": applicant.name, "类型": account.kind.label]))
        return account
    }

    /// Links volunteers who registered before becoming members to their new member records, with
    /// their branch as home: one person, one identity, whichever came first.
    static func linkNewMembers(idHashes: [String], _ change: ChangeContext, on db: any Database) async throws {
        guard !idHashes.isEmpty else { return }
        struct Linked: Decodable { let id: Int; let name: String; let home_id: Int; let home_path: String }
        let linked = try await db.sql.raw("""
            UPDATE volunteers SET
                member_id = (SELECT m.id FROM members m WHERE m.id_hash = volunteers.id_hash),
                home_id = (SELECT m.branch_id FROM members m WHERE m.id_hash = volunteers.id_hash),
                home_path = (SELECT m.branch_path FROM members m WHERE m.id_hash = volunteers.id_hash)
            WHERE member_id IS NULL AND id_hash IN \(SQLBind.group(idHashes))
            RETURNING id, name, home_id, home_path
            """).all(decoding: Linked.self)
        try await Audit.recordMany(on: db, actor: change.actor, at: change.now, linked.map {
            Audit.Item(unit: AuditUnit(id: $0.home_id, path: $0.home_path), action: "volunteer.link_member", entityType: "volunteer",
                       entityID: String($0.id), summary: "志愿者\($0.name)登记为团员，志愿者信息与团员信息关联",
                       changes: [FieldChange(field: "关联团员", old: "否", new: "是")])
        })
    }

    /// The volunteer record of the signed-in person, if they have registered.
    static func own(_ scope: Scope, on db: any Database) async throws -> Volunteer? {
        guard case .ownAccount = scope.reach else { return nil }
        return try await scope.volunteers(on: db).first()
    }
}
