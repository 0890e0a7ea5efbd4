import Fluent
import Vapor

/// 组织关系转接: transfers started by either side or the member, and requests to take a member in.
struct TransfersPart: LeaguePart {
    var menu: [MenuEntry] {
        [MenuEntry("转接", TransferRoute.index, for: .administrators, rank: 50),
         MenuEntry("组织关系转接", TransferRoute.index, for: .members, rank: 50)]
    }

    var migrations: [any Migration] { [CreateTransfers(), CreateTransferRequests(), IndexTransfersByChange()] }

    func routes(_ routes: PartRoutes) throws {
        try routes.league.register(collection: TransferController())
    }

    /// Transfers in every state and requests to take members in (`TransfersDemo`).
    ///
    /// After 团费, whose payments are drawn branch by branch over the members there: a member moved first
    /// would change the draw.
    var demo: DemoFill? {
        DemoFill(name: "组织关系转接", leansOn: ["团费"]) { context, progress in try await TransfersDemo.fill(context, progress: progress) }
    }

    var unitPathColumns: [UnitPathColumn] {
        let open = "status IN ('awaitingSender', 'awaitingReceiver', 'awaitingPlacement')"
        let pending = "status = 'pending'"
        return [UnitPathColumn(Transfer.schema, "from_path", unitID: "from_branch_id", .followsMember(memberColumn: "member_id", condition: open)),
                UnitPathColumn(Transfer.schema, "to_path", unitID: "to_unit_id", .passesToSuccessor(condition: open)),
                UnitPathColumn(TransferRequest.schema, "from_path", .followsMember(memberColumn: "member_id", condition: pending)),
                UnitPathColumn(TransferRequest.schema, "to_path", unitID: "to_unit_id", .passesToSuccessor(condition: pending))]
    }
}
