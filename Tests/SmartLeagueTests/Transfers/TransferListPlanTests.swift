import Fluent
import SQLKit
import Testing
@testable import SmartLeague

/// How SQLite reads the transfer list's default page (newest change first).
@Suite struct TransferListPlanTests {
    struct Step: Decodable { let detail: String }

    static func plan(_ scope: Scope, on db: any Database) async throws -> [String] {
        let read = TransferQueries.inListOrder(scope: scope, on: db).range(0..<50).field(\.$id).statement
        return try await db.sql.raw("EXPLAIN QUERY PLAN \(read)").all(decoding: Step.self).map(\.detail)
    }

    /// At the city root every transfer is in reach: the page is read in the index's order, not
    /// by sorting the whole table for fifty rows. Below it the paths choose the rows.
    @Test func theCityPageWalksTheChangeIndexAndABranchItsPaths() async throws {
        try await TestApp.run { app, _ in
            guard !app.db.isPostgres else { return }
            let district = try await Fixtures.unit(app, code: "330203")
            let root = try #require(try await Scope.unrestricted.organizations(on: app.db).filter(\.$parentID == nil).first())
            let branch = try await Fixtures.child(app, of: district, "某团支部", .branch)

            let city = try await Self.plan(Scope(reach: .subtree(root.path)), on: app.db)
            #expect(city.contains { $0.contains("transfers_changed") }, "\(city)")
            #expect(!city.contains { $0.contains("TEMP B-TREE") }, "\(city)")

            let own = try await Self.plan(Scope(reach: .subtree(branch.path)), on: app.db)
            #expect(own.contains { $0.contains("transfers_from") } && own.contains { $0.contains("transfers_to") }, "\(own)")
        }
    }
}
