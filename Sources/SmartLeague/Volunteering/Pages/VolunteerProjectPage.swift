import Foundation
import LeagueCore

/// One project: its review, its posts, and the form to add posts.
struct VolunteerProjectPage: Encodable {
    let id: Int
    let title: String
    let category: String
    let summary: String
    let group: String
    let year: Int
    let status: String
    let note: String
    let isPending: Bool
    let isPublished: Bool
    let canAddPosts: Bool
    let posts: [VolunteerViews.PostRow]
    let hasPosts: Bool
    let form: FormState

    init(_ found: VolunteeringQueries.Project, form: FormState) {
        let project = found.project
        id = project.id ?? 0
        title = project.title
        category = project.category
        summary = project.summary
        group = found.group?.name ?? ""
        year = project.year
        status = project.status.label
        note = project.reviewNote ?? ""
        isPending = project.status == .pending
        isPublished = project.status == .published
        canAddPosts = [.pending, .published].contains(project.status)
        posts = VolunteerViews.rows(found.posts, districts: found.districtNames)
        hasPosts = !posts.isEmpty
        // A slot as most are: ten people, two hours in the morning.
        var form = form
        for (field, value) in [("capacity", "10"), ("start", "09:00"), ("end", "11:00")] where form.values[field] == nil {
            form.values[field] = value
        }
        self.form = form
    }
}
