import Foundation
import LeagueCore

/// A service certificate (志愿服务证明) as printed, and as the public verification shows it.
struct VolunteerCertificatePage: Encodable {
    let id: Int
    let number: String
    let name: String
    let idType: String
    let idMasked: String
    let volunteerNumber: String
    let hours: String
    let content: String
    let issuer: String
    let personInCharge: String
    let handler: String
    let contact: String
    let issuedOn: String

    /// Shown publicly (the verification page): the name masked, no volunteer number, no handler.
    init(_ certificate: VolunteerCertificate, volunteer: Volunteer, publicly: Bool = false) {
        id = certificate.id ?? 0
        number = certificate.number
        name = publicly ? NameMask.mask(volunteer.name) : volunteer.name
        idType = "居民身份证"
        idMasked = volunteer.idMasked
        volunteerNumber = publicly ? "" : volunteer.volunteerNumber
        hours = ServiceTime.hoursText(certificate.minutes)
        content = certificate.content
        issuer = certificate.issuerName
        personInCharge = certificate.personInCharge
        handler = publicly ? "" : certificate.handler
        contact = certificate.contact
        issuedOn = certificate.issuedOn
    }
}
