/// Who an account belongs to, which decides its scope (RULES.md §2).
public enum AccountKind: String, Codable, Sendable, CaseIterable {
    /// A league cadre administering one unit and everything below it (管理中心).
    case administrator
    /// A member who sees only their own record (个人中心).
    case member
    /// A volunteer who is not a league member, registered on the volunteer platform (志愿者).
    case volunteer
    /// A young person with a light account, opened when they first asked 青年之声 (青年).
    case youth

    public var label: String {
        switch self {
        case .administrator: "管理员"
        case .member: "团员"
        case .volunteer: "志愿者"
        case .youth: "青年"
        }
    }

    /// The kinds an administrator creates; volunteers and young people open their own.
    public static let assignable: [AccountKind] = [.administrator, .member]
}
