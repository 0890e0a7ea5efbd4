import Fluent
import LeagueCore
import Vapor

/// The recording unit's side of hours: objections to answer, honour records to correct, and
/// certificates to print.
struct VolunteerServiceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(VolunteeringRoute.disputes, use: disputes)
        routes.post(VolunteeringRoute.resolve(.key), use: resolve)
        routes.post(VolunteeringRoute.correct(.key), use: correct)
        routes.get(VolunteeringRoute.certificate(.key), use: certificate)
    }

    private func disputesPage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let disputes = try await VolunteeringQueries.disputes(scope: req.scope, on: req.db)
        return try await req.page("volunteering/disputes", title: "时长异议", ServiceDisputesPage(disputes, form: state), status: status)
    }

    @Sendable func disputes(req: Request) async throws -> Response {
        try await disputesPage(req, FormState(), status: .ok)
    }

    @Sendable func resolve(req: Request) async throws -> Response {
        let id = try req.id()
        let (input, state) = try req.validated(ServiceDisputeResolveForm.self)
        return try await req.submit(state, back: { _ in VolunteeringRoute.disputes.url }, flash: { (dispute: ServiceDispute) in "异议\(dispute.status.label)" },
                                    page: { try await disputesPage(req, $0, status: .unprocessableEntity) }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await ServiceHours.resolve(disputeID: id, correctedMinutes: input.correctedMinutes, reply: input.reply, change, on: db)
        }
    }

    /// From the volunteer's page, and back to it; a refusal shows there as the message of the page.
    @Sendable func correct(req: Request) async throws -> Response {
        let id = try req.id()
        let (input, state) = try req.validated(HonorCorrectionForm.self)
        let record = try await VolunteeringQueries.record(id, scope: req.scope, on: req.db)
        let back = VolunteeringRoute.volunteer(.value(record.volunteerID)).url
        return try await req.submit(state, back: { _ in back }, flash: { (_: ServiceRecord) in "荣誉时长已更正" },
                                    page: { state in try await req.redirect(to: back, flash: state.errors.values.first) }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await ServiceHours.correct(recordID: id, minutes: input.minutes, reason: input.reason, change, on: db)
        }
    }

    @Sendable func certificate(req: Request) async throws -> Response {
        let (certificate, volunteer) = try await VolunteeringQueries.certificate(try req.id(), scope: req.scope, on: req.db)
        return try await req.page("volunteer/certificate", title: "志愿服务证明", VolunteerCertificatePage(certificate, volunteer: volunteer))
    }
}
