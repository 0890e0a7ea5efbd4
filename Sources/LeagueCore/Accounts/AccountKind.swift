/// Who an account belongs to, which decides its scope (RULES.md §2).
public enum AccountKind: String, Codable, Sendable, CaseIterable {
    /// A league cadre administering one unit and everything below it (管理中心).
    case administrator
    /// A member who sees only their own record (个人中心).
    case member

    public var label: String {
        switch self {
        case .administrator: "管理员"
        case .member: "团员"
        }
    }
}
