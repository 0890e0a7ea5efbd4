import LeagueCore

/// The form a branch registers an application with.
struct ApplicationFormPage: Encodable {
    let branchID: Int
    let branchName: String
    let choices: MembersController.Choices
    let form: FormState

    /// - Parameter form: the form as typed; a new one is dated today, for a Han applicant.
    init(branch: Organization, today: CalendarDate, form: FormState) {
        branchID = branch.id ?? 0
        branchName = branch.name
        choices = MembersController.Choices()
        var state = form
        if state.values["appliedOn"] == nil { state.values["appliedOn"] = today.description }
        if state.values["ethnicity"] == nil { state.values["ethnicity"] = "汉族" }
        self.form = state
    }
}
