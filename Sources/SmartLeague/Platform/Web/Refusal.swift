/// A write the rules do not allow, with the Chinese reason; `field` names the form field the
/// message belongs beside, or nil for the form as a whole.
struct Refusal: Error {
    let field: String?
    let message: String
    /// Set when the refusal is itself a fact to keep (a duplicate beyond the caller's scope, a
    /// wrong check-in code): the writer records it after the refused transaction rolled back.
    let audit: Audit.Entry?

    init(_ message: String, field: String? = nil, audit: Audit.Entry? = nil) {
        self.field = field
        self.message = message
        self.audit = audit
    }

    /// The form state with this refusal filed under its field (or `_form`).
    func filed(in state: FormState) -> FormState {
        var state = state
        state.errors[field ?? "_form"] = message
        return state
    }
}
