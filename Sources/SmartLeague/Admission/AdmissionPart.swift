import Fluent
import Vapor

/// 团员发展: applications through every dated step, and the yearly plan with its quotas.
struct AdmissionPart: LeaguePart {
    var menu: [MenuEntry] {
        [MenuEntry("团员发展", AdmissionRoute.board, for: .administrators, rank: 30)]
    }

    var migrations: [any Migration] { [CreateAdmission(), CreateGraduatingClasses()] }

    func routes(_ routes: PartRoutes) throws {
        try routes.administrators.register(collection: AdmissionController())
    }

    /// Plans, graduating classes and applications at every stage (`AdmissionDemo`).
    ///
    /// After 三会一课: its league lessons are meetings too, and meeting ids key 三会一课's attendance draws.
    var demo: DemoFill? {
        DemoFill(name: "团员发展", leansOn: ["三会一课"]) { context, progress in try await AdmissionDemo.fill(context, progress: progress) }
    }

    var unitPathColumns: [UnitPathColumn] {
        [UnitPathColumn(AdmissionApplication.schema, "branch_path", unitID: "branch_id",
                        .passesToSuccessor(condition: "stage NOT IN ('member', 'certified', 'rejected')")),
         UnitPathColumn(AdmissionQuota.schema, "unit_path", unitID: "unit_id", .staysAsHistory)]
    }
}
