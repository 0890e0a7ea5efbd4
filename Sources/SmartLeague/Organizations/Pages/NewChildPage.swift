/// 设立下级组织: the form for a new unit below this one, offering the types it may hold.
struct NewChildPage: Encodable {
    let parent: UnitPage.Unit
    let types: [Choice]
    let form: FormState

    init(parent: Organization, form: FormState) {
        self.parent = UnitPage.Unit(parent)
        types = parent.type.allowedChildTypes.map { Choice(value: $0.rawValue, label: $0.label) }
        self.form = form
    }
}
