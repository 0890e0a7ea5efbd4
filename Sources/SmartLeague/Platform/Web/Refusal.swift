/// A write the rules do not allow, with the Chinese reason; `field` names the form field the
/// message belongs beside, or nil for the form as a whole.
struct Refusal: Error {
    let field: String?
    let message: String

    init(_ message: String, field: String? = nil) {
        self.field = field
        self.message = message
    }

    /// The form state with this refusal filed under its field (or `_form`).
    func filed(in state: FormState) -> FormState {
        var state = state
        state.errors[field ?? "_form"] = message
        return state
    }
}
