import LeagueCore

/// A unit's page: its details, the units above it, its direct children a page at a time, the
/// counts below it, its change requests, and what the caller may do there.
struct UnitPage: Encodable {
    /// A unit as every page about it shows it.
    struct Unit: Encodable {
        let id: Int
        let code: String
        let name: String
        let shortName: String
        let typeLabel: String
        let isBranch: Bool
        let isActive: Bool
        let contactPerson: String?
        let contactPhone: String?
        let address: String?
        let establishedOn: String?
        let graduationDate: String?
        let summary: String?

        init(_ unit: Organization) {
            id = unit.id ?? 0
            code = unit.code
            name = unit.name
            shortName = unit.shortName
            typeLabel = unit.type.label
            isBranch = unit.type.isBranch
            isActive = unit.isActive
            contactPerson = unit.contactPerson
            contactPhone = unit.contactPhone
            address = unit.address
            establishedOn = unit.establishedOn
            graduationDate = unit.graduationDate
            summary = unit.summary
        }
    }

    struct Crumb: Encodable {
        let id: Int
        let name: String
    }

    struct Child: Encodable {
        let id: Int
        let code: String
        let name: String
        let shortName: String
        let typeLabel: String
        let childCount: Int

        init(_ row: OrganizationQueries.ChildRow) {
            id = row.id
            code = row.code
            name = row.name
            shortName = row.short_name
            typeLabel = row.type.label
            childCount = row.child_count
        }
    }

    /// Active units of one type in a subtree.
    struct TypeCount: Encodable {
        let label: String
        let count: Int

        init(_ count: UnitTypeCounts.TypeCount) {
            label = count.type.label
            self.count = count.count
        }
    }

    /// What the caller may do here; the writes check the same rules again.
    struct Permissions: Encodable {
        let createChild: Bool
        let renameDirectly: Bool
        let moveOrDissolve: Bool
        let merge: Bool
    }

    let unit: Unit
    let breadcrumb: [Crumb]
    let children: [Child]
    let pagination: Pagination
    let q: String
    let counts: [TypeCount]
    let administrators: Int
    let members: Int
    let memberTotal: Int
    let requests: [ChangeRequestsPage.Row]
    let hasRequests: Bool
    let can: Permissions

    init(_ overview: OrganizationQueries.Overview, scope: Scope) {
        let unit = overview.unit
        self.unit = Unit(unit)
        breadcrumb = overview.ancestors.compactMap { ancestor in ancestor.id.map { Crumb(id: $0, name: ancestor.name) } }
        children = overview.children.map(Child.init)
        pagination = overview.pagination
        q = overview.nameContains
        counts = overview.counts.map(TypeCount.init)
        administrators = overview.administrators
        members = overview.memberAccounts
        memberTotal = overview.memberTotal
        requests = overview.requests.map { ChangeRequestsPage.Row($0, scope: scope) }
        hasRequests = !requests.isEmpty
        let strictlyAbove = scope.isStrictlyAbove(unit)
        can = Permissions(createChild: unit.isActive && !unit.type.isBranch, renameDirectly: strictlyAbove,
                          moveOrDissolve: unit.isActive && strictlyAbove, merge: unit.isActive && strictlyAbove && unit.type.isBranch)
    }
}
