/// 组织树: the caller's unit and, below each open node, its first children. The open nodes
/// travel in the address (`?open=12,57`), so each row links to the same tree with itself
/// opened or closed.
struct TreePage: Encodable {
    struct Row: Encodable {
        let id: Int
        let name: String
        let typeLabel: String
        let depth: Int
        let childCount: Int
        let isOpen: Bool
        let toggleURL: String
        /// Children of an open node beyond those listed, paged on the unit's own page.
        let more: Int
    }

    let rows: [Row]

    init(_ nodes: [OrganizationQueries.TreeNode], open: Set<Int>) {
        rows = nodes.map { node in
            let toggled = node.isOpen ? open.subtracting([node.id]) : open.union([node.id])
            // An empty list is kept in the link: it means every node closed, not the default.
            return Row(id: node.id, name: node.name, typeLabel: node.type.label, depth: min(node.depth, 9), childCount: node.childCount,
                       isOpen: node.isOpen,
                       toggleURL: TreeRoute.show.url + "?open=" + toggled.sorted().map(String.init).joined(separator: ","),
                       more: node.isOpen ? max(0, node.childCount - node.listed) : 0)
        }
    }
}
