import Foundation
import LeagueCore

/// 每人认一岗，至少做一次: how many of a unit's members hold a post and have served this year, and
/// who has not yet.
struct PostCoveragePage: Encodable {
    struct Row: Encodable {
        let name: String
        let memberNumber: String
        let branch: String
    }

    let unitID: Int
    let unitName: String
    let year: Int
    let members: Int
    let holding: Int
    let holdingPercent: Int
    let served: Int
    let servedPercent: Int
    let listingHolding: Bool
    let notServed: [Row]
    let hasNotServed: Bool
    let pagination: Pagination

    init(_ report: VolunteeringQueries.CoverageReport, page: Int) {
        let figures = report.figures
        unitID = report.unit.id ?? 0
        unitName = report.unit.name
        year = report.year
        members = figures.members
        holding = figures.holdingPost
        holdingPercent = figures.holdingPercent
        served = figures.served
        servedPercent = figures.servedPercent
        listingHolding = report.listing == .holding
        notServed = report.members.map { Row(name: $0.name, memberNumber: $0.memberNumber, branch: report.branchNames[$0.branchID] ?? "") }
        hasNotServed = !notServed.isEmpty
        pagination = Pagination(page: page, pageSize: VolunteeringQueries.pageSize, total: report.total,
                                keep: ["unit": String(unitID), "year": String(year), "list": report.listing.rawValue])
    }
}
