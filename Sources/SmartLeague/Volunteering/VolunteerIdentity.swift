import Fluent
import LeagueCore
import SQLKit
import Vapor

/// A public registration with an ID number registered before (身份核实): the new account waits
/// while the unit keeping the registration checks, with the person in front of them, who is who.
final class VolunteerIdentityCheck: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "volunteer_identity_checks"

    enum Status: String, Codable, Sendable {
        case pending, granted, refused

        var label: String {
            switch self {
            case .pending: "待核实"
            case .granted: "已核实，志愿者记录转至新账号"
            case .refused: "未通过核实"
            }
        }
    }

    @ID(custom: "id", generatedBy: .database) var id: Int?
    /// The registration already on record.
    @Field(key: "volunteer_id") var volunteerID: Int
    /// The account the new registration opened.
    @Field(key: "account_id") var accountID: Int
    @Field(key: "name") var name: String
    @OptionalField(key: "phone") var phone: String?
    @Field(key: "status") var status: Status
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "decided_by") var decidedBy: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalField(key: "note") var note: String?
    var declaredProperties: [any AnyProperty] { [
        $id, $volunteerID, $accountID, $name, $phone, $status, $createdAt, $decidedBy, $decidedAt, $note
    ] }

    init() {}
}

struct CreateVolunteerIdentityChecks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(VolunteerIdentityCheck.schema)
            .field("id", .int, .identifier(auto: true))
            .field("volunteer_id", .int, .required, .references(Volunteer.schema, "id"))
            .field("account_id", .int, .required, .references(Account.schema, "id"))
            .field("name", .string, .required)
            .field("phone", .string)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("decided_by", .string)
            .field("decided_at", .datetime)
            .field("note", .string)
            .create()
        try await database.createIndex("volunteer_identity_checks_volunteer", on: VolunteerIdentityCheck.schema, columns: ["volunteer_id", "status"])
        try await database.createIndex("volunteer_identity_checks_account", on: VolunteerIdentityCheck.schema, columns: ["account_id"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema(VolunteerIdentityCheck.schema).delete()
    }
}

/// Who a volunteer registration belongs to: checks of repeated ID numbers, and a member taking
/// up a registration made with their number.
enum VolunteerIdentity {
    static func openCheck(for registered: Volunteer, by account: Account, applicant: VolunteerRegistration.Applicant,
                          _ change: ChangeContext, on db: any Database) async throws {
        let check = VolunteerIdentityCheck()
        check.volunteerID = registered.id!
        check.accountID = account.id!
        check.name = applicant.name
        check.phone = applicant.phone
        check.status = .pending
        check.createdAt = change.now
        try await check.create(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: registered.homeID, path: registered.homePath),
                               action: "volunteer.identity_check", entityType: "volunteer", entityID: String(registered.id!),
                               summary: "账号 \(account.username) 以已注册志愿者 \(registered.volunteerNumber) 的身份证号码注册，待核实",
                               changes: FieldChange.created(["新账号": account.username, "填写姓名": applicant.name]))
    }

    /// The unit keeping the registration decides: granted, the record moves to the new account
    /// and the account that held it is disabled; refused, the new account stays without one. A
    /// record of a member stays with the member.
    static func decide(_ id: Int, grant: Bool, note: String?, _ change: ChangeContext, on db: any Database) async throws -> VolunteerIdentityCheck {
        let check = try await change.scope.identityCheck(id, on: db)
        guard check.status == .pending else { throw Refusal("该核实已\(check.status.label)") }
        let volunteer = try await Scope.unrestricted.find(Volunteer.self, check.volunteerID, on: db)
        if grant {
            guard volunteer.memberID == nil else {
                throw Refusal("该志愿者记录属于团员本人，不能转给其他账号；请由团员本人使用团员账号登录")
            }
            if let previous = volunteer.accountID {
                try await disable(previous, reason: "志愿者记录经核实转至新账号", change, on: db)
            }
            volunteer.accountID = check.accountID
            try await volunteer.save(on: db)
        } else if note == nil {
            throw Refusal("不通过核实须写明理由", field: "note")
        }
        check.status = grant ? .granted : .refused
        check.decidedBy = change.actor.name
        check.decidedAt = change.now
        check.note = note
        try await check.save(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(id: volunteer.homeID, path: volunteer.homePath),
                               action: "volunteer.identity_decide", entityType: "volunteer", entityID: String(volunteer.id!),
                               summary: "志愿者 \(volunteer.volunteerNumber) 身份核实：\(check.status.label)",
                               changes: [FieldChange(field: "核实", old: VolunteerIdentityCheck.Status.pending.label, new: check.status.label)]
                                   + (note.map { [FieldChange(field: "说明", old: "", new: $0)] } ?? []))
        return check
    }

    /// Who holds a registration a member is asked to take up: the sign-in name that made it and
    /// the unit it was made with, which the member needs to recognise it as theirs or not.
    static func holder(of volunteer: Volunteer, on db: any Database) async throws -> (username: String, unit: String) {
        let account = try await Scope.unrestricted.accounts(on: db).filter(\.$id == (volunteer.accountID ?? -1)).first()
        let unit = try await Directory.unitNames([volunteer.homeID], on: db)[volunteer.homeID]
        return (account?.username ?? "", unit ?? "")
    }

    /// A registration made with the member's ID number that no member has taken up yet.
    static func unlinkedRegistration(of member: Member, on db: any Database) async throws -> Volunteer? {
        try await Scope.unrestricted.query(Volunteer.self, on: db).filter(\.$idHash == member.idHash).filter(\.$memberID == nil).first()
    }

    /// The member (or an administrator of the member's branch) takes up a registration made with
    /// the member's number: the member's identity is the proven one, so the record becomes theirs
    /// in their branch, on their own account if they have one. `mine` false says someone else
    /// made it: the account that made it is disabled.
    static func takeUp(memberID: Int, mine: Bool, _ change: ChangeContext, on db: any Database) async throws -> Volunteer {
        let member = try await change.scope.member(memberID, on: db)
        guard let volunteer = try await unlinkedRegistration(of: member, on: db) else {
            throw Refusal("没有待确认的志愿者注册")
        }
        let branch = try await Scope.unrestricted.organization(member.branchID, on: db)
        let memberAccount = try await Scope.unrestricted.accounts(on: db).filter(\.$memberID == memberID).first()
        let previous = volunteer.accountID
        if let memberAccount, previous != memberAccount.id {
            if let previous {
                try await disable(previous, reason: mine ? "志愿者记录并入团员账号" : "团员本人确认非其注册，停用冒用账号", change, on: db)
            }
            volunteer.accountID = memberAccount.id
        } else if !mine, let previous {
            try await disable(previous, reason: "团员确认非其本人注册，停用该账号", change, on: db)
        }
        volunteer.memberID = memberID
        volunteer.homeID = branch.id!
        volunteer.homePath = branch.path
        try await volunteer.save(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(branch),
                               action: "volunteer.link_member", entityType: "volunteer", entityID: String(volunteer.id!),
                               summary: mine ? "志愿者 \(volunteer.volunteerNumber) 经确认关联团员 \(member.name)"
                                   : "团员 \(member.name) 确认志愿者 \(volunteer.volunteerNumber) 非其本人注册，记录归团员本人",
                               changes: [FieldChange(field: "关联团员", old: "否", new: "是"),
                                         FieldChange(field: "注册单位", old: "", new: branch.name)])
        return volunteer
    }

    private static func disable(_ accountID: Int, reason: String, _ change: ChangeContext, on db: any Database) async throws {
        guard let account = try await Scope.unrestricted.accounts(on: db).filter(\.$id == accountID).first(),
              account.kind == .volunteer, !account.disabled else { return }
        account.disabled = true
        try await account.save(on: db)
        try await SessionStore.closeOthers(accountID: accountID, keeping: nil, on: db)
        let unit = try await Scope.unrestricted.organization(account.organizationID, on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(unit),
                               action: "account.disable", entityType: "account", entityID: String(accountID),
                               summary: "\(reason)：停用账号 \(account.username)",
                               changes: [FieldChange(field: "状态", old: "正常", new: "已停用")])
    }
}
