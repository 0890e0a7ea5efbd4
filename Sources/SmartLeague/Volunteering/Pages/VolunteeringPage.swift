import Foundation
import LeagueCore

/// 志愿服务 for cadres: the figures, the groups and projects awaiting the caller, and the star table.
struct VolunteeringPage: Encodable {
    let volunteers: Int
    let groups: Int
    let projects: Int
    let openDisputes: Int
    let pendingGroups: [VolunteerGroupsPage.Row]
    let hasPendingGroups: Bool
    let pendingProjects: [VolunteerProjectsPage.Row]
    let hasPendingProjects: Bool
    let stars: String
    let canSetStars: Bool
    let form: FormState

    init(_ overview: VolunteeringQueries.Overview, change: ChangeContext, form: FormState) {
        volunteers = overview.volunteers
        groups = overview.groups
        projects = overview.projects
        openDisputes = overview.openDisputes
        pendingGroups = VolunteerGroupsPage.rows(overview.pendingGroups, overview.labels, change).filter(\.canDecide)
        hasPendingGroups = !pendingGroups.isEmpty
        pendingProjects = VolunteerProjectsPage.rows(overview.pendingProjects, groupNames: overview.groupNames)
        hasPendingProjects = !pendingProjects.isEmpty
        stars = overview.policy.hours.map(String.init).joined(separator: ",")
        canSetStars = change.scope.isCityWide
        self.form = form
    }
}
