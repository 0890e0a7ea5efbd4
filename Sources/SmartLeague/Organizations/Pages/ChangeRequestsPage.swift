import Foundation
import LeagueCore

/// 组织变更审批: the requests waiting on the caller's side or theirs, and the ones settled lately.
struct ChangeRequestsPage: Encodable {
    /// One request as the approval page, a unit's page and the home page list it.
    struct Row: Encodable {
        let id: Int
        let kindLabel: String
        let statusLabel: String
        let isPending: Bool
        let unitID: Int
        let unitName: String
        let detail: String
        let stepLabel: String?
        let requestedBy: String
        let requestedAt: String
        let decidedBy: String?
        let reason: String?
        let canDecide: Bool
        let canWithdraw: Bool

        init(_ row: ChangeRequestQueries.Row, scope: Scope) {
            let kind = ChangeRequestKind(rawValue: row.kind) ?? .move
            let status = ChangeRequestStatus(rawValue: row.status) ?? .pending
            let state = ChangeRequestState(kind: kind, status: status, approvedSteps: row.approved_steps)
            id = row.id
            kindLabel = kind.label
            statusLabel = status.label
            isPending = status == .pending
            unitID = row.organization_id
            unitName = row.unit_name
            detail = switch kind {
            case .move: "从「\(row.from_name ?? "")」移至「\(row.to_name ?? "")」之下"
            case .rename: "更名为「\(row.proposed_name ?? "")」"
            }
            stepLabel = state.currentStep?.label
            requestedBy = row.requested_by
            requestedAt = ChinaTime.dateTimeString(row.requested_at)
            decidedBy = row.decided_by
            reason = row.reason
            canDecide = state.currentStep.flatMap { row.path(for: $0) }.map { scope.contains($0) } ?? false
            canWithdraw = status == .pending && scope.contains(row.unit_path)
        }
    }

    let pending: [Row]
    let recent: [Row]

    /// - Parameter latest: the latest requests of any status; those still pending are listed once, above.
    init(pending: [ChangeRequestQueries.Row], latest: [ChangeRequestQueries.Row], scope: Scope) {
        self.pending = pending.map { Row($0, scope: scope) }
        recent = latest.filter { $0.status != ChangeRequestStatus.pending.rawValue }.map { Row($0, scope: scope) }
    }
}
