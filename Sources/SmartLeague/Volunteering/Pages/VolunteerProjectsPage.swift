import Foundation
import LeagueCore

/// Projects in reach, and the form to declare one for an approved group.
struct VolunteerProjectsPage: Encodable {
    struct Row: Encodable {
        let id: Int
        let title: String
        let category: String
        let group: String
        let year: Int
        let status: String
    }

    static func rows(_ projects: [VolunteeringQueries.ListedProject], groupNames: [Int: String]) -> [Row] {
        projects.map { project in
            Row(id: project.id, title: project.title, category: project.category, group: groupNames[project.groupID] ?? "", year: project.year,
                status: project.status.label)
        }
    }

    let projects: [Row]
    let hasProjects: Bool
    let groups: [Choice]
    let hasGroups: Bool
    let categories: [Choice]
    let districts: [Choice]
    let pagination: Pagination
    let form: FormState

    init(_ found: VolunteeringQueries.Projects, page: Int, today: CalendarDate, form: FormState) {
        projects = Self.rows(found.projects, groupNames: found.groupNames)
        hasProjects = !projects.isEmpty
        groups = found.approvedGroups.compactMap { group in group.id.map { Choice(value: String($0), label: group.name) } }
        hasGroups = !groups.isEmpty
        categories = VolunteerViews.categoryOptions
        districts = Choice.units(found.districts)
        pagination = Pagination(page: page, pageSize: VolunteeringQueries.pageSize, total: found.total)
        var form = form
        if form.values["year"] == nil { form.values["year"] = String(today.year) }
        self.form = form
    }
}
