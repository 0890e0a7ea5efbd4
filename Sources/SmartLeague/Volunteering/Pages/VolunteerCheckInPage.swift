import Foundation
import LeagueCore

/// Where the organiser's QR code leads: the volunteer's own accepted sign-up for the post, with
/// the code filled in, to check in and later out.
struct VolunteerCheckInPage: Encodable {
    let signUpID: Int?
    /// Check-in, or check-out once checked in.
    let clockURL: String?
    let title: String
    let day: String
    let time: String
    let place: String
    let code: String
    let checkedIn: Bool
    let checkedOut: Bool
    let form: FormState

    init(post: VolunteerPost, signUp: VolunteerSignUp?, code: String, form: FormState) {
        let checkedIn = signUp?.checkedInAt != nil
        signUpID = signUp?.id
        self.checkedIn = checkedIn
        checkedOut = signUp?.checkedOutAt != nil
        clockURL = signUp?.id.map { checkedIn ? VolunteerRoute.clockOut(.value($0)).url : VolunteerRoute.clockIn(.value($0)).url }
        title = post.title
        day = post.day
        time = VolunteerViews.time(post)
        place = post.place
        self.code = String(code.prefix(6))
        var form = form
        if signUp == nil, form.errors.isEmpty { form.errors["_form"] = "您没有该岗位的录用记录，不能签到" }
        self.form = form
    }
}
