import Fluent
import LeagueCore

/// A completion is counted under the member's branch at the time; a member sees their own.
extension StudyCompletion: UnitScoped {
    static var unitPathField: KeyPath<StudyCompletion, FieldProperty<StudyCompletion, TreePath>> { \.$branchPath }

    static func own(_ query: QueryBuilder<StudyCompletion>, account: Int, member: Int?) -> QueryBuilder<StudyCompletion> {
        query.filter(\.$memberID == (member ?? -1))
    }
}
