import Foundation
import LeagueCore

/// One published post as anyone sees it, with the caller's own sign-up and what they may do.
struct VolunteerPostPage: Encodable {
    let post: VolunteerViews.PostRow
    let project: String
    let summary: String
    let group: String
    let signedIn: Bool
    let needsRegistration: Bool
    let signUpStatus: String?
    let signUpID: Int?
    let canCancel: Bool
    let canSignUp: Bool
    let started: Bool

    init(_ found: VolunteerQueries.PublicPost, signedIn: Bool, now: Date) {
        let post = found.post
        let signUp = found.signUp
        self.post = VolunteerViews.row(post, districts: found.districtNames)
        project = found.project.title
        summary = found.project.summary
        group = found.group.name
        self.signedIn = signedIn
        needsRegistration = signedIn && found.own == nil
        signUpStatus = signUp?.status.label
        signUpID = signUp?.id
        canCancel = signUp.map { SignUps.canCancel($0, post, now: now, byVolunteer: true) } ?? false
        canSignUp = found.own != nil && now < post.startsAt && !(signUp?.status.isActive ?? false)
        started = now >= post.startsAt
    }
}
