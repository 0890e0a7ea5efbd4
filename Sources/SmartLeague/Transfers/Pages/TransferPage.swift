import Foundation
import LeagueCore

/// One transfer: where from and to, its history, and what the caller may do with it.
struct TransferPage: Encodable {
    struct EventRow: Encodable {
        let what: String
        let by: String
        let at: String
    }

    let id: Int
    let member: String
    let from: String
    let to: String
    let status: String
    let startedBy: String
    let events: [EventRow]
    let canDecide: Bool
    let canPlace: Bool
    let canCancel: Bool
    let branches: [Choice]

    init(_ detail: TransferQueries.Detail, scope: Scope) {
        let transfer = detail.transfer
        let names = detail.unitNames
        id = transfer.id ?? 0
        member = transfer.memberName
        from = names[transfer.fromBranchID] ?? ""
        to = (names[transfer.toUnitID] ?? "") + (transfer.placedBranchID.flatMap { names[$0] }.map { " → \($0)" } ?? "")
        status = transfer.status.label
        startedBy = transfer.startedBy.label
        events = detail.events.map { EventRow(what: $0.what, by: $0.by, at: ChinaTime.dateTimeString($0.at)) }
        let awaited = TransferWrites.awaited(transfer)
        canDecide = awaited.map { TransferWrites.acts(scope, as: $0, for: transfer) } == true && transfer.status != .awaitingPlacement
        branches = detail.branches.compactMap { branch in branch.id.map { Choice(value: String($0), label: branch.name) } }
        canPlace = !branches.isEmpty
        canCancel = transfer.status.isOpen && TransferWrites.acts(scope, as: transfer.startedBy, for: transfer)
    }
}
