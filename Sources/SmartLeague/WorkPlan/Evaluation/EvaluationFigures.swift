import Fluent
import LeagueCore
import Vapor

/// The computed indicators, from the unit's own assignments and target parts of the year.
enum EvaluationFigures {
    /// Nil for rated indicators, which people score.
    static func score(_ source: IndicatorSource, year: Int, unitID: Int, on db: any Database) async throws -> Int? {
        switch source {
        case .taskCompletion:
            guard let plan = try await WorkPlan.query(on: db).filter(\.$year == year).first() else {
                return EvaluationRules.completionScore(done: 0, total: 0)
            }
            let tasks = try await WorkPlanEntry.query(on: db).filter(\.$planID == plan.id!).filter(\.$kind == .task).all().map { $0.id! }
            let held = try await Scope.unrestricted.query(TaskAssignment.self, on: db).filter(\.$unitID == unitID).filter(\.$taskID ~~ tasks).all()
            return EvaluationRules.completionScore(done: held.filter { $0.status == .done }.count, total: held.count)
        case .targetsMet:
            let targets = try await TaskTarget.query(on: db).filter(\.$year == year).all()
            let byID = Dictionary(uniqueKeysWithValues: targets.map { ($0.id!, $0) })
            var reached: [(actual: Int, amount: Int)] = []
            for part in try await Scope.unrestricted.query(TaskTargetPart.self, on: db).filter(\.$targetID ~~ Array(byID.keys)).filter(\.$unitID == unitID).all() {
                let actual = try await TargetWrites.actual(byID[part.targetID]!, unitPath: part.unitPath, unitID: unitID, on: db)
                reached.append((actual, part.amount))
            }
            return EvaluationRules.targetsScore(parts: reached)
        case .rated:
            return nil
        }
    }
}
