import Fluent
import Vapor

/// 工作要点: the year's plan as data, tasks handed down and reported on, targets, registries and
/// the 四位一体 evaluation.
struct WorkPlanPart: LeaguePart {
    var menu: [MenuEntry] {
        [MenuEntry("工作要点", WorkPlanRoute.index, for: .administrators, rank: 80),
         MenuEntry("任务", TaskRoute.index, for: .administrators, rank: 90),
         MenuEntry("青创农场", RegistryRoute.farms, for: .administrators, rank: 100),
         MenuEntry("见习", RegistryRoute.internships, for: .administrators, rank: 110),
         MenuEntry("考核", EvaluationRoute.index, for: .administrators, rank: 120)]
    }

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

    /// Last year's and this year's plans with their tasks handed down, reports, registries,
    /// targets and evaluations (`WorkPlanDemo`).
    ///
    /// Leans on no other fill: its plans, registries and evaluations are its own rows, and the default
    /// scheme scores only the plan's own figures.
    var demo: DemoFill? {
        DemoFill(name: "工作要点", leansOn: []) { context, progress in try await WorkPlanDemo.fill(context, progress: progress) }
    }

    /// A new city starts with the plan the program ships.
    func cityFounded(_ app: Application, root: Organization, _ change: ChangeContext, on db: any Database) async throws {
        try await WorkPlans.loadShipped(app, root: root, change, on: db)
    }
}
