/// Where a handed-down task stands (任务分解 → 进度): not started, under way, done; overdue is
/// not stored but seen, when the deadline has passed and the task is not done.
public enum TaskStatus: String, Codable, Sendable, CaseIterable {
    case notStarted, underWay, done

    public var label: String {
        switch self {
        case .notStarted: "未开始"
        case .underWay: "进行中"
        case .done: "已完成"
        }
    }

    /// The status to show on `today`.
    public func shown(deadline: CalendarDate, today: CalendarDate) -> String {
        self != .done && deadline < today ? "已逾期" : label
    }

    public func isOverdue(deadline: CalendarDate, today: CalendarDate) -> Bool {
        self != .done && deadline < today
    }
}

/// What may be said about an assignment, and what it does to its status.
public enum TaskReportKind: String, Codable, Sendable {
    /// The holder reports progress (进展报告), possibly as finished.
    case report
    /// The assigner comments (点评).
    case comment
    /// The assigner sends it back (退回): it is under way again.
    case sendBack

    public var label: String {
        switch self {
        case .report: "进展报告"
        case .comment: "点评"
        case .sendBack: "退回"
        }
    }

    public enum Refusal: Error, Equatable, Sendable {
        case closed, notDoneYet

        public var message: String {
            switch self {
            case .closed: "该任务已完成，不能再报告进展；如需补充，请上级先退回"
            case .notDoneYet: "只有已完成的任务才能退回"
            }
        }
    }

    /// The status after this is said about a task now at `status`.
    public func apply(to status: TaskStatus, finished: Bool) throws(Refusal) -> TaskStatus {
        switch self {
        case .report:
            guard status != .done else { throw .closed }
            return finished ? .done : .underWay
        case .comment:
            return status
        case .sendBack:
            guard status == .done else { throw .notDoneYet }
            return .underWay
        }
    }
}
