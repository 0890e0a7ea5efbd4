import Foundation
import LeagueCore

/// One post as its organiser runs it: sign-ups to approve, the rotating check-in code with its
/// QR image, and honour hours for those who served without clocking.
struct OrganisedPostPage: Encodable {
    struct SignUpRow: Encodable {
        let id: Int
        let volunteerID: Int
        let name: String
        let number: String
        let status: String
        let requestedAt: String
        let checkedIn: String
        let checkedOut: String
        let canApprove: Bool
        let canReject: Bool
        let canCancel: Bool
    }

    let post: VolunteerViews.PostRow
    let projectID: Int
    let published: Bool
    let code: String
    /// What the QR code holds, for an organiser to send on.
    let checkInLink: String
    let secondsLeft: Int
    /// The code's minute, so that the QR image changes with it.
    let window: Int
    let signUps: [SignUpRow]
    let hasSignUps: Bool
    let accepted: [Choice]
    let hasAccepted: Bool
    let form: FormState

    init(_ found: VolunteeringQueries.OrganisedPost, publicBaseURL: String, now: Date, form: FormState) {
        let post = found.post
        let volunteers = found.volunteers
        self.post = VolunteerViews.row(post, districts: found.districtNames)
        projectID = post.projectID
        published = post.published
        code = CheckInCode.code(secret: post.codeSecret, at: now)
        checkInLink = CheckInCode.link(publicBaseURL: publicBaseURL, post: post, at: now)
        secondsLeft = CheckInCode.secondsLeft(at: now)
        window = Int(now.timeIntervalSince1970 / CheckInCode.period)
        signUps = found.signUps.compactMap { signUp in
            signUp.id.map {
                SignUpRow(id: $0, volunteerID: signUp.volunteerID, name: volunteers[signUp.volunteerID]?.name ?? "",
                          number: volunteers[signUp.volunteerID]?.volunteerNumber ?? "", status: signUp.status.label,
                          requestedAt: ChinaTime.dateTimeString(signUp.requestedAt),
                          checkedIn: signUp.checkedInAt.map(ChinaTime.dateTimeString) ?? "",
                          checkedOut: signUp.checkedOutAt.map(ChinaTime.dateTimeString) ?? "",
                          canApprove: signUp.status == .applied, canReject: [.applied, .waiting].contains(signUp.status),
                          canCancel: SignUps.canCancel(signUp, post, now: now, byVolunteer: false))
            }
        }
        hasSignUps = !signUps.isEmpty
        accepted = found.signUps.filter { $0.status == .accepted }.map {
            Choice(value: String($0.volunteerID),
                   label: "\(volunteers[$0.volunteerID]?.name ?? "")（\(volunteers[$0.volunteerID]?.volunteerNumber ?? "")）")
        }
        hasAccepted = !accepted.isEmpty
        self.form = form
    }
}
