import Fluent
import Vapor

/// 离团: leaving at 28, on request, and lapse decided by the branch and approved above.
struct LeavingPart: LeaguePart {
    var menu: [MenuEntry] {
        [MenuEntry("离团", LeavingRoute.index, for: .administrators, rank: 60)]
    }

    var migrations: [any Migration] { [CreateLeavingRequests()] }

    func routes(_ routes: PartRoutes) throws {
        try routes.administrators.register(collection: LeavingController())
    }

    /// Over-age members who left and those still flagged, withdrawals and lapse decisions (`LeavingDemo`).
    ///
    /// After 组织关系转接: a lapse decision reads dues, meetings and the transfers still open.
    var demo: DemoFill? {
        DemoFill(name: "离团", leansOn: ["组织关系转接"]) { context, progress in try await LeavingDemo.fill(context, progress: progress) }
    }

    var unitPathColumns: [UnitPathColumn] {
        [UnitPathColumn(LeavingRequest.schema, "branch_path", .followsMember(memberColumn: "member_id", condition: "status = 'pending'"))]
    }
}
