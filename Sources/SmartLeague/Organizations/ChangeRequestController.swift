import Fluent
import LeagueCore
import Vapor

/// The list of moves and renames awaiting approval, and the decisions on them.
struct ChangeRequestController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let requests = routes.grouped("requests")
        requests.get(use: index)
        requests.post(":id", "approve", use: approve)
        requests.post(":id", "reject", use: reject)
        requests.post(":id", "withdraw", use: withdraw)
    }

    struct RequestView: Encodable {
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

        init(_ row: ChangeRequests.Row, scope: Scope) {
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

    struct IndexPage: Encodable {
        let pending: [RequestView]
        let recent: [RequestView]
    }

    @Sendable func index(req: Request) async throws -> Response {
        let scope = req.scope
        let pending = try await ChangeRequests.list(scope: scope, pendingOnly: true, limit: 200, on: req.db)
        let recent = try await ChangeRequests.list(scope: scope, pendingOnly: false, limit: 50, on: req.db)
            .filter { $0.status != ChangeRequestStatus.pending.rawValue }
        return try await req.page("organizations/requests", title: "组织变更审批",
                                  IndexPage(pending: pending.map { RequestView($0, scope: scope) },
                                            recent: recent.map { RequestView($0, scope: scope) }))
    }

    private func decide(_ req: Request, _ decision: ChangeRequests.Decision) async throws -> Response {
        let id = try req.id()
        let change = req.changeContext
        let message: String
        do {
            let record = try await req.application.writer.write(req.db) { db in
                try await ChangeRequests.decide(id, decision, change, on: db)
            }
            message = switch record.status {
            case .approved: "审批通过，\(record.kind.label)已生效。"
            case .rejected: "已驳回该申请。"
            default: "本环节已通过，转下一环节审批。"
            }
        } catch let refusal as Refusal {
            message = refusal.message
        }
        return try await req.redirect(to: "/requests", flash: message)
    }

    @Sendable func approve(req: Request) async throws -> Response {
        try await decide(req, .approve)
    }

    @Sendable func reject(req: Request) async throws -> Response {
        let form = try req.form()
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count <= 500 else { return try await req.redirect(to: "/requests", flash: "驳回理由不能超过 500 个字。") }
        return try await decide(req, .reject(reason: reason))
    }

    @Sendable func withdraw(req: Request) async throws -> Response {
        let id = try req.id()
        let change = req.changeContext
        var message = "申请已撤回。"
        do {
            try await req.application.writer.write(req.db) { db in try await ChangeRequests.withdraw(id, change, on: db) }
        } catch let refusal as Refusal {
            message = refusal.message
        }
        return try await req.redirect(to: "/requests", flash: message)
    }
}
