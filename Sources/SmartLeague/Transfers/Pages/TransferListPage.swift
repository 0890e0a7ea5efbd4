import Foundation
import LeagueCore

/// 组织关系转接: the list both sides and the member see, whole classes, requests to take members in,
/// and the forms to start one.
struct TransferListPage: Encodable {
    struct Row: Encodable {
        let url: String
        let member: String
        let from: String
        let to: String
        let status: String
        let direction: String
        let graduate: Bool
        let batch: String
    }

    struct BatchRow: Encodable {
        let batch: String
        let count: Int
        let to: String
        let status: String
        let canAgree: Bool
        let agreeURL: String
    }

    struct RequestRow: Encodable {
        let id: Int
        let member: String
        let number: String
        let to: String
        let status: String
        let isOpen: Bool
        let transferURL: String?
        let requestedBy: String
        let at: String
    }

    let isMember: Bool
    let rows: [Row]
    let hasRows: Bool
    let pagination: Pagination
    let batches: [BatchRow]
    let hasBatches: Bool
    let deadline: String
    let daysLeft: String
    let isBranch: Bool
    let unitID: Int
    /// Requests this side filed to take members in: only what it typed, until the holder agrees.
    let outgoingRequests: [RequestRow]
    /// Requests for members this side holds, to answer.
    let incomingRequests: [RequestRow]
    let hasOutgoingRequests: Bool
    let hasIncomingRequests: Bool
    let form: FormState

    init(_ list: TransferQueries.List, actor: Actor, scope: Scope, today: CalendarDate, now: Date, form: FormState) {
        let names = list.unitNames
        isMember = actor.kind == .member
        rows = list.transfers.map { transfer in
            Row(url: TransferRoute.show(.value(transfer.id)).url, member: transfer.memberName, from: names[transfer.fromBranchID] ?? "",
                to: names[transfer.toUnitID] ?? "", status: transfer.status.label,
                direction: TransferWrites.side(of: scope, for: transfer) == .receiver ? "转入" : "转出",
                graduate: transfer.graduate, batch: transfer.batch ?? "")
        }
        hasRows = !rows.isEmpty
        pagination = list.pagination
        let classes = Dictionary(grouping: list.openBatches, by: { $0.batch ?? "" }).filter { !$0.key.isEmpty }
        batches = classes.compactMap { batch, group in
            guard let first = group.first else { return nil }
            return BatchRow(batch: batch, count: group.count, to: names[first.toUnitID] ?? "", status: first.status.label,
                            canAgree: group.allSatisfy { transfer in
                                TransferWrites.awaited(transfer).map { TransferWrites.acts(scope, as: $0, for: transfer) } == true
                                    && transfer.status != .awaitingPlacement
                            },
                            agreeURL: TransferRoute.batch(.value(batch), "agree").url)
        }.sorted { $0.batch < $1.batch }
        hasBatches = !batches.isEmpty
        let due = TransferRules.graduateDeadline(year: today.year)
        deadline = due.description
        daysLeft = TransferRules.daysLeft(until: due, from: today).map { "还有 \($0) 天" } ?? "已过截止日期"
        isBranch = list.ownUnit?.type.isBranch ?? false
        unitID = actor.unitID
        func row(_ request: TransferQueries.ListedRequest) -> RequestRow {
            RequestRow(id: request.id, member: request.memberName, number: request.memberNumber, to: names[request.toUnitID] ?? "",
                       status: request.label(at: now), isOpen: request.isOpen(at: now),
                       transferURL: request.transferID.map { TransferRoute.show(.value($0)).url },
                       requestedBy: request.requestedBy, at: ChinaTime.dateTimeString(request.createdAt))
        }
        // A request is the holder's to answer when the member is in reach; otherwise it is the receiver's own.
        let holds = { (request: TransferQueries.ListedRequest) in request.fromPath.map(scope.contains) ?? false }
        incomingRequests = list.requests.filter(holds).map(row)
        outgoingRequests = list.requests.filter { !holds($0) }.map(row)
        hasIncomingRequests = !incomingRequests.isEmpty
        hasOutgoingRequests = !outgoingRequests.isEmpty
        self.form = form
    }
}
