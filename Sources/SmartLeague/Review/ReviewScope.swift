import Fluent
import LeagueCore

/// A branch's yearly review belongs to the branch.
extension BranchReview: UnitScoped {
    static var unitPathField: KeyPath<BranchReview, FieldProperty<BranchReview, TreePath>> { \.$branchPath }
}
