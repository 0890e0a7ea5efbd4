import Fluent
import Vapor

/// 工作要点: the year's plan as data, tasks handed down and reported on, targets, registries and
/// the 四位一体 evaluation.
struct WorkPlanPart: LeaguePart {
    var migrations: [any Migration] {
        [CreateWorkPlans(), CreateTaskAssignments(), CreateRegistries(), CreateTaskTargets(), AddTargetGrowth(), CreateEvaluations()]
    }

    func routes(_ routes: PartRoutes) throws {
        for collection: any RouteCollection in [WorkPlanController(), TaskController(), RegistryController(), DashboardController(),
                                                EvaluationController()] {
            try routes.administrators.register(collection: collection)
        }
    }

    var unitPathColumns: [UnitPathColumn] {
        [UnitPathColumn(YouthFarm.schema, "unit_path", unitID: "unit_id", .passesToSuccessor(condition: nil)),
         UnitPathColumn(Internship.schema, "unit_path", unitID: "unit_id", .passesToSuccessor(condition: nil)),
         UnitPathColumn(TaskAssignment.schema, "unit_path", unitID: "unit_id", .staysAsHistory),
         UnitPathColumn(TaskTargetPart.schema, "unit_path", unitID: "unit_id", .staysAsHistory),
         UnitPathColumn(EvaluationSheet.schema, "unit_path", unitID: "unit_id", .staysAsHistory)]
    }

    /// A new city starts with the plan the program ships.
    func cityFounded(_ app: Application, root: Organization, _ change: ChangeContext, on db: any Database) async throws {
        try await WorkPlans.loadShipped(app, root: root, change, on: db)
    }
}
