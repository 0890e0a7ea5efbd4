import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

@Suite struct LeavingTests {
    @Test func overageWithdrawalAndLapseTakeMembersOutOfEveryListAndCount() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let branch = try await Fixtures.child(app, of: haishu, "海曙区某团支部", .branch)
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
            func born(_ years: Int) -> String { CalendarDate(year: today.year - years, month: today.month, day: min(today.day, 28))!.description }
            let old = try await Fixtures.member(app, "满二十八", birth: born(28), sequence: 81, in: branch, joined: "2013-05-04")
            let young = try await Fixtures.member(app, "二十七岁", birth: born(27), sequence: 83, in: branch, joined: "2014-05-04")
            let cadre = try await Fixtures.member(app, "团干部", birth: born(29), sequence: 85, in: branch, joined: "2012-05-04", post: true)
            let quitting = try await Fixtures.member(app, "申请退团", sequence: 87, in: branch)
            let lapsed = try await Fixtures.member(app, "长期失联", sequence: 89, in: branch, joined: "2020-01-01")
            let account = try await Fixtures.account(app, "lapsed", kind: .member, unit: branch)
            let secretary = try await Fixtures.administrator(app, "branch", of: branch)

            // The age-28 list: 28 on the day goes, 27 and a league post stay.
            let list = try await secretary.get("/leaving")
            #expect(list.contains("满二十八"))
            #expect(!list.contains("二十七岁"))
            #expect(!list.contains("<td>团干部</td>"))
            #expect(try await secretary.post("/leaving/overage", ["member-\(young.id!)": "1", "day": today.description])
                .contains("二十七岁：未满 28 周岁"))
            #expect(try await secretary.post("/leaving/overage", ["member-\(cadre.id!)": "1", "day": today.description])
                .contains("担任团内职务"))
            #expect(try await secretary.post("/leaving/overage", ["member-\(young.id!)": "1", "day": "2060-01-01"])
                .contains("离团日期不能晚于今天"))
            try await secretary.post("/leaving/overage", ["member-\(old.id!)": "1", "day": today.description])
            #expect(try await Scope.unrestricted.formerMembers(on: app.db).filter(\.$id == old.id!).first()?.leftReason == "超龄离团")
            #expect(try await secretary.get("/members").contains("满二十八") == false)

            // Withdrawal on request, with the reason.
            #expect(try await secretary.post("/leaving/withdraw", ["memberNumber": "T87", "withdrawDay": today.description])
                .contains("请填写退团理由"))
            try await secretary.post("/leaving/withdraw", ["memberNumber": "T87", "withdrawDay": today.description, "reason": "本人申请"])
            #expect(try await Scope.unrestricted.members(on: app.db).filter(\.$id == quitting.id!).count() == 0)
            // A former member's ID number cannot be registered again as if new.
            try await secretary.get("/members/new?branch=\(branch.id!)")
            let again = try await secretary.post("/members", Fixtures.memberFields("申请退团", id: Fixtures.residentID(birth: "2000-01-01", sequence: 87),
                                                                                  number: "NEW87").merging(["branch": branch.code]) { $1 })
            #expect(again.contains("此人曾为团员，已于 \(today) 离团"))

            // Lapse: the branch decides, checked against dues and meetings; the level above approves.
            #expect(try await secretary.post("/leaving/lapse", ["lapseNumber": "T\(500 + "lapsed".unicodeScalars.reduce(0) { $0 + Int($1.value) } % 400)",
                                                                "lapseDay": today.description]).status == .seeOther)
            let request = try #require(try await LeavingRequest.query(on: app.db).first())
            #expect(try await secretary.post("/leaving/requests/\(request.id!)/approve").contains("自行脱团须由上级团组织审批"))
            let district = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await district.get("/leaving")
            #expect(try await district.post("/leaving/lapse", ["lapseNumber": "T89", "lapseDay": today.description])
                .contains("由团员所在团支部讨论决定"))
            try await district.post("/leaving/requests/\(request.id!)/approve")
            #expect(try await Scope.unrestricted.account(account.id, on: app.db).disabled)
            // A member with dues paid this year is not lapsed.
            try await secretary.get("/dues/branches/\(branch.id!)")
            try await secretary.post("/dues/branches/\(branch.id!)/profile", ["member": String(lapsed.id!), "category": "student"])
            try await secretary.post("/dues/branches/\(branch.id!)/payments", ["member": String(lapsed.id!), "month": DuesMonths.month(of: today), "kind": "paid"])
            try await secretary.get("/leaving")
            let kept = try await secretary.post("/leaving/lapse", ["lapseNumber": "T89", "lapseDay": today.description])
            #expect(kept.contains("长期失联不符合自行脱团条件"))
            #expect(try await district.get("/leaving").contains("已离团"))
            #expect(try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action == "member.leave").count() == 3)
            try await StatisticsTests.expectCountsMatchARecount(app)
        }
    }
}
