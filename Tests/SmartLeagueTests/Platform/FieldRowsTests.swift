import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

/// A query read as rows (`QueryBuilder.fieldRows`) finds what the same query finds as models: the
/// scope's conditions, filters, sorts and range all hold, and each selected field reads back.
@Suite struct FieldRowsTests {
    @Test func rowsAreTheModelsTheSameQueryFinds() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let school = try await Fixtures.child(app, of: haishu, "宁波市第一中学团委", .committee)
            let near = try await Fixtures.child(app, of: school, "高二(3)班团支部", .branch)
            let far = try await Fixtures.child(app, of: haishu, "宁波市第二中学团支部", .branch)
            for index in 0..<6 {
                try await Fixtures.member(app, "近\(index)", birth: "200\(index)-03-0\(index + 1)", sequence: 11 + index * 2, in: near, joined: "2022-05-04",
                                          post: index == 2)
                try await Fixtures.member(app, "远\(index)", sequence: 31 + index * 2, in: far)
            }
            let scope = Scope(reach: .subtree(school.path))
            func query() -> QueryBuilder<Member> {
                scope.members(on: app.db).filter(\.$holdsLeaguePost == false).sort(\.$birthDate, .descending).range(1..<4)
                    .field(\.$id).field(\.$name).field(\.$gender).field(\.$phone).field(\.$holdsLeaguePost)
                    .field(\.$birthDate).field(\.$branchPath).field(\.$createdAt).field(\.$leftReason)
            }
            let models = try await query().all()
            let rows = try await query().fieldRows()
            #expect(models.count == 3)
            #expect(try rows.map { try $0("id", as: Int.self) } == models.map { $0.id ?? 0 })
            #expect(try rows.map { try $0("name", as: String.self) } == ["近4", "近3", "近1"])
            #expect(try rows.map { try $0("gender", as: Gender.self) } == models.map(\.gender))
            #expect(try rows.map { try $0("phone", as: String?.self) } == models.map(\.phone))
            #expect(try rows.allSatisfy { try $0("holds_league_post", as: Bool.self) == false })
            #expect(try rows.map { try $0("birth_date", as: CalendarDate.self) } == models.map { CalendarDate($0.birthDate) })
            #expect(try rows.map { try $0("branch_path", as: TreePath.self) } == models.map(\.branchPath))
            #expect(try rows.map { try $0("created_at", as: Date?.self) } == models.map(\.createdAt))
            #expect(try rows.map { try $0("left_reason", as: String?.self) } == models.map(\.leftReason))

            // Nobody's rows for a scope that reaches nothing; a column not selected is an error, not a guess.
            #expect(try await Scope(reach: .nothing).members(on: app.db).field(\.$id).fieldRows().isEmpty)
            let first = try #require(rows.first)
            #expect(throws: (any Error).self) { try first("joined_on", as: String.self) }
            // A value that is not of the type asked for is an error too (a name is no tree path).
            #expect(throws: (any Error).self) { try first("name", as: TreePath.self) }
        }
    }
}
