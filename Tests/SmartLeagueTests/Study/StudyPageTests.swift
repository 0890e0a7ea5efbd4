import Foundation
import LeagueCore
import Testing
@testable import SmartLeague

/// The study pages built from rows, without HTTP or a database.
@Suite struct StudyPageTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func episode(_ id: Int, number: Int) -> StudyEpisode {
        let episode = StudyEpisode()
        episode.id = id
        episode.season = 12
        episode.number = number
        episode.title = "第\(number)期"
        episode.opensAt = now.addingTimeInterval(Double(number - 3) * 7 * 86_400)
        episode.closesAt = episode.opensAt.addingTimeInterval(6 * 86_400)
        episode.videoURL = "https://example.org/\(number)"
        episode.quizJSON = "{}"
        episode.createdAt = episode.opensAt
        return episode
    }

    static func unit(_ id: Int, _ name: String, _ type: OrganizationType) -> Organization {
        let unit = Organization()
        unit.id = id
        unit.name = name
        unit.code = "330203\(id)"
        unit.type = type
        unit.path = TreePath(ids: [1, id])
        return unit
    }

    @Test func childrenLeadToTheSameEpisodeForThemAndTheSeasonDrawsATrend() {
        let first = Self.episode(1, number: 1), second = Self.episode(2, number: 2)
        let school = Self.unit(30, "宁波市第一中学团委", .committee)
        let detail = StudyQueries.Episode(
            episode: second, unit: school, season: [first, second],
            participation: [1: Participation(participants: 3, members: 10), 2: Participation(participants: 5, members: 10)],
            children: [.init(unit: Self.unit(31, "高三(1)班团支部", .branch), participation: Participation(participants: 2, members: 2), rank: 1)],
            missing: [], pagination: Pagination(page: 1, pageSize: 50, total: 0))
        let page = StudyEpisodePage(detail, now: Self.now)
        #expect(page.children.first?.url == "/study/episodes/2?unit=31")
        #expect(page.participants == 5 && page.rate == Participation(participants: 5, members: 10).text)
        #expect(page.trend.map(\.x) == [30, 590] && page.hasTrend)
        #expect(page.trendLine == page.trend.map { "\($0.x),\($0.y)" }.joined(separator: " "))
        #expect(!page.isBranch)
    }

    @Test func aMemberSeesWhatTheyHaveDoneAndAnImportListsRefusedLinesFirst() {
        let opened = [Self.episode(2, number: 2), Self.episode(1, number: 1)]
        let learn = LearnListPage(opened: opened, completed: [1], now: Self.now)
        #expect(learn.episodes.map(\.done) == [false, true])
        #expect(learn.done == 1 && learn.opened == 2 && learn.rate == Participation(participants: 1, members: 2).text)

        let report = StudyImport.Report(lines: [
            .init(line: 2, memberNumber: "1", episode: "12-1", outcome: .recorded),
            .init(line: 3, memberNumber: "2", episode: "12-1", outcome: .refused("找不到团员编号「2」")),
            .init(line: 4, memberNumber: "3", episode: "12-1", outcome: .alreadyDone)])
        let imported = StudyImportPage(report, form: FormState())
        #expect(imported.lines.map(\.line) == [3, 2, 4])
        #expect(imported.recorded == 1 && imported.alreadyDone == 1 && imported.refused == 1 && imported.hasReport)
        #expect(imported.headers == CompletionBatch.headers.joined(separator: ","))
        #expect(!StudyImportPage(nil, form: FormState()).hasReport)
    }
}
