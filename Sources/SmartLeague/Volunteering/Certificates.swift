import Fluent
import LeagueCore
import Vapor

/// Service certificates (志愿服务证明): free, and "whoever records certifies": a unit certifies
/// only the hours recorded by itself and the units below it.
enum Certificates {
    struct Issue: Sendable {
        let volunteerID: Int
        let personInCharge: String
        let contact: String
    }

    static func issue(_ issue: Issue, _ change: ChangeContext, on db: any Database) async throws -> VolunteerCertificate {
        guard case .subtree(let root) = change.scope.reach,
              let issuer = try await change.scope.organizations(on: db).filter(\.$path == root).first() else { throw Abort(.notFound) }
        let records = try await change.scope.query(ServiceRecord.self, on: db).filter(\.$volunteerID == issue.volunteerID).all()
        let minutes = records.reduce(0) { $0 + $1.minutes }
        guard minutes > 0 else { throw Refusal("本单位及下级没有该志愿者的服务时长记录，不能出具证明") }
        let volunteer = try await Scope.unrestricted.find(Volunteer.self, issue.volunteerID, on: db)
        var seen = Set<String>()
        let content = records.sorted { $0.servedOn < $1.servedOn }.map(\.content).filter { seen.insert($0).inserted }
            .joined(separator: "、")
        let certificate = VolunteerCertificate()
        certificate.number = "pending-" + UUID().uuidString
        certificate.volunteerID = volunteer.id!
        certificate.unitPath = issuer.path
        certificate.issuerName = issuer.name
        certificate.personInCharge = issue.personInCharge
        certificate.handler = change.actor.name
        certificate.contact = issue.contact
        certificate.minutes = minutes
        certificate.content = String(content.prefix(300))
        certificate.issuedOn = ChinaTime.dateString(change.now)
        try await certificate.create(on: db)
        certificate.number = VolunteerNumbers.certificate(year: CalendarDate(certificate.issuedOn)!.year, sequence: certificate.id!,
                                                          random: Int.random(in: 0..<100_000_000))
        try await certificate.save(on: db)
        try await Audit.record(on: db, actor: change.actor, at: change.now, unit: AuditUnit(issuer),
                               action: "volunteer_certificate.issue", entityType: "volunteer_certificate", entityID: String(certificate.id!),
                               summary: "为\(volunteer.name)（\(volunteer.volunteerNumber)）出具志愿服务证明 \(certificate.number)",
                               changes: FieldChange.created(["证明编号": certificate.number, "时长（小时）": ServiceTime.hoursText(minutes),
                                                             "负责人": issue.personInCharge, "联系方式": issue.contact]))
        return certificate
    }
}

// MARK: Use cases of the pages

extension Certificates {
    static func issue(to volunteerID: Int, _ input: VolunteerCertificateForm.Valid, _ change: ChangeContext,
                      on db: any Database) async throws -> VolunteerCertificate {
        try await issue(Issue(volunteerID: volunteerID, personInCharge: input.personInCharge, contact: input.contact), change, on: db)
    }
}
