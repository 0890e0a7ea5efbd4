import Foundation
import LeagueCore

/// 身份核实: registrations that repeat an ID number on record in reach, to settle with the person
/// in front of the unit.
struct VolunteerIdentityChecksPage: Encodable {
    struct Row: Encodable {
        let id: Int
        let volunteerNumber: String
        let volunteerName: String
        let idMasked: String
        let heldBy: String
        let newAccount: String
        let typedName: String
        let phone: String
        let at: String
        let status: String
        let note: String
        let isPending: Bool
    }

    let rows: [Row]
    let hasRows: Bool
    let form: FormState

    init(_ found: VolunteeringQueries.IdentityChecks, form: FormState) {
        rows = found.checks.compactMap { check in
            guard let id = check.id, let volunteer = found.volunteers[check.volunteerID] else { return nil }
            return Row(id: id, volunteerNumber: volunteer.volunteerNumber, volunteerName: volunteer.name, idMasked: volunteer.idMasked,
                       heldBy: volunteer.accountID.flatMap { found.usernames[$0] } ?? "（无账号）", newAccount: found.usernames[check.accountID] ?? "",
                       typedName: check.name, phone: check.phone.map(PhoneMask.mask) ?? "", at: ChinaTime.dateTimeString(check.createdAt),
                       status: check.status.label, note: check.note ?? "", isPending: check.status == .pending)
        }
        hasRows = !rows.isEmpty
        self.form = form
    }
}
