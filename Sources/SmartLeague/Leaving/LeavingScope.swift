import Fluent
import LeagueCore

/// A lapse decision belongs to the member's branch, and waits for the level above it.
extension LeavingRequest: UnitScoped {
    static var unitPathField: KeyPath<LeavingRequest, FieldProperty<LeavingRequest, TreePath>> { \.$branchPath }
}
