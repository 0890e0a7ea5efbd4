/// 变更上级组织: the request to move a unit, with everything below it, under another.
struct MoveUnitPage: Encodable {
    let unit: UnitPage.Unit
    let form: FormState

    init(_ unit: Organization, form: FormState) {
        self.unit = UnitPage.Unit(unit)
        self.form = form
    }
}
