import Foundation
import LeagueCore

/// A volunteer's own page, on a phone: their number and stars, sign-ups, hours with objections,
/// and certificates; without a record, what awaits them (a registration to take up, an identity
/// check) or the one-step registration of a member.
struct VolunteerMePage: Encodable {
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

    struct UnlinkedRegistration: Encodable {
        let username: String
        let registeredOn: String
        let unit: String
    }

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

    init(_ own: VolunteerQueries.Own, now: Date, form: FormState) {
        switch own {
        case .unregistered(let isMember, let unlinked, let check): self.init(isMember: isMember, unlinked: unlinked, check: check, form: form)
        case .registered(let mine): self.init(mine, now: now, form: form)
        }
    }

    private init(isMember: Bool, unlinked: VolunteerQueries.Unlinked?, check: VolunteerIdentityCheck?, form: FormState) {
        registered = false
        self.isMember = isMember
        number = ""
        hours = ""
        starText = ""
        nextStar = ""
        signUps = []
        hasSignUps = false
        records = []
        hasRecords = false
        disputes = []
        hasDisputes = false
        certificates = []
        hasCertificates = false
        identityCheck = check.map { check in
            check.status == .pending
                ? "您填写的身份证号码已有志愿者注册。同一号码只能注册一次，请携带身份证到原注册单位核实，核实后志愿者记录将转至本账号。"
                : "身份核实结果：\(check.status.label)\(check.note.map { "（\($0)）" } ?? "")"
        }
        self.unlinked = unlinked.map {
            UnlinkedRegistration(username: $0.username, registeredOn: ChinaTime.dateString($0.volunteer.registeredAt), unit: $0.unit)
        }
        self.form = form
    }

    private init(_ mine: VolunteerQueries.OwnRecord, now: Date, form: FormState) {
        let volunteer = mine.volunteer
        let stars = mine.policy.stars(minutes: volunteer.totalMinutes)
        registered = true
        isMember = volunteer.memberID != nil
        number = volunteer.volunteerNumber
        hours = ServiceTime.hoursText(volunteer.totalMinutes)
        starText = stars == 0 ? "暂未评星" : String(repeating: "★", count: stars) + "（\(stars) 星志愿者）"
        nextStar = mine.policy.hoursToNextStar(minutes: volunteer.totalMinutes).map { "再服务 \($0) 小时可达 \(stars + 1) 星" } ?? "已达最高星级"
        signUps = mine.signUps.compactMap { signUp in
            guard let post = mine.posts[signUp.postID], let id = signUp.id, let postID = post.id else { return nil }
            return SignUpRow(id: id, postID: postID, title: post.title, day: post.day, time: VolunteerViews.time(post), place: post.place,
                             status: signUp.status.label, checkedIn: signUp.checkedInAt.map(ChinaTime.dateTimeString) ?? "",
                             checkedOut: signUp.checkedOutAt.map(ChinaTime.dateTimeString) ?? "",
                             canCancel: SignUps.canCancel(signUp, post, now: now, byVolunteer: true))
        }
        hasSignUps = !signUps.isEmpty
        records = VolunteerViews.recordRows(mine.records)
        hasRecords = !records.isEmpty
        disputes = mine.disputes.map { DisputeRow(recordID: $0.recordID, reason: $0.reason, status: $0.status.label, reply: $0.reply ?? "") }
        hasDisputes = !disputes.isEmpty
        certificates = mine.certificates.compactMap { certificate in
            certificate.id.map { Choice(value: String($0), label: "\(certificate.number)（\(certificate.issuerName)，\(certificate.issuedOn)）") }
        }
        hasCertificates = !certificates.isEmpty
        identityCheck = nil
        unlinked = nil
        self.form = form
    }
}
