import Fluent
import LeagueCore
import Vapor

/// A volunteer's own pages, on a phone: their number and stars, sign-ups, check-in and
/// check-out, hours with objections, and certificates. A member registers here in one step.
struct VolunteerSelfController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(VolunteerRoute.me, use: me)
        routes.post(VolunteerRoute.registerMember, use: registerMember)
        routes.post(VolunteerRoute.takeUp, use: takeUp)
        routes.post(VolunteerRoute.signUp(.key), use: signUp)
        routes.post(VolunteerRoute.cancel(.key), use: cancel)
        routes.get(VolunteerRoute.checkIn, use: showCheckIn)
        routes.post(VolunteerRoute.clockIn(.key), use: checkIn)
        routes.post(VolunteerRoute.clockOut(.key), use: checkOut)
        routes.post(VolunteerRoute.dispute(.key), use: dispute)
        routes.get(VolunteerRoute.certificate(.key), use: certificate)
    }

    private func mePage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let own = try await VolunteerQueries.own(try req.requireActor(), scope: req.scope, on: req.db)
        return try await req.page("volunteer/me", title: "我的志愿服务", VolunteerMePage(own, now: req.now, form: state), status: status)
    }

    @Sendable func me(req: Request) async throws -> Response {
        try await mePage(req, FormState(), status: .ok)
    }

    /// A write from the own page: back to it with a message, or the page again with the refusal.
    private func write<T: Sendable>(_ req: Request, _ state: FormState, flash: @escaping @Sendable (T) -> String,
                                    page: ((FormState) async throws -> Response)? = nil,
                                    _ body: @escaping @Sendable (any Database, ChangeContext) async throws -> T) async throws -> Response {
        let failure: (FormState) async throws -> Response = page ?? { state in try await mePage(req, state, status: .unprocessableEntity) }
        return try await req.submit(state, back: { _ in VolunteerRoute.me.url }, flash: flash, page: failure, body)
    }

    /// A member's one-step registration from the ID already on their record.
    @Sendable func registerMember(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let vault = req.application.vault
        let today = req.today
        // The page has no field for the ID: whatever the refusal names shows at the top.
        return try await write(req, FormState(), flash: { (volunteer: Volunteer) in "注册成功，志愿者编号 \(volunteer.volunteerNumber)" },
                               page: { try await mePage(req, FormState(errors: ["_form": $0.errors.values.first ?? ""]), status: .unprocessableEntity) }) { db, change in
            try await VolunteerRegistration.registerOwn(memberID: actor.memberID, accountID: actor.accountID, vault: vault, today: today,
                                                        change, on: db)
        }
    }

    /// A member takes up a registration made with their ID number, saying whether they made it.
    @Sendable func takeUp(req: Request) async throws -> Response {
        guard let memberID = try req.requireActor().memberID else { throw Abort(.notFound) }
        let (input, state) = try req.validated(VolunteerTakeUpForm.self)
        let mine = input?.mine ?? false
        return try await write(req, state, flash: { (volunteer: Volunteer) in
            "志愿者记录 \(volunteer.volunteerNumber) 已归入您的团员账号" + (mine ? "" : "，冒用的账号已停用")
        }) { db, change in
            try await VolunteerIdentity.takeUp(memberID: memberID, mine: mine, change, on: db)
        }
    }

    @Sendable func signUp(req: Request) async throws -> Response {
        let postID = try req.id()
        guard let volunteer = try await VolunteerRegistration.own(req.scope, on: req.db) else {
            return try await req.redirect(to: VolunteerRoute.me.url, flash: "请先注册为志愿者，再报名岗位")
        }
        let back = VolunteerRoute.post(.value(postID)).url
        return try await req.submit(FormState(), back: { _ in back },
                                    flash: { $0.status == .accepted ? "报名成功，已录用" : "已报名：\($0.status.label)" },
                                    page: { state in try await req.redirect(to: back, flash: state.errors.values.first) }) { db, change in
            try await SignUps.signUp(postID: postID, volunteer: volunteer, change, on: db)
        }
    }

    @Sendable func cancel(req: Request) async throws -> Response {
        let id = try req.id()
        return try await write(req, FormState(), flash: { (_: VolunteerSignUp) in "已取消报名" }) { db, change in
            try await SignUps.decide(id, .cancel, change, on: db)
        }
    }

    private func checkInPage(_ req: Request, postID: Int, code: String, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let (post, signUp) = try await VolunteerQueries.checkIn(postID: postID, scope: req.scope, on: req.db)
        return try await req.page("volunteer/checkin", title: "签到签退", VolunteerCheckInPage(post: post, signUp: signUp, code: code, form: state),
                                  status: status)
    }

    /// Where the organiser's QR code leads: the volunteer's own sign-up for the post, with the code filled in.
    @Sendable func showCheckIn(req: Request) async throws -> Response {
        guard let postID = try? req.query.get(Int.self, at: "post") else { throw Abort(.notFound) }
        return try await checkInPage(req, postID: postID, code: (try? req.query.get(String.self, at: "code")) ?? "", FormState(), status: .ok)
    }

    private func clock(_ req: Request, _ clocking: ServiceHours.Clocking) async throws -> Response {
        let id = try req.id()
        let actor = try req.requireActor()
        let (input, state) = try req.validated(CheckInCodeForm.self)
        let code = input?.code ?? ""
        let signUp = try await VolunteerQueries.ownSignUp(id, scope: req.scope, on: req.db)
        let postID = signUp.postID
        guard try await ServiceHours.countClockAttempt(signUp, accountID: actor.accountID, actor: req.auditActor, now: req.now,
                                                       writer: req.application.writer, on: req.db) else {
            return try await checkInPage(req, postID: postID, code: code, FormState(values: state.values, errors: ["code": CheckInAttempts.refusedMessage]),
                                         status: .tooManyRequests)
        }
        return try await write(req, state, flash: { (_: VolunteerSignUp) in clocking == .checkIn ? "签到成功" : "签退成功，服务时长已记录" },
                               page: { try await checkInPage(req, postID: postID, code: code, $0, status: .unprocessableEntity) }) { db, change in
            try await ServiceHours.clock(clocking, signUpID: id, code: code, change, on: db)
        }
    }

    @Sendable func checkIn(req: Request) async throws -> Response {
        try await clock(req, .checkIn)
    }

    @Sendable func checkOut(req: Request) async throws -> Response {
        try await clock(req, .checkOut)
    }

    @Sendable func dispute(req: Request) async throws -> Response {
        let id = try req.id()
        let (input, state) = try req.validated(ServiceDisputeForm.self)
        return try await write(req, state, flash: { (_: ServiceDispute) in "异议已提交，等待记录单位处理" }) { db, change in
            guard let input else { throw Refusal("请检查填写的内容") }
            return try await ServiceHours.dispute(recordID: id, reason: input.reason, change, on: db)
        }
    }

    @Sendable func certificate(req: Request) async throws -> Response {
        let (certificate, volunteer) = try await VolunteerQueries.ownCertificate(try req.id(), scope: req.scope, on: req.db)
        return try await req.page("volunteer/certificate", title: "志愿服务证明", VolunteerCertificatePage(certificate, volunteer: volunteer))
    }
}
