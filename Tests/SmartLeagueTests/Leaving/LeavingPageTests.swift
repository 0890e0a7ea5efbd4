import Foundation
import LeagueCore
import Testing
@testable import SmartLeague

/// The leaving page built from rows, and its forms read, without HTTP or a database.
@Suite struct LeavingPageTests {
    @Test func aPendingLapseDecisionLinksItsTwoAnswers() {
        let request = LeavingQueries.ListedRequest(id: 3, memberName: "长期失联", decidedOn: "2026-10-01", status: .pending)
        let page = LeavingPage(LeavingQueries.List(overage: [], requests: [request], former: []), unitName: "某团支部",
                               today: CalendarDate(year: 2026, month: 11, day: 1)!, form: FormState())
        #expect(page.requests.first?.approveURL == "/leaving/requests/3/approve")
        #expect(page.requests.first?.refuseURL == "/leaving/requests/3/refuse")
        #expect(page.requests.first?.pending == true && !page.hasOverage && page.today == "2026-11-01")
    }

    @Test func theOverageFormReadsItsTickedMembers() throws {
        let today = CalendarDate(year: 2026, month: 11, day: 1)!
        var state = FormState()
        let input = try #require(try FormFields.decode(OverageForm.self, from: ["member-4": "1", "member-17": "1", "day": "2026-11-01"])
            .validate(&state, today: today))
        #expect(input.memberIDs.sorted() == [4, 17] && input.day == today)
        var none = FormState()
        #expect(try FormFields.decode(OverageForm.self, from: ["day": "2026-11-01"]).validate(&none, today: today) == nil)
        #expect(none.errors["_form"] == "请勾选办理超龄离团的团员")
    }
}
