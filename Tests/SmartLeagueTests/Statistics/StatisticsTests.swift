import Fluent
import Foundation
import LeagueCore
import SQLKit
import Testing
import Vapor
@testable import SmartLeague

@Suite struct StatisticsTests {
    /// The kept counts equal a recount from the member and completion rows, for every unit and dimension.
    static func expectCountsMatchARecount(_ app: Application, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let members = try await Scope.unrestricted.members(on: app.db).all()
        let units = try await Scope.unrestricted.organizations(on: app.db).all()
        let types = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0.type) })
        var expected = MemberStats.Delta()
        for member in members {
            expected.add(MemberStats.facts(of: member, branchType: types[member.branchID]!), at: member.branchPath, 1)
        }
        // 青年大学习 participation counts each completion where it was made.
        for completion in try await Scope.unrestricted.query(StudyCompletion.self, on: app.db).all() {
            expected.add([(.study, String(completion.episodeID))], at: completion.branchPath, 1)
        }
        let kept = try await MemberStats.counts(units: units.map { $0.id! }, scope: .unrestricted, on: app.db)
        var actual: [String: Int] = [:]
        for (unit, dimensions) in kept {
            for (dimension, values) in dimensions {
                for (value, count) in values { actual["\(unit) \(dimension.rawValue) \(value)"] = count }
            }
        }
        let recounted = Dictionary(uniqueKeysWithValues: expected.rows.map { ("\($0.unitID) \($0.key.joined(separator: " "))", $0.figures[0]) })
        #expect(actual == recounted, sourceLocation: sourceLocation)
    }

    @Test func countsFollowEveryWriteAndShowPerUnit() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let school = try await Fixtures.child(app, of: haishu, "宁波市第一中学团委", .committee)
            let a = try await Fixtures.child(app, of: school, "高三(1)班团支部", .branch)
            let b = try await Fixtures.child(app, of: school, "高三(2)班团支部", .branch)
            let mobile = try await Fixtures.child(app, of: haishu, "海曙区流动团员团支部", .mobileBranch)
            try await Fixtures.member(app, "张甲", birth: "2008-03-01", sequence: 11, in: a, joined: "2022-05-04")
            try await Fixtures.member(app, "张乙", birth: "2008-04-01", sequence: 12, in: a, joined: "2022-05-04")
            try await Fixtures.member(app, "张丙", birth: "1997-01-01", sequence: 13, in: b, joined: "2012-05-04")
            try await Fixtures.member(app, "张丁", birth: "2001-01-01", sequence: 15, in: mobile)
            try await Self.expectCountsMatchARecount(app)

            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            let page = try await admin.get("/statistics")
            #expect(page.contains("<strong id=\"member-total\">4</strong>"))
            #expect(page.contains("宁波市第一中学团委</a></td><td>3</td><td>2</td><td>1</td>"))
            #expect(page.contains("<svg"))
            let csv = try await admin.get("/statistics/export?unit=\(haishu.id!)")
            #expect(csv.body.hasPrefix("\u{FEFF}组织,团员总数,男,女"))
            #expect(csv.contains("宁波市第一中学团委,3,2,1"))
            #expect(csv.contains("合计：共青团宁波市海曙区委员会,4,"))
            // Outside units have no statistics for this admin.
            #expect(try await admin.get("/statistics?unit=\(jiangbei.id!)").status == .notFound)

            try await admin.post("/units/\(a.id!)/merge", ["target": b.code])
            try await Self.expectCountsMatchARecount(app)
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            try await city.moveApproved(school, to: jiangbei)
            try await Self.expectCountsMatchARecount(app)
            #expect(try await admin.get("/statistics").contains("<strong id=\"member-total\">1</strong>"))
            let cityPage = try await city.get("/statistics?unit=\(jiangbei.id!)")
            #expect(cityPage.contains("<strong id=\"member-total\">3</strong>"))
        }
    }
}
