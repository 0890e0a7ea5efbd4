import Foundation
import LeagueCore

/// 岗位互通: published posts of every unit, by district, category, day and keyword.
struct VolunteerPostsPage: Encodable {
    static let pageSize = 20

    let posts: [VolunteerViews.PostRow]
    let hasPosts: Bool
    let districts: [Choice]
    let categories: [Choice]
    let filter: [String: String]
    let pagination: Pagination
    let signedIn: Bool

    init(_ search: VolunteerQueries.PostSearch, filter: VolunteerQueries.PostFilter, page: Int, signedIn: Bool) {
        let districts = search.districts
        let names = Dictionary(districts.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        posts = search.posts.map { VolunteerViews.row($0, districts: names) }
        hasPosts = !search.posts.isEmpty
        self.districts = Choice.units(districts)
        categories = VolunteerViews.categoryOptions
        self.filter = filter.typed
        pagination = Pagination(page: page, pageSize: Self.pageSize, total: search.total, keep: filter.typed)
        self.signedIn = signedIn
    }
}
