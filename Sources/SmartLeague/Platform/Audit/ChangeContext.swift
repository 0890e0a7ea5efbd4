import Foundation
import LeagueCore
import Vapor

/// Who makes a change, in which reach, and when: what every write needs besides its own data.
struct ChangeContext: Sendable {
    let scope: Scope
    let actor: AuditActor
    let now: Date
    /// The administrator making the change, for four-eyes rules; nil for the system itself.
    var approver: Approver? = nil

    /// The day of the change in China, where the league's dates are kept.
    var today: CalendarDate { ChinaTime.day(now) }
}

/// An administrator as four-eyes rules see them: their unit and the level that appointed them.
struct Approver: Sendable {
    let accountID: Int
    let unit: TreePath
    let appointedBy: TreePath?

    /// Whether they may approve what `unit` proposed (`proposedBy` the proposing account).
    func mayApprove(_ unit: TreePath, proposedBy: Int?) -> Bool {
        FourEyes.mayApprove(unit, approverUnit: self.unit, appointedFrom: appointedBy, isProposer: proposedBy == accountID)
    }
}

extension ChangeContext {
    /// Whether this change may approve what `unit` proposed: the system may, an administrator as
    /// `FourEyes` says.
    func mayApprove(_ unit: TreePath, proposedBy: Int?) -> Bool {
        guard let approver else { return actor.accountID == nil }
        return approver.mayApprove(unit, proposedBy: proposedBy)
    }
}

extension Request {
    var changeContext: ChangeContext {
        ChangeContext(scope: scope, actor: auditActor, now: now, approver: actor?.approver)
    }
}
