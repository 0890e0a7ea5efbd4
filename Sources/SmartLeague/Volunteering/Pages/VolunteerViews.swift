import Foundation
import LeagueCore

/// What the volunteer pages show of posts and records, shared by the public, volunteer and
/// cadres' pages.
enum VolunteerViews {
    struct PostRow: Encodable {
        let id: Int
        let title: String
        let category: String
        let place: String
        let district: String
        let day: String
        let time: String
        let capacity: Int
        let taken: Int
        let openPlaces: Int
        let needsApproval: Bool
        let requirements: String
    }

    static func time(_ post: VolunteerPost) -> String {
        time(from: post.startsAt, to: post.endsAt)
    }

    static func time(from start: Date, to end: Date) -> String {
        "\(ChinaTime.dateTimeString(start).suffix(5))–\(ChinaTime.dateTimeString(end).suffix(5))"
    }

    /// Posts with their districts named (`VolunteerQueries.districtNames`).
    static func rows(_ posts: [VolunteerPost], districts: [Int: String]) -> [PostRow] {
        posts.map { row($0, districts: districts) }
    }

    static func row(_ post: VolunteerPost, districts: [Int: String]) -> PostRow {
        row(VolunteerQueries.PostListing(post), districts: districts)
    }

    static func row(_ post: VolunteerQueries.PostListing, districts: [Int: String]) -> PostRow {
        PostRow(id: post.id, title: post.title, category: post.category, place: post.place, district: districts[post.districtID] ?? "",
                day: post.day, time: time(from: post.startsAt, to: post.endsAt), capacity: post.capacity, taken: post.taken,
                openPlaces: post.openPlaces, needsApproval: post.needsApproval, requirements: post.requirements)
    }

    static let categoryOptions = VolunteerCategories.all.map { Choice(value: $0, label: $0) }

    struct RecordRow: Encodable {
        let id: Int
        let content: String
        let servedOn: String
        let kind: String
        let isHonor: Bool
        let hours: String
        let reason: String
        let recordedBy: String
    }

    static func recordRows(_ records: [ServiceRecord]) -> [RecordRow] {
        records.map {
            RecordRow(id: $0.id ?? 0, content: $0.content, servedOn: $0.servedOn, kind: $0.kind.label, isHonor: $0.kind == .honor,
                      hours: ServiceTime.hoursText($0.minutes), reason: $0.reason ?? "", recordedBy: $0.recordedBy)
        }
    }
}
