import Foundation
import LeagueCore
import Testing
@testable import SmartLeague

/// The unit pages built from rows, without HTTP or a database.
@Suite struct OrganizationPageTests {
    static func unit(_ id: Int, _ name: String, at path: TreePath, _ type: OrganizationType, parent: Int?) -> Organization {
        let unit = Organization()
        unit.id = id
        unit.parentID = parent
        unit.path = path
        unit.depth = path.ids.count - 1
        unit.code = "330200\(id)"
        unit.name = name
        unit.shortName = name
        unit.type = type
        unit.status = .active
        unit.nextChildSeq = 1
        return unit
    }

    @Test func onlyAnAdministratorAboveABranchMayMoveDissolveOrMergeIt() {
        let haishu = TreePath(ids: [1, 2]), path = haishu.appending(5)
        let branch = Self.unit(5, "海曙区青年团支部", at: path, .branch, parent: 2)
        let overview = OrganizationQueries.Overview(
            unit: branch, nameContains: "", children: [], pagination: Pagination(page: 1, pageSize: 50, total: 0),
            ancestors: [Self.unit(2, "共青团海曙区委", at: haishu, .districtCommittee, parent: 1)], counts: [], administrators: 1, memberAccounts: 2,
            memberTotal: 3, requests: [])
        let above = UnitPage(overview, scope: Scope(reach: .subtree(haishu)))
        let own = UnitPage(overview, scope: Scope(reach: .subtree(path)))
        #expect(above.can.merge && above.can.moveOrDissolve && above.can.renameDirectly && !above.can.createChild)
        #expect(!own.can.merge && !own.can.moveOrDissolve && !own.can.renameDirectly)
        #expect(above.breadcrumb.map(\.name) == ["共青团海曙区委"] && above.memberTotal == 3 && above.members == 2)
    }

    @Test func eachRowOfTheTreeLinksToTheTreeWithItselfToggled() {
        let nodes = [
            OrganizationQueries.TreeNode(id: 1, name: "共青团宁波市委", type: .cityCommittee, depth: 0, childCount: 150, isOpen: true, listed: 100),
            OrganizationQueries.TreeNode(id: 2, name: "共青团海曙区委", type: .districtCommittee, depth: 1, childCount: 3, isOpen: false, listed: 0),
        ]
        let page = TreePage(nodes, open: [1])
        // Closing the last open node keeps an empty list, which is not the default of the own unit open.
        #expect(page.rows.map(\.toggleURL) == ["/tree?open=", "/tree?open=1,2"])
        #expect(page.rows.map(\.more) == [50, 0])
    }
}
