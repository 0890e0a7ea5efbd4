import Fluent
import LeagueCore
import Vapor

/// The recording unit's side of hours: objections to answer, honour records to correct, and
/// certificates to print.
struct VolunteerServiceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped("volunteering")
        admin.get("disputes", use: disputes)
        admin.post("disputes", ":id", "resolve", use: resolve)
        admin.post("records", ":id", "correct", use: correct)
        admin.get("certificates", ":id", use: certificate)
    }

    struct DisputeRow: Encodable {
        let id: Int
        let volunteer: String
        let record: VolunteerViews.RecordRow
        let reason: String
        let status: String
        let reply: String
        let isOpen: Bool
    }

    struct DisputesPage: Encodable {
        let rows: [DisputeRow]
        let hasRows: Bool
        let form: FormState
    }

    private func disputesPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let disputes = try await req.scope.query(ServiceDispute.self, on: req.db).sort(\.$status, .descending).sort(\.$createdAt, .descending)
            .range(0..<200).all()
        let records = try await req.scope.query(ServiceRecord.self, on: req.db).filter(\.$id ~~ Set(disputes.map(\.recordID))).all()
        let recordRows = Dictionary(uniqueKeysWithValues: zip(records.map { $0.id! }, VolunteerViews.recordRows(records)))
        let volunteers = try await req.scope.signedUpVolunteers(disputes.map(\.volunteerID), on: req.db)
        let rows = disputes.compactMap { dispute -> DisputeRow? in
            guard let record = recordRows[dispute.recordID] else { return nil }
            return DisputeRow(id: dispute.id!, volunteer: volunteers[dispute.volunteerID].map { "\($0.name)（\($0.volunteerNumber)）" } ?? "",
                              record: record, reason: dispute.reason, status: dispute.status.label, reply: dispute.reply ?? "",
                              isOpen: dispute.status == .open)
        }
        return try await req.page("volunteering/disputes", title: "时长异议", DisputesPage(rows: rows, hasRows: !rows.isEmpty, form: state),
                                  status: status)
    }

    @Sendable func disputes(req: Request) async throws -> Response {
        try await disputesPage(req, FormState(), status: .ok)
    }

    @Sendable func resolve(req: Request) async throws -> Response {
        let id = try req.id()
        let form = try req.form()
        var state = FormState(values: form)
        let reply = state.check("reply") { try FormField.requiredText(form["reply"], label: "处理意见", max: 200) }
        var minutes: Int?
        if form["outcome"] == "correct" {
            minutes = ServiceTime.minutes(hoursText: form["hours"] ?? "")
            if minutes == nil { state.errors["hours"] = "更正时长应为小时数，最多一位小数" }
        }
        let corrected = minutes
        return try await req.submit(state, back: { _ in "/volunteering/disputes" }, flash: { "异议\($0.status.label)" },
                                    page: { try await disputesPage(req, $0, status: .unprocessableEntity) }) { db, change in
            try await ServiceHours.resolve(disputeID: id, correctedMinutes: corrected, reply: reply!, change, on: db)
        }
    }

    @Sendable func correct(req: Request) async throws -> Response {
        let id = try req.id()
        let form = try req.form()
        var state = FormState(values: form)
        let minutes = ServiceTime.minutes(hoursText: form["hours"] ?? "")
        if minutes == nil { state.errors["hours"] = "时长应为小时数，最多一位小数" }
        let reason = state.check("reason") { try FormField.text(form["reason"], label: "更正理由", required: false, max: 200) } ?? nil
        guard let record = try await req.scope.query(ServiceRecord.self, on: req.db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        let volunteerID = record.volunteerID
        return try await req.submit(state, back: { _ in "/volunteering/volunteers/\(volunteerID)" }, flash: { _ in "荣誉时长已更正" },
                                    page: { state in try await req.redirect(to: "/volunteering/volunteers/\(volunteerID)",
                                                                            flash: state.errors.values.first) }) { db, change in
            try await ServiceHours.correct(recordID: id, minutes: minutes!, reason: reason, change, on: db)
        }
    }

    @Sendable func certificate(req: Request) async throws -> Response {
        guard let certificate = try await req.scope.query(VolunteerCertificate.self, on: req.db).filter(\.$id == (try req.id())).first() else { throw Abort(.notFound) }
        let volunteer = try await req.scope.volunteer(of: certificate, on: req.db)
        return try await req.page("volunteer/certificate", title: "志愿服务证明", VolunteerViews.certificate(certificate, volunteer: volunteer))
    }
}
