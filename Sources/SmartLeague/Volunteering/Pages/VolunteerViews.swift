import Fluent
import LeagueCore
import Vapor

/// What the volunteer pages show of posts, records and volunteers, shared by the public,
/// volunteer and administrator pages.
enum VolunteerViews {
    struct PostRow: Encodable {
        let id: Int
        let title: String
        let category: String
        let place: String
        let district: String
        let day: String
        let time: String
        let capacity: Int
        let taken: Int
        let openPlaces: Int
        let needsApproval: Bool
        let requirements: String
    }

    static func time(_ post: VolunteerPost) -> String {
        "\(ChinaTime.dateTimeString(post.startsAt).suffix(5))–\(ChinaTime.dateTimeString(post.endsAt).suffix(5))"
    }

    static func rows(_ posts: [VolunteerPost], on db: any Database) async throws -> [PostRow] {
        let districts = try await districtNames(on: db)
        return posts.map { post in
            PostRow(id: post.id!, title: post.title, category: post.category, place: post.place, district: districts[post.districtID] ?? "",
                    day: post.day, time: time(post), capacity: post.capacity, taken: post.taken, openPlaces: post.openPlaces,
                    needsApproval: post.needsApproval, requirements: post.requirements)
        }
    }

    /// The city and its districts by id: public names, shown on public pages.
    static func districtNames(on db: any Database) async throws -> [Int: String] {
        Dictionary(uniqueKeysWithValues: try await VolunteerRegistration.districts(on: db).map { ($0.id!, $0.name) })
    }

    static func districtOptions(on db: any Database) async throws -> [Choice] {
        try await VolunteerRegistration.districts(on: db).map { Choice(value: String($0.id!), label: $0.name) }
    }

    static let categoryOptions = VolunteerCategories.all.map { Choice(value: $0, label: $0) }

    struct RecordRow: Encodable {
        let id: Int
        let content: String
        let servedOn: String
        let kind: String
        let isHonor: Bool
        let hours: String
        let reason: String
        let recordedBy: String
    }

    static func recordRows(_ records: [ServiceRecord]) -> [RecordRow] {
        records.map {
            RecordRow(id: $0.id!, content: $0.content, servedOn: $0.servedOn, kind: $0.kind.label, isHonor: $0.kind == .honor,
                      hours: ServiceTime.hoursText($0.minutes), reason: $0.reason ?? "", recordedBy: $0.recordedBy)
        }
    }

    struct CertificateView: Encodable {
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
    }

    /// What the public verification page shows: the name and ID masked, no volunteer number,
    /// no handler.
    static func publicCertificate(_ certificate: VolunteerCertificate, volunteer: Volunteer) -> CertificateView {
        let full = self.certificate(certificate, volunteer: volunteer)
        return CertificateView(id: full.id, number: full.number, name: NameMask.mask(full.name), idType: full.idType, idMasked: full.idMasked,
                               volunteerNumber: "", hours: full.hours, content: full.content, issuer: full.issuer,
                               personInCharge: full.personInCharge, handler: "", contact: full.contact, issuedOn: full.issuedOn)
    }

    static func certificate(_ certificate: VolunteerCertificate, volunteer: Volunteer) -> CertificateView {
        CertificateView(id: certificate.id!, number: certificate.number, name: volunteer.name, idType: "居民身份证",
                        idMasked: volunteer.idMasked, volunteerNumber: volunteer.volunteerNumber,
                        hours: ServiceTime.hoursText(certificate.minutes), content: certificate.content, issuer: certificate.issuerName,
                        personInCharge: certificate.personInCharge, handler: certificate.handler, contact: certificate.contact,
                        issuedOn: certificate.issuedOn)
    }
}
