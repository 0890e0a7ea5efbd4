import Foundation
import LeagueCore

/// Anyone checks a certificate by its number; the identity shows masked.
struct CertificateVerifyPage: Encodable {
    let number: String
    let searched: Bool
    let found: VolunteerCertificatePage?

    /// The number as typed, the way certificates are numbered.
    static func number(typed: String?) -> String {
        (typed ?? "").trimmingCharacters(in: .whitespaces).uppercased()
    }

    init(number: String, found: (VolunteerCertificate, Volunteer)?) {
        self.number = number
        searched = !number.isEmpty
        self.found = found.map { VolunteerCertificatePage($0.0, volunteer: $0.1, publicly: true) }
    }
}
