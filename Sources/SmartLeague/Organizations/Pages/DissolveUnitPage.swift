/// 撤销组织: what still sits in the unit, and the confirmation by its full name.
struct DissolveUnitPage: Encodable {
    let unit: UnitPage.Unit
    /// What still sits in the unit ("2 个下级组织", "3 名团员"); empty when it may be dissolved.
    let contents: [String]
    let isEmpty: Bool
    let form: FormState

    init(_ unit: Organization, contents: [String], form: FormState) {
        self.unit = UnitPage.Unit(unit)
        self.contents = contents
        isEmpty = contents.isEmpty
        self.form = form
    }
}
