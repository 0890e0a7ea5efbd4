/// 合并团支部: the branch's members go to another branch, which the form offers from its siblings.
struct MergeUnitPage: Encodable {
    let unit: UnitPage.Unit
    let siblings: [UnitPage.Child]
    let form: FormState

    /// - Parameter siblings: the children of the unit's parent, itself among them.
    init(_ unit: Organization, siblings: [OrganizationQueries.ChildRow], form: FormState) {
        self.unit = UnitPage.Unit(unit)
        self.siblings = siblings.filter { $0.type.isBranch && $0.id != unit.id }.map(UnitPage.Child.init)
        self.form = form
    }
}
