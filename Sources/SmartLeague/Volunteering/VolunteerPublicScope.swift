import Fluent
import LeagueCore
import Vapor

/// What the volunteer platform shows to anyone (岗位互通): published posts with their project and
/// group, groups by name, the library of closed projects, and a certificate by its number.
enum VolunteerPublic {
    static func publishedPost(_ id: Int, on db: any Database) async throws -> (VolunteerPost, VolunteerProject, VolunteerGroup)? {
        guard let post = try await VolunteerPost.query(on: db).filter(\.$id == id).filter(\.$published == true).first(),
              let project = try await VolunteerProject.query(on: db).filter(\.$id == post.projectID).first(),
              let group = try await VolunteerGroup.query(on: db).filter(\.$id == project.groupID).first() else { return nil }
        return (post, project, group)
    }

    /// Groups are public organisations: their names label lists anywhere.
    static func groups(_ ids: some Sequence<Int>, on db: any Database) async throws -> [VolunteerGroup] {
        try await VolunteerGroup.query(on: db).filter(\.$id ~~ Set(ids)).all()
    }

    /// Parent groups by id, read as rows (`fieldRows`): a list of groups names each one's parent,
    /// and its unit decides who may approve below it, also when it is beyond the caller's reach.
    static func parentGroups(_ ids: some Sequence<Int>, on db: any Database) async throws -> [Int: VolunteeringQueries.ParentGroup] {
        var parents: [Int: VolunteeringQueries.ParentGroup] = [:]
        for row in try await VolunteerGroup.query(on: db).filter(\.$id ~~ Set(ids)).fields(\.$id, \.$name, \.$unitPath).fieldRows() {
            parents[try row("id")] = VolunteeringQueries.ParentGroup(name: try row("name"), unitPath: try row("unit_path"))
        }
        return parents
    }

    /// The names of groups by id, read as rows (`fieldRows`): a list of projects names its groups.
    static func groupNames(_ ids: some Sequence<Int>, on db: any Database) async throws -> [Int: String] {
        var names: [Int: String] = [:]
        for row in try await VolunteerGroup.query(on: db).filter(\.$id ~~ Set(ids)).fields(\.$id, \.$name).fieldRows() {
            names[try row("id")] = try row("name")
        }
        return names
    }

    /// Approved groups, for choosing the group a new one joins below.
    static func approvedGroups(limit: Int, on db: any Database) async throws -> [VolunteerGroup] {
        try await VolunteerGroup.query(on: db).filter(\.$status == .approved).sort(\.$name).range(0..<limit).all()
    }

    /// Projects by id, for the standings of a contest the caller may see.
    static func projects(_ ids: some Sequence<Int>, on db: any Database) async throws -> [VolunteerProject] {
        try await VolunteerProject.query(on: db).filter(\.$id ~~ Set(ids)).all()
    }

    /// Closed projects, the library of past projects.
    static func library(on db: any Database) -> QueryBuilder<VolunteerProject> {
        VolunteerProject.query(on: db).filter(\.$status == .closed)
    }

    /// The places projects won in closed contests ("2026 年项目大赛第 2 名"), by project id.
    static func awards(of projects: [VolunteerProject], on db: any Database) async throws -> [Int: String] {
        let entries = try await ContestEntry.query(on: db).filter(\.$projectID ~~ projects.compactMap(\.id)).filter(\.$finalRank != nil).all()
        let contests = try await VolunteerContest.query(on: db).filter(\.$id ~~ Set(entries.map(\.contestID))).all()
        let names = Dictionary(contests.compactMap { contest in contest.id.map { ($0, contest.title) } }, uniquingKeysWith: { first, _ in first })
        return Dictionary(grouping: entries, by: \.projectID).mapValues { list in
            list.map { "\(names[$0.contestID] ?? "")第 \($0.finalRank ?? 0) 名" }.joined(separator: "；")
        }
    }

    /// A certificate checked by its number, with its volunteer (shown masked).
    static func certificate(number: String, on db: any Database) async throws -> (VolunteerCertificate, Volunteer)? {
        guard let certificate = try await VolunteerCertificate.query(on: db).filter(\.$number == number).first(),
              let volunteer = try await Volunteer.query(on: db).filter(\.$id == certificate.volunteerID).first() else { return nil }
        return (certificate, volunteer)
    }

    /// The posts of a volunteer's own sign-ups, published or not.
    static func posts(of signUps: [VolunteerSignUp], on db: any Database) async throws -> [VolunteerPost] {
        try await VolunteerPost.query(on: db).filter(\.$id ~~ Set(signUps.map(\.postID))).all()
    }

    /// The published post a check-in link names.
    static func checkInPost(_ id: Int, on db: any Database) async throws -> VolunteerPost? {
        try await VolunteerPost.query(on: db).filter(\.$id == id).filter(\.$published == true).first()
    }
}
