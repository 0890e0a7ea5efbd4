import Fluent
import LeagueCore
import Vapor

/// The computed indicators, from the unit's own assignments and target parts of the year.
enum EvaluationFigures {
    /// Nil for rated indicators, which people score.
    static func score(_ source: IndicatorSource, year: Int, unitID: Int, today: CalendarDate, on db: any Database) async throws -> Int? {
        if source == .taskCompletion {
            guard let plan = try await WorkPlan.query(on: db).filter(\.$year == year).first() else {
                return EvaluationRules.completionScore(done: 0, total: 0)
            }
            let tasks = try await WorkPlanEntry.query(on: db).filter(\.$planID == plan.id!).filter(\.$kind == .task).all().map { $0.id! }
            let held = try await Scope.unrestricted.query(TaskAssignment.self, on: db).filter(\.$unitID == unitID).filter(\.$taskID ~~ tasks).all()
            return EvaluationRules.completionScore(done: held.filter { $0.status == .done }.count, total: held.count)
        }
        if source == .targetsMet {
            let targets = try await TaskTarget.query(on: db).filter(\.$year == year).all()
            let byID = Dictionary(uniqueKeysWithValues: targets.map { ($0.id!, $0) })
            var reached: [(actual: Int, amount: Int)] = []
            for part in try await Scope.unrestricted.query(TaskTargetPart.self, on: db).filter(\.$targetID ~~ Array(byID.keys)).filter(\.$unitID == unitID).all() {
                let actual = try await TargetWrites.actual(byID[part.targetID]!, unitPath: part.unitPath, unitID: unitID, on: db)
                reached.append((actual, part.amount))
            }
            return EvaluationRules.targetsScore(parts: reached)
        }
        // A part's own figure (`LeaguePart.indicators`); rated ones and unknown keys have none.
        guard let computed = PartRegistry.indicators.first(where: { $0.source == source }) else { return nil }
        return try await computed.score(year, unitID, today, db)
    }
}

/// The sources a scheme's indicator may have: the built-in ones and those the parts compute.
enum EvaluationSources {
    static var all: [(source: IndicatorSource, label: String)] {
        IndicatorSource.builtIn.map { ($0, $0.builtInLabel ?? $0.rawValue) } + PartRegistry.indicators.map { ($0.source, $0.label) }
    }

    static func label(_ source: IndicatorSource) -> String {
        all.first { $0.source == source }?.label ?? source.rawValue
    }

    static func known(_ raw: String?) -> IndicatorSource? {
        all.first { $0.source.rawValue == raw }?.source
    }
}
