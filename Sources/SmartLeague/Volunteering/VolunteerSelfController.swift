import Fluent
import LeagueCore
import Vapor

/// A volunteer's own pages, on a phone: their number and stars, sign-ups, check-in and
/// check-out, hours with objections, and certificates. A member registers here in one step.
struct VolunteerSelfController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let volunteer = routes.grouped("volunteer")
        volunteer.get("me", use: me)
        volunteer.post("me", "register", use: registerMember)
        volunteer.post("me", "take-up", use: takeUp)
        volunteer.post("posts", ":id", "signup", use: signUp)
        volunteer.post("signups", ":id", "cancel", use: cancel)
        volunteer.get("checkin", use: showCheckIn)
        volunteer.post("signups", ":id", "checkin", use: checkIn)
        volunteer.post("signups", ":id", "checkout", use: checkOut)
        volunteer.post("records", ":id", "dispute", use: dispute)
        volunteer.get("certificates", ":id", use: certificate)
    }

    struct SignUpRow: Encodable {
        let id: Int
        let postID: Int
        let title: String
        let day: String
        let time: String
        let place: String
        let status: String
        let checkedIn: String
        let checkedOut: String
        let canCancel: Bool
    }

    struct DisputeRow: Encodable {
        let recordID: Int
        let reason: String
        let status: String
        let reply: String
    }

    struct MePage: Encodable {
        let registered: Bool
        let isMember: Bool
        let number: String
        let hours: String
        let starText: String
        let nextStar: String
        let signUps: [SignUpRow]
        let hasSignUps: Bool
        let records: [VolunteerViews.RecordRow]
        let hasRecords: Bool
        let disputes: [DisputeRow]
        let hasDisputes: Bool
        let certificates: [Choice]
        let hasCertificates: Bool
        /// For an account whose registration repeats a number on record: where its check stands.
        let identityCheck: String?
        /// For a member: a registration made with their number that they have not taken up.
        let unlinked: UnlinkedRegistration?
        let form: FormState
    }

    struct UnlinkedRegistration: Encodable {
        let username: String
        let registeredOn: String
        let unit: String
    }

    /// What awaits a signed-in person who has no volunteer record of their own yet.
    private func pendingIdentity(_ req: Request, _ actor: Actor) async throws -> (check: String?, unlinked: UnlinkedRegistration?) {
        if let memberID = actor.memberID {
            let member = try await req.scope.member(memberID, on: req.db)
            guard let volunteer = try await VolunteerIdentity.unlinkedRegistration(of: member, on: req.db) else { return (nil, nil) }
            let holder = try await VolunteerIdentity.holder(of: volunteer, on: req.db)
            return (nil, UnlinkedRegistration(username: holder.username, registeredOn: ChinaTime.dateString(volunteer.registeredAt),
                                              unit: holder.unit))
        }
        let check = try await req.scope.identityChecks(on: req.db).sort(\.$id, .descending).first()
        return (check.map { $0.status == .pending ? "您填写的身份证号码已有志愿者注册。同一号码只能注册一次，请携带身份证到原注册单位核实，核实后志愿者记录将转至本账号。"
                : "身份核实结果：\($0.status.label)\($0.note.map { "（\($0)）" } ?? "")" }, nil)
    }

    private func mePage(_ req: Request, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        let actor = try req.requireActor()
        guard let volunteer = try await VolunteerRegistration.own(req.scope, on: req.db) else {
            let pending = try await pendingIdentity(req, actor)
            return try await req.page("volunteer/me", title: "我的志愿服务", MePage(
                registered: false, isMember: actor.memberID != nil, number: "", hours: "", starText: "",
                nextStar: "", signUps: [], hasSignUps: false, records: [], hasRecords: false, disputes: [], hasDisputes: false,
                certificates: [], hasCertificates: false, identityCheck: pending.check, unlinked: pending.unlinked, form: state), status: status)
        }
        let signUps = try await req.scope.query(VolunteerSignUp.self, on: req.db).sort(\.$requestedAt, .descending).range(0..<100).all()
        let posts = try await VolunteerPublic.posts(of: signUps, on: req.db)
        let postByID = Dictionary(uniqueKeysWithValues: posts.map { ($0.id!, $0) })
        let records = try await req.scope.query(ServiceRecord.self, on: req.db).sort(\.$servedOn, .descending).range(0..<200).all()
        let disputes = try await req.scope.query(ServiceDispute.self, on: req.db).sort(\.$createdAt, .descending).range(0..<50).all()
        let certificates = try await req.scope.query(VolunteerCertificate.self, on: req.db).sort(\.$id, .descending).all()
        let policy = try await ServiceHours.starPolicy(on: req.db)
        let stars = policy.stars(minutes: volunteer.totalMinutes)
        let rows = signUps.compactMap { signUp -> SignUpRow? in
            guard let post = postByID[signUp.postID] else { return nil }
            return SignUpRow(id: signUp.id!, postID: post.id!, title: post.title, day: post.day, time: VolunteerViews.time(post),
                             place: post.place, status: signUp.status.label,
                             checkedIn: signUp.checkedInAt.map(ChinaTime.dateTimeString) ?? "",
                             checkedOut: signUp.checkedOutAt.map(ChinaTime.dateTimeString) ?? "",
                             canCancel: SignUps.canCancel(signUp, post, now: req.now, byVolunteer: true))
        }
        return try await req.page("volunteer/me", title: "我的志愿服务", MePage(
            registered: true, isMember: volunteer.memberID != nil, number: volunteer.volunteerNumber,
            hours: ServiceTime.hoursText(volunteer.totalMinutes),
            starText: stars == 0 ? "暂未评星" : String(repeating: "★", count: stars) + "（\(stars) 星志愿者）",
            nextStar: policy.hoursToNextStar(minutes: volunteer.totalMinutes).map { "再服务 \($0) 小时可达 \(stars + 1) 星" } ?? "已达最高星级",
            signUps: rows, hasSignUps: !rows.isEmpty, records: VolunteerViews.recordRows(records), hasRecords: !records.isEmpty,
            disputes: disputes.map { DisputeRow(recordID: $0.recordID, reason: $0.reason, status: $0.status.label, reply: $0.reply ?? "") },
            hasDisputes: !disputes.isEmpty,
            certificates: certificates.map { .init(value: String($0.id!), label: "\($0.number)（\($0.issuerName)，\($0.issuedOn)）") },
            hasCertificates: !certificates.isEmpty, identityCheck: nil, unlinked: nil, form: state), status: status)
    }

    @Sendable func me(req: Request) async throws -> Response {
        try await mePage(req, FormState(), status: .ok)
    }

    /// A member's one-step registration from the ID already on their record.
    @Sendable func registerMember(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard let memberID = actor.memberID, let member = try? await req.scope.member(memberID, on: req.db) else {
            return try await mePage(req, FormState(errors: ["_form": "只有团员账号可以一键注册；其他人请退出后在注册页面实名注册"]),
                                    status: .unprocessableEntity)
        }
        let vault = req.application.vault
        let today = req.today
        // The page has no field for the ID: whatever the refusal names shows at the top.
        return try await req.submit(FormState(), back: { _ in "/volunteer/me" }, flash: { "注册成功，志愿者编号 \($0.volunteerNumber)" },
                                    page: { try await mePage(req, FormState(errors: ["_form": $0.errors.values.first ?? ""]),
                                                             status: .unprocessableEntity) }) { db, change in
            try await VolunteerRegistration.registerMember(member, accountID: actor.accountID, vault: vault, today: today, change, on: db)
        }
    }

    /// A member takes up a registration made with their ID number, saying whether they made it.
    @Sendable func takeUp(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard let memberID = actor.memberID else { throw Abort(.notFound) }
        let mine = try req.form()["mine"] == "1"
        return try await req.submit(FormState(), back: { _ in "/volunteer/me" },
                                    flash: { "志愿者记录 \($0.volunteerNumber) 已归入您的团员账号" + (mine ? "" : "，冒用的账号已停用") },
                                    page: { try await mePage(req, $0, status: .unprocessableEntity) }) { db, change in
            try await VolunteerIdentity.takeUp(memberID: memberID, mine: mine, change, on: db)
        }
    }

    @Sendable func signUp(req: Request) async throws -> Response {
        let postID = try req.id()
        guard let volunteer = try await VolunteerRegistration.own(req.scope, on: req.db) else {
            return try await req.redirect(to: "/volunteer/me", flash: "请先注册为志愿者，再报名岗位")
        }
        return try await req.submit(FormState(), back: { _ in "/volunteer/posts/\(postID)" },
                                    flash: { $0.status == .accepted ? "报名成功，已录用" : "已报名：\($0.status.label)" },
                                    page: { state in try await req.redirect(to: "/volunteer/posts/\(postID)", flash: state.errors.values.first) }) { db, change in
            try await SignUps.signUp(postID: postID, volunteer: volunteer, change, on: db)
        }
    }

    @Sendable func cancel(req: Request) async throws -> Response {
        let id = try req.id()
        return try await req.submit(FormState(), back: { _ in "/volunteer/me" }, flash: { _ in "已取消报名" },
                                    page: { try await mePage(req, $0, status: .unprocessableEntity) }) { db, change in
            try await SignUps.decide(id, .cancel, change, on: db)
        }
    }

    struct CheckInPage: Encodable {
        let signUpID: Int?
        let title: String
        let day: String
        let time: String
        let place: String
        let code: String
        let checkedIn: Bool
        let checkedOut: Bool
        let form: FormState
    }

    /// Where the organiser's QR code leads: the volunteer's own sign-up for the post, with the code filled in.
    private func checkInPage(_ req: Request, postID: Int, code: String, _ state: FormState, status: HTTPResponseStatus) async throws -> Response {
        guard let post = try await VolunteerPublic.checkInPost(postID, on: req.db) else {
            throw Abort(.notFound)
        }
        let signUp = try await req.scope.query(VolunteerSignUp.self, on: req.db).filter(\.$postID == postID).filter(\.$status == .accepted).first()
        var state = state
        if signUp == nil, state.errors.isEmpty { state.errors["_form"] = "您没有该岗位的录用记录，不能签到" }
        return try await req.page("volunteer/checkin", title: "签到签退", CheckInPage(
            signUpID: signUp?.id, title: post.title, day: post.day, time: VolunteerViews.time(post), place: post.place,
            code: String(code.prefix(6)), checkedIn: signUp?.checkedInAt != nil, checkedOut: signUp?.checkedOutAt != nil, form: state),
            status: status)
    }

    @Sendable func showCheckIn(req: Request) async throws -> Response {
        guard let postID = try? req.query.get(Int.self, at: "post") else { throw Abort(.notFound) }
        return try await checkInPage(req, postID: postID, code: (try? req.query.get(String.self, at: "code")) ?? "", FormState(), status: .ok)
    }

    private func clock(_ req: Request, _ clocking: ServiceHours.Clocking) async throws -> Response {
        let id = try req.id()
        let actor = try req.requireActor()
        let form = try req.form()
        let code = form["code"] ?? ""
        guard let signUp = try await req.scope.query(VolunteerSignUp.self, on: req.db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        let postID = signUp.postID
        // Counted before the code is checked and outside its write, so guesses count when refused.
        let taken = try await RateCounters.take([RateCounters.Key("checkin-signup:\(id)", limit: CheckInAttempts.perSignUp),
                                                 RateCounters.Key("checkin-account:\(actor.accountID)", limit: CheckInAttempts.perAccount)],
                                                now: req.now, writer: req.application.writer, on: req.db)
        guard taken.allowed else {
            let entry = Audit.Entry(actor: req.auditActor, at: req.now, unit: AuditUnit(id: nil, path: signUp.unitPath),
                                    action: "volunteer.check_in_throttled", entityType: "volunteer_signup", entityID: String(id),
                                    summary: "签到码尝试次数过多，已拒绝")
            try await req.application.writer.write(req.db) { try await Audit.record(entry, on: $0) }
            return try await checkInPage(req, postID: postID, code: code, FormState(values: form, errors: ["code": CheckInAttempts.refusedMessage]),
                                         status: .tooManyRequests)
        }
        return try await req.submit(FormState(values: form), back: { _ in "/volunteer/me" },
                                    flash: { _ in clocking == .checkIn ? "签到成功" : "签退成功，服务时长已记录" },
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
        let form = try req.form()
        var state = FormState(values: form)
        let reason = state.check("reason") { try FormField.requiredText(form["reason"], label: "异议理由", max: 300) }
        return try await req.submit(state, back: { _ in "/volunteer/me" }, flash: { _ in "异议已提交，等待记录单位处理" },
                                    page: { try await mePage(req, $0, status: .unprocessableEntity) }) { db, change in
            try await ServiceHours.dispute(recordID: id, reason: reason!, change, on: db)
        }
    }

    @Sendable func certificate(req: Request) async throws -> Response {
        guard let certificate = try await req.scope.query(VolunteerCertificate.self, on: req.db).filter(\.$id == (try req.id())).first(),
              let volunteer = try await VolunteerRegistration.own(req.scope, on: req.db) else { throw Abort(.notFound) }
        return try await req.page("volunteer/certificate", title: "志愿服务证明", VolunteerViews.certificate(certificate, volunteer: volunteer))
    }
}
