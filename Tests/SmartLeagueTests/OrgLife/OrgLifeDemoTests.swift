import Fluent
import Foundation
import LeagueCore
import SQLKit
import Testing
import Vapor
@testable import SmartLeague

/// The demo city's 三会一课, cadres and grading: every kind of meeting in both years, compliance
/// from exemplary to lagging, attendance of the branch's own members, a committee for every unit,
/// and grading sheets whose levels follow from their scores.
@Suite struct OrgLifeDemoTests {
    @Test func theDemoCityKeepsItsMeetingsCadresAndGrading() async throws {
        try await TestApp.run { app, _ in
            _ = try await DemoCity.build(app, members: 400, seed: 11)
            let db = app.db
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
            let branches = try await Scope.unrestricted.organizations(on: db)
                .filter(\.$type ~~ OrganizationType.allCases.filter(\.isBranch)).sort(\.$path).all()
            #expect(branches.allSatisfy { $0.establishedOn != nil })

            // Meetings of every kind, in both years, in most branches, none before its branch was founded.
            let meetings = try await Meeting.query(on: db).all()
            #expect(Set(meetings.map(\.kind)) == Set(MeetingKind.allCases))
            #expect(Set(meetings.compactMap { CalendarDate($0.heldOn)?.year }) == [today.year - 1, today.year])
            #expect(Set(meetings.map(\.branchID)).count * 10 >= branches.count * 8)
            let founded = Dictionary(uniqueKeysWithValues: branches.map { ($0.id!, $0.establishedOn ?? "") })
            #expect(meetings.allSatisfy { $0.heldOn >= founded[$0.branchID, default: ""] && $0.heldOn <= today.description })
            #expect(meetings.filter { $0.kind == .lesson }.allSatisfy { $0.teacher != nil && $0.classHours > 0 })

            // Attendance: the branch's own members (a few have transferred since), at most once a meeting.
            struct Present: Decodable { let meeting_id: Int; let member_id: Int; let same: Int }
            let present = try await db.sql.raw("""
                SELECT a.meeting_id, a.member_id, CASE WHEN m.branch_id = mt.branch_id THEN 1 ELSE 0 END AS same
                FROM meeting_attendance a JOIN meetings mt ON mt.id = a.meeting_id JOIN members m ON m.id = a.member_id
                """).all(decoding: Present.self)
            #expect(present.count > meetings.count)
            #expect(present.filter { $0.same == 1 }.count * 20 >= present.count * 19)
            #expect(Set(present.map { "\($0.meeting_id)/\($0.member_id)" }).count == present.count)

            // Compliance spreads from full to lagging.
            let compliance = try await branches.asyncMap { try await OrgLifeQueries.compliance(of: $0, year: today.year, today: today, on: db) }
            #expect(compliance.contains { $0?.percent == 100 })
            #expect(compliance.contains { $0?.isLagging == true })

            // Cadres: one serving secretary at most per unit, one in most branches, the city's and districts' too.
            let cadres = try await Cadre.query(on: db).all()
            let secretaries = cadres.filter { $0.post == .secretary && $0.leftOn == nil }
            #expect(Set(secretaries.map(\.unitID)).count == secretaries.count)
            #expect(secretaries.filter { founded[$0.unitID] != nil }.count * 10 >= branches.count * 8)
            #expect(Set(cadres.map(\.mode)) == Set(CadreMode.allCases))
            let root = try await Scope.unrestricted.organizations(on: db).filter(\.$parentID == nil).first()!
            #expect(secretaries.contains { $0.unitID == root.id })

            // Grading: last year's round done, levels that follow from the scores.
            let rounds = try await GradingRound.query(on: db).sort(\.$year).all()
            #expect(rounds.first?.year == today.year - 1)
            #expect(rounds.count == (today.month >= 11 ? 2 : 1))
            let sheets = try await GradingSheet.query(on: db).all()
            let reviewed = sheets.filter { $0.status == .reviewed }
            #expect(reviewed.count * 10 >= sheets.filter { $0.roundID == rounds.first?.id }.count * 9)
            for sheet in reviewed {
                let scores = GradingSheet.decode(sheet.reviewScores)
                #expect(scores.count == GradingItem.allCases.count && scores.values.allSatisfy { (0...GradingItem.points).contains($0) })
                #expect(sheet.score == scores.values.reduce(0, +))
                #expect(sheet.level == StarLevel(score: sheet.score ?? 0, vetoed: !sheet.vetoes.isEmpty))
                #expect(sheet.secretarySignature != nil && sheet.representativeSignature != nil)
            }
            #expect(Set(reviewed.compactMap(\.level)).count >= 3)
            if today.month >= 11 {
                #expect(Set(sheets.filter { $0.roundID == rounds.last?.id }.map(\.status)) == [.draft, .submitted, .reviewed])
            }

            // The pages: the city's overview and cadres, the branch's record and a meeting.
            let city = Browser(app)
            _ = try await city.signIn("demo.city", DemoCity.demoPassword)
            let overview = try await city.get("/orglife")
            #expect(overview.status == .ok && overview.contains("落实率"))
            #expect(overview.contains("class=\"warn\""))
            let cadresPage = try await city.get("/cadres")
            #expect(cadresPage.status == .ok && cadresPage.contains(secretaries.first { $0.unitID == root.id }!.name))
            let grading = try await city.get("/grading/\(rounds.first!.id!)")
            #expect(grading.status == .ok && grading.contains(StarLevel.fiveStar.label))

            let branchAdmin = Browser(app)
            _ = try await branchAdmin.signIn("demo.branch", DemoCity.demoPassword)
            let account = try #require(try await Account.query(on: db).filter(\.$username == "demo.branch").first())
            let demoBranch = try #require(branches.first { $0.id == account.organizationID })
            let record = try await branchAdmin.get("/orglife/branches/\(demoBranch.id!)")
            #expect(record.status == .ok)
            let latest = try #require(meetings.filter { $0.branchID == demoBranch.id }.max { $0.heldOn < $1.heldOn })
            #expect(record.contains(latest.topic))
            let meeting = try await branchAdmin.get("/orglife/meetings/\(latest.id!)")
            let attendee = try #require(present.first { $0.meeting_id == latest.id })
            let name = try #require(try await Member.find(attendee.member_id, on: db)).name
            #expect(meeting.status == .ok && meeting.contains(name))
        }
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
