import LeagueCore
import Vapor

/// The signed-in person behind a request, with their unit, as the session middleware found them.
struct Actor: Sendable {
    let accountID: Int
    let username: String
    let displayName: String
    let kind: AccountKind
    /// The member record a member's account belongs to (个人中心).
    let memberID: Int?
    let unitID: Int
    let unitPath: TreePath
    let unitName: String
    let mustChangePassword: Bool
    let sessionID: String
    let csrfToken: String
    let flash: String?
    /// The unit of whoever created the account (nil: the system), for four-eyes rules.
    let appointedBy: TreePath?

    var approver: Approver? {
        kind == .administrator ? Approver(accountID: accountID, unit: unitPath, appointedBy: appointedBy) : nil
    }

    var scope: Scope {
        switch kind {
        case .administrator: Scope(reach: .subtree(unitPath))
        case .member, .volunteer, .youth: Scope(reach: .ownAccount(accountID, member: memberID))
        }
    }
}

extension Request {
    private struct ActorKey: StorageKey { typealias Value = Actor }

    var actor: Actor? {
        get { storage[ActorKey.self] }
        set { storage[ActorKey.self] = newValue }
    }

    /// The signed-in person; routes behind `RequireSignIn` always have one.
    func requireActor() throws -> Actor {
        guard let actor else { throw Abort(.unauthorized) }
        return actor
    }

    /// What the signed-in person may see and change; nothing at all when no one is signed in.
    var scope: Scope {
        actor?.scope ?? Scope(reach: .nothing)
    }
}
