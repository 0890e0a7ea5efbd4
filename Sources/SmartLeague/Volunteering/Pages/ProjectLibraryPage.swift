import Foundation
import LeagueCore

/// Past projects (项目库): closed projects with their contest places, to learn from and reuse.
struct ProjectLibraryPage: Encodable {
    static let pageSize = 20

    struct Row: Encodable {
        let title: String
        let category: String
        let year: Int
        let group: String
        let summary: String
        let award: String
    }

    let rows: [Row]
    let hasRows: Bool
    let categories: [Choice]
    let filter: [String: String]
    let pagination: Pagination

    init(_ library: VolunteerQueries.Library, filter: VolunteerQueries.LibraryFilter, page: Int) {
        rows = library.projects.map { project in
            Row(title: project.title, category: project.category, year: project.year, group: library.groupNames[project.groupID] ?? "",
                summary: project.summary, award: project.id.flatMap { library.awards[$0] } ?? "")
        }
        hasRows = !rows.isEmpty
        categories = VolunteerViews.categoryOptions
        self.filter = filter.typed
        pagination = Pagination(page: page, pageSize: Self.pageSize, total: library.total, keep: filter.typed)
    }
}
