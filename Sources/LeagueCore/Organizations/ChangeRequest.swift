import Foundation

/// A change to an organisation that others must approve (RULES.md §1):
/// a move to another parent is approved by the old parent, then by the new one;
/// a rename asked for by the unit's own admin is approved by its direct parent.
public enum ChangeRequestKind: String, Codable, Sendable, CaseIterable {
    case move
    case rename

    public var label: String {
        switch self {
        case .move: "变更上级组织"
        case .rename: "更名"
        }
    }

    /// The approval steps in order.
    public var steps: [ApprovalStep] {
        switch self {
        case .move: [.oldParent, .newParent]
        case .rename: [.parent]
        }
    }
}

/// Which side approves a step; the unit named by the step must lie in the approver's scope.
public enum ApprovalStep: String, Codable, Sendable {
    case oldParent
    case newParent
    case parent

    public var label: String {
        switch self {
        case .oldParent: "原上级组织审批"
        case .newParent: "新上级组织审批"
        case .parent: "上级组织审批"
        }
    }
}

public enum ChangeRequestStatus: String, Codable, Sendable, CaseIterable {
    case pending
    case approved
    case rejected
    case withdrawn

    public var label: String {
        switch self {
        case .pending: "待审批"
        case .approved: "已通过"
        case .rejected: "已驳回"
        case .withdrawn: "已撤回"
        }
    }
}

/// The state of a request: its kind, its status and how many steps are approved.
public struct ChangeRequestState: Equatable, Sendable {
    public let kind: ChangeRequestKind
    public private(set) var status: ChangeRequestStatus
    public private(set) var approvedSteps: Int

    public init(kind: ChangeRequestKind, status: ChangeRequestStatus = .pending, approvedSteps: Int = 0) {
        self.kind = kind
        self.status = status
        self.approvedSteps = approvedSteps
    }

    public enum Refusal: Error, Equatable, Sendable {
        case notPending
        case wrongStep(expected: ApprovalStep)
        case reasonRequired

        public var message: String {
            switch self {
            case .notPending: "该申请已办结，不能再操作"
            case .wrongStep(let expected): "该申请当前处于“\(expected.label)”环节"
            case .reasonRequired: "驳回时必须填写理由"
            }
        }
    }

    /// The step waiting for a decision, if the request is still pending.
    public var currentStep: ApprovalStep? {
        status == .pending ? kind.steps[approvedSteps] : nil
    }

    /// Approves `step`; returns true when this was the last step and the change takes effect.
    public mutating func approve(_ step: ApprovalStep) throws(Refusal) -> Bool {
        guard let current = currentStep else { throw .notPending }
        guard current == step else { throw .wrongStep(expected: current) }
        approvedSteps += 1
        if approvedSteps == kind.steps.count {
            status = .approved
            return true
        }
        return false
    }

    public mutating func reject(_ step: ApprovalStep, reason: String) throws(Refusal) {
        guard let current = currentStep else { throw .notPending }
        guard current == step else { throw .wrongStep(expected: current) }
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .reasonRequired }
        status = .rejected
    }

    public mutating func withdraw() throws(Refusal) {
        guard status == .pending else { throw .notPending }
        status = .withdrawn
    }
}
