import LeagueCore

/// One link of the site's menu, declared by the part whose page it opens, so that a new part
/// appears in the menu without anyone editing the layout.
struct MenuEntry: Sendable {
    /// Who sees the link: signed-in people by the kind of their account, or visitors who are not
    /// signed in.
    enum Audience: Hashable, Sendable {
        case account(AccountKind)
        case visitors

        static let administrators = Audience.account(.administrator)
        static let members = Audience.account(.member)
        static let volunteers = Audience.account(.volunteer)
        /// Every signed-in person.
        static let signedIn: Set<Audience> = Set(AccountKind.allCases.map(Audience.account))
    }

    let label: String
    let url: String
    let audiences: Set<Audience>
    /// Place in the menu, smallest first; the numbers leave room between neighbours so a part can
    /// put its link where cadres expect it without renumbering the others.
    let rank: Int

    init(_ label: String, _ route: some SiteRoute, for audiences: Set<Audience>, rank: Int) {
        self.label = label
        self.url = route.url
        self.audiences = audiences
        self.rank = rank
    }

    init(_ label: String, _ route: some SiteRoute, for audience: Audience, rank: Int) {
        self.init(label, route, for: [audience], rank: rank)
    }
}

/// A menu link as the layout renders it.
struct MenuLink: Encodable, Sendable, Equatable {
    let label: String
    let url: String
}

/// The menu of each audience, sorted once from every part's entries.
struct Menu: Sendable {
    private let links: [MenuEntry.Audience: [MenuLink]]

    init(_ entries: [MenuEntry]) {
        var links: [MenuEntry.Audience: [MenuLink]] = [:]
        let audiences = Set(entries.flatMap(\.audiences))
        for audience in audiences {
            links[audience] = entries.filter { $0.audiences.contains(audience) }
                .sorted { ($0.rank, $0.label) < ($1.rank, $1.label) }
                .map { MenuLink(label: $0.label, url: $0.url) }
        }
        self.links = links
    }

    func links(for audience: MenuEntry.Audience) -> [MenuLink] {
        links[audience] ?? []
    }
}

/// The menu for programs outside the server (the page benchmark opens what each person's menu
/// offers): a signed-in kind's links, or a visitor's for `nil`.
public enum SiteMenu {
    public static func links(for kind: AccountKind?) -> [(label: String, url: String)] {
        PartRegistry.menu.links(for: kind.map(MenuEntry.Audience.account) ?? .visitors).map { ($0.label, $0.url) }
    }
}
