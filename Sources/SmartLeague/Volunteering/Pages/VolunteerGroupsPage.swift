import Foundation
import LeagueCore

/// Volunteer groups in reach with those the caller may approve, and the form to ask for one.
struct VolunteerGroupsPage: Encodable {
    struct Row: Encodable {
        let id: Int
        let name: String
        let parent: String
        let unit: String
        let kind: String
        let contact: String
        let status: String
        let note: String
        let canDecide: Bool
    }

    /// Groups labelled by parent and unit; whether the caller may decide on each is the change's to say.
    static func rows(_ groups: [VolunteeringQueries.ListedGroup], _ labels: VolunteeringQueries.GroupLabels, _ change: ChangeContext) -> [Row] {
        groups.map { group in
            let parent = group.parentID.flatMap { labels.parents[$0] }
            return Row(id: group.id, name: group.name, parent: parent?.name ?? "", unit: labels.unitNames[group.unitID] ?? "",
                       kind: group.independent ? "独立" : "挂靠", contact: group.contact, status: group.status.label,
                       note: group.decisionNote ?? "", canDecide: VolunteerOrganizing.canDecide(group, parentUnit: parent?.unitPath, change))
        }
    }

    let groups: [Row]
    let hasGroups: Bool
    let parents: [Choice]
    let unitCode: String
    let form: FormState

    init(_ found: VolunteeringQueries.Groups, change: ChangeContext, form: FormState) {
        groups = Self.rows(found.groups, found.labels, change)
        hasGroups = !groups.isEmpty
        parents = found.parents.compactMap { group in group.id.map { Choice(value: String($0), label: group.name) } }
        unitCode = found.ownUnit.code
        self.form = form
    }
}
