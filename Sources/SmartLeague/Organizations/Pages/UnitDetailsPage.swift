/// 完善组织信息: the unit's details as a form; a branch's graduation date only for those above it.
struct UnitDetailsPage: Encodable {
    let unit: UnitPage.Unit
    let canMarkGraduation: Bool
    let form: FormState

    init(_ unit: Organization, scope: Scope, form: FormState?) {
        self.unit = UnitPage.Unit(unit)
        canMarkGraduation = UnitEdits.canMarkGraduation(unit, scope: scope)
        self.form = form ?? FormState(values: [
            "contactPerson": unit.contactPerson ?? "", "contactPhone": unit.contactPhone ?? "", "address": unit.address ?? "",
            "establishedOn": unit.establishedOn ?? "", "summary": unit.summary ?? "", "graduationDate": unit.graduationDate ?? "",
        ])
    }
}
