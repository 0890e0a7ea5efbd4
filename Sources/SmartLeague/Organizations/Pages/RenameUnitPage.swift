/// 组织更名: given at once by an administrator above the unit, asked for by its own.
struct RenameUnitPage: Encodable {
    let unit: UnitPage.Unit
    let direct: Bool
    let form: FormState

    init(_ unit: Organization, scope: Scope, form: FormState?) {
        self.unit = UnitPage.Unit(unit)
        direct = scope.isStrictlyAbove(unit)
        self.form = form ?? FormState(values: ["name": unit.name, "shortName": unit.shortName])
    }
}
