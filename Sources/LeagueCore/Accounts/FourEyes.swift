/// Who may approve what a unit proposed (a volunteer group, a project): someone of the level
/// above, or someone the level above appointed, and never the proposer. Being another
/// administrator of the same unit is not enough, since any administrator can create a second
/// administrator of their own unit.
public enum FourEyes {
    /// - Parameters:
    ///   - unit: the unit whose proposal is decided.
    ///   - approverUnit: the approver's own unit.
    ///   - appointedFrom: the unit of whoever created the approver's account; nil when the
    ///     system created it (the first administrator, the command line), which stands above every unit.
    ///   - isProposer: whether the approver made the proposal.
    public static func mayApprove(_ unit: TreePath, approverUnit: TreePath, appointedFrom: TreePath?, isProposer: Bool) -> Bool {
        guard !isProposer, approverUnit.contains(unit) else { return false }
        if approverUnit != unit { return true }
        guard let appointedFrom else { return true }
        return appointedFrom.contains(unit) && appointedFrom != unit
    }
}
