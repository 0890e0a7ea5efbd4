import Fluent
import LeagueCore
import Vapor

/// 团费: each member's category and monthly dues, payments, arrears and totals.
struct DuesPart: LeaguePart {
    var menu: [MenuEntry] {
        [MenuEntry("团费", DuesRoute.totals, for: .administrators, rank: 40)]
    }

    var migrations: [any Migration] { [CreateDues(), AddDuesSettledThrough(), CreateDuesMonthTotals()] }

    /// After 团员发展: the members it admits pay dues too.
    var demo: DemoFill? {
        DemoFill(name: "团费", leansOn: ["团员发展"]) { context, progress in try await DuesDemo.fill(context, progress: progress) }
    }

    func routes(_ routes: PartRoutes) throws {
        try routes.administrators.register(collection: DuesController())
    }

    var unitPathColumns: [UnitPathColumn] {
        [UnitPathColumn(DuesPayment.schema, "branch_path", unitID: "branch_id", .staysAsHistory)]
    }

    func unitMoved(_ unit: Organization, from oldParent: TreePath, to newParent: TreePath, on db: any Database) async throws {
        guard let id = unit.id else { return }
        try await DuesMonthTotals.totals.move(id, from: oldParent, to: newParent, on: db)
    }
}
