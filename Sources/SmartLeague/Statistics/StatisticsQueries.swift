import Fluent
import LeagueCore

/// What the statistics read: the kept counts of a unit and of its direct children.
enum StatisticsQueries {
    typealias Counts = [MemberStats.Dimension: [String: Int]]

    struct Child {
        let id: Int
        let name: String
        let counts: Counts
    }

    /// A unit's own counts and a page of its direct children's.
    struct Overview {
        let unit: Organization
        let counts: Counts
        let children: [Child]
        let pagination: Pagination
    }

    static func overview(of unit: Organization, page requested: Int, pageSize: Int, scope: Scope, on db: any Database) async throws -> Overview {
        let id = unit.id ?? 0
        let total = try await OrganizationQueries.children(of: id, scope: scope, nameContains: nil, limit: 0, offset: 0, on: db).total
        let pagination = Pagination(page: requested, pageSize: pageSize, total: total, keep: ["unit": String(id)])
        let rows = try await OrganizationQueries.children(of: id, scope: scope, nameContains: nil, limit: pageSize,
                                                          offset: pagination.offset, on: db).rows
        let counts = try await MemberStats.counts(units: [id] + rows.map(\.id), scope: scope, on: db)
        return Overview(unit: unit, counts: counts[id] ?? [:], children: rows.map { Child(id: $0.id, name: $0.name, counts: counts[$0.id] ?? [:]) },
                        pagination: pagination)
    }

    /// Every direct child's counts, read a few hundred at a time, and the unit's own.
    struct Table {
        let unit: Organization
        let counts: Counts
        let children: [Child]
    }

    static func table(of unit: Organization, scope: Scope, on db: any Database) async throws -> Table {
        let id = unit.id ?? 0
        var children: [Child] = []
        var offset = 0
        while true {
            let rows = try await OrganizationQueries.children(of: id, scope: scope, nameContains: nil, limit: 500, offset: offset, on: db).rows
            let counts = try await MemberStats.counts(units: rows.map(\.id), scope: scope, on: db)
            children += rows.map { Child(id: $0.id, name: $0.name, counts: counts[$0.id] ?? [:]) }
            if rows.count < 500 { break }
            offset += rows.count
        }
        let own = try await MemberStats.counts(units: [id], scope: scope, on: db)[id] ?? [:]
        return Table(unit: unit, counts: own, children: children)
    }
}
