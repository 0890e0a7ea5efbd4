import Foundation

/// 组织关系转接 (RULES.md §5): started by the sending branch, the receiving unit or the member;
/// the other side approves; a transfer to a committee is placed in one of its branches.
public enum TransferStatus: String, Codable, Sendable, CaseIterable {
    case awaitingSender, awaitingReceiver, awaitingPlacement, done, refused, cancelled

    public var label: String {
        switch self {
        case .awaitingSender: "待转出方同意"
        case .awaitingReceiver: "待接收方同意"
        case .awaitingPlacement: "待接收方安排团支部"
        case .done: "已转入"
        case .refused: "未同意"
        case .cancelled: "已撤回"
        }
    }

    public var isOpen: Bool { self == .awaitingSender || self == .awaitingReceiver || self == .awaitingPlacement }
}

public enum TransferSide: String, Codable, Sendable {
    case sender, receiver, member

    public var label: String {
        switch self {
        case .sender: "转出方"
        case .receiver: "接收方"
        case .member: "团员本人"
        }
    }

    /// Who has to agree first: the side that did not start it (the member's request goes to the
    /// sending branch first, then to the receiver).
    public var firstStatus: TransferStatus {
        self == .receiver ? .awaitingSender : (self == .sender ? .awaitingReceiver : .awaitingSender)
    }
}

public enum TransferRules {
    /// What follows an agreement by the side the transfer waits for.
    public static func afterApproval(_ status: TransferStatus, targetIsBranch: Bool, startedBy: TransferSide) -> TransferStatus? {
        switch status {
        case .awaitingSender: startedBy == .receiver ? (targetIsBranch ? .done : .awaitingPlacement) : .awaitingReceiver
        case .awaitingReceiver: targetIsBranch ? .done : .awaitingPlacement
        default: nil
        }
    }

    /// Graduates' transfers are due by 30 November of the year they graduate.
    public static func graduateDeadline(year: Int) -> CalendarDate { CalendarDate(year: year, month: 11, day: 30)! }

    /// Days from today to the deadline, or nil once it has passed.
    public static func daysLeft(until deadline: CalendarDate, from today: CalendarDate) -> Int? {
        guard today <= deadline else { return nil }
        return deadline.dayNumber - today.dayNumber
    }
}

/// A receiving unit asks to take in a member it cannot see (转入申请): the unit holding the member
/// agrees before the receiver learns anything about them. A request nobody answers lapses, so a
/// request for a number that does not exist looks like one the holder never took up.
public enum TransferRequestRules {
    public static let lapseDays = 30

    public static func hasLapsed(requestedAt: Date, now: Date) -> Bool {
        now.timeIntervalSince(requestedAt) > TimeInterval(lapseDays * 86_400)
    }
}
