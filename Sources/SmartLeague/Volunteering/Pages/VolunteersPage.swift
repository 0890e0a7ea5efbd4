import Foundation
import LeagueCore

/// Volunteers registered in reach, found by name or number.
struct VolunteersPage: Encodable {
    struct Row: Encodable {
        let id: Int
        let number: String
        let name: String
        let idMasked: String
        let isMember: Bool
        let hours: String
        let stars: Int
    }

    let rows: [Row]
    let hasRows: Bool
    let q: String
    let pagination: Pagination

    init(_ found: VolunteeringQueries.Volunteers, q: String, page: Int) {
        rows = found.volunteers.compactMap { volunteer in
            volunteer.id.map {
                Row(id: $0, number: volunteer.volunteerNumber, name: volunteer.name, idMasked: volunteer.idMasked,
                    isMember: volunteer.memberID != nil, hours: ServiceTime.hoursText(volunteer.totalMinutes),
                    stars: found.policy.stars(minutes: volunteer.totalMinutes))
            }
        }
        hasRows = !rows.isEmpty
        self.q = q
        pagination = Pagination(page: page, pageSize: VolunteeringQueries.pageSize, total: found.total, keep: ["q": q])
    }
}
