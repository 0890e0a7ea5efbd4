import Foundation
import LeagueCore

/// Objections to hours recorded in reach, for the recording unit to answer.
struct ServiceDisputesPage: Encodable {
    struct Row: Encodable {
        let id: Int
        let volunteer: String
        let record: VolunteerViews.RecordRow
        let reason: String
        let status: String
        let reply: String
        let isOpen: Bool
    }

    let rows: [Row]
    let hasRows: Bool
    let form: FormState

    init(_ found: VolunteeringQueries.Disputes, form: FormState) {
        let records = Dictionary(zip(found.records.map { $0.id ?? 0 }, VolunteerViews.recordRows(found.records)),
                                 uniquingKeysWith: { first, _ in first })
        rows = found.disputes.compactMap { dispute in
            guard let id = dispute.id, let record = records[dispute.recordID] else { return nil }
            return Row(id: id, volunteer: found.volunteers[dispute.volunteerID].map { "\($0.name)（\($0.volunteerNumber)）" } ?? "",
                       record: record, reason: dispute.reason, status: dispute.status.label, reply: dispute.reply ?? "",
                       isOpen: dispute.status == .open)
        }
        hasRows = !rows.isEmpty
        self.form = form
    }
}
