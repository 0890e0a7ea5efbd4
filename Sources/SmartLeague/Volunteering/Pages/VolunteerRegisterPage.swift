import Foundation
import LeagueCore

/// The public real-name registration form. A visitor has no session, so the form carries its
/// own token, matched against a cookie set with the page.
struct VolunteerRegisterPage: Encodable {
    let csrf: String
    let districts: [Choice]
    let form: FormState

    init(csrf: String, districts: [UnitName], form: FormState) {
        self.csrf = csrf
        self.districts = Choice.units(districts)
        self.form = form
    }
}

/// After a public registration: the same page whatever the ID number had on record.
struct VolunteerRegisteredPage: Encodable {
    let username: String
    let name: String

    init(_ account: Account) {
        username = account.username
        name = account.displayName
    }
}
