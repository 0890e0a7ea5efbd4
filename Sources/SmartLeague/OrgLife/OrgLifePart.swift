import Fluent
import LeagueCore
import Vapor

/// 三会一课, cadres and branch grading (对标定级).
struct OrgLifePart: LeaguePart {
    var menu: [MenuEntry] {
        [MenuEntry("三会一课", OrgLifeRoute.overview, for: .administrators, rank: 140),
         MenuEntry("团干部", CadreRoute.index, for: .administrators, rank: 150),
         MenuEntry("对标定级", GradingRoute.index, for: .administrators, rank: 160)]
    }

    var migrations: [any Migration] { [CreateOrgLife(), CreateCadres(), CreateGrading(), CreateOrgLifeStandings(), CreateCadreFigures(), CreateOrgLifeSpread()] }

    /// Leans on no other fill; it heads the chain of fills that read and change the members.
    var demo: DemoFill? {
        DemoFill(name: "三会一课", leansOn: []) { context, progress in try await OrgLifeDemo.fill(context, progress: progress) }
    }

    func routes(_ routes: PartRoutes) throws {
        try routes.administrators.register(collection: OrgLifeController())
        try routes.administrators.register(collection: CadreController())
        try routes.administrators.register(collection: GradingController())
    }

    var unitPathColumns: [UnitPathColumn] {
        [UnitPathColumn(Meeting.schema, "branch_path", unitID: "branch_id", .staysAsHistory),
         UnitPathColumn(Cadre.schema, "unit_path", unitID: "unit_id", .staysAsHistory),
         UnitPathColumn(GradingSheet.schema, "branch_path", unitID: "branch_id", .staysAsHistory),
         UnitPathColumn(OrgLifeStanding.schema, "branch_path", unitID: "branch_id", .staysAsHistory),
         UnitPathColumn(CadreFigures.termsSchema, "unit_path", unitID: "unit_id", .staysAsHistory)]
    }

    // The kept compliance is worked out again after units move or merge (`OrgLifeStandings`);
    // the kept cadre counts move with the unit.
    func unitMoved(_ unit: Organization, from oldParent: TreePath, to newParent: TreePath, on db: any Database) async throws {
        try await OrgLifeStandings.forget(on: db)
        if let id = unit.id { try await CadreFigures.serving.move(id, from: oldParent, to: newParent, on: db) }
    }

    func unitMerging(_ source: Organization, into target: Organization, _ change: ChangeContext, on db: any Database) async throws {
        try await OrgLifeStandings.forget(on: db)
    }
}
