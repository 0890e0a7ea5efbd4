import Fluent
import LeagueCore

/// Tasks, targets, evaluation sheets and registries belong to the unit they were handed to or
/// kept by: a district sees its own and those below, the city all.
extension TaskAssignment: UnitScoped {
    static var unitPathField: KeyPath<TaskAssignment, FieldProperty<TaskAssignment, TreePath>> { \.$unitPath }
}

extension TaskTargetPart: UnitScoped {
    static var unitPathField: KeyPath<TaskTargetPart, FieldProperty<TaskTargetPart, TreePath>> { \.$unitPath }
}

extension EvaluationSheet: UnitScoped {
    static var unitPathField: KeyPath<EvaluationSheet, FieldProperty<EvaluationSheet, TreePath>> { \.$unitPath }
}

extension YouthFarm: UnitScoped {
    static var unitPathField: KeyPath<YouthFarm, FieldProperty<YouthFarm, TreePath>> { \.$unitPath }
}

extension Internship: UnitScoped {
    static var unitPathField: KeyPath<Internship, FieldProperty<Internship, TreePath>> { \.$unitPath }
}

extension Scope {
    /// The totals of every reviewed sheet of a scheme: the published ranking every unit is placed
    /// in, without the sheets themselves.
    func rankingTotals(of scheme: EvaluationScheme, on db: any Database) async throws -> [Int] {
        try await EvaluationSheet.query(on: db).filter(\.$schemeID == (scheme.id ?? -1)).filter(\.$status == .reviewed).all().compactMap(\.total)
    }
}
