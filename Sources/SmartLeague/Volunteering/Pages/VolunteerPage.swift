import Foundation
import LeagueCore

/// One volunteer as a unit sees them: the hours it and the units below recorded, honour records
/// to correct, and the certificates it issued or may issue.
struct VolunteerPage: Encodable {
    let id: Int
    let number: String
    let name: String
    let idMasked: String
    let isMember: Bool
    let hours: String
    let stars: Int
    let records: [VolunteerViews.RecordRow]
    let hasRecords: Bool
    let certificates: [Choice]
    let hasCertificates: Bool
    let form: FormState

    init(_ found: VolunteeringQueries.VolunteerDetail, form: FormState) {
        let volunteer = found.volunteer
        id = volunteer.id ?? 0
        number = volunteer.volunteerNumber
        name = volunteer.name
        idMasked = volunteer.idMasked
        isMember = volunteer.memberID != nil
        hours = ServiceTime.hoursText(volunteer.totalMinutes)
        stars = found.policy.stars(minutes: volunteer.totalMinutes)
        records = VolunteerViews.recordRows(found.records)
        hasRecords = !records.isEmpty
        certificates = found.certificates.compactMap { certificate in
            certificate.id.map {
                Choice(value: String($0), label: "\(certificate.number)（\(certificate.issuedOn)，\(ServiceTime.hoursText(certificate.minutes)) 小时）")
            }
        }
        hasCertificates = !certificates.isEmpty
        self.form = form
    }
}
