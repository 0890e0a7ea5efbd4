import Foundation
import LeagueCore
import Testing
@testable import SmartLeague

/// The registry pages built from rows, without HTTP or a database.
@Suite struct MemberPageTests {
    static func row(_ id: Int, born: String, post: Bool = false) -> MemberQueries.Row {
        MemberQueries.Row(id: id, name: "团员\(id)", gender: .female, ethnicity: "汉族", id_masked: "330203********1234", birth_date: born,
                          phone: "13805741234", education: .bachelor, occupation: .employed, party_status: .none, joined_on: "2010-05-04",
                          member_number: "NB\(id)", branch_name: "某支部", holds_league_post: post)
    }

    @Test func theListMasksPhonesFlagsOverageMembersAndExportsTheSameSearch() {
        let today = CalendarDate(year: 2026, month: 11, day: 1)!
        let page = MemberListPage([Self.row(1, born: "1990-01-01"), Self.row(2, born: "1990-01-01", post: true), Self.row(3, born: "2005-01-01")],
                                  pagination: Pagination(page: 1, pageSize: 50, total: 3), form: FormState(),
                                  search: ["q": "张", "unit": "330203"], overage: false, today: today)
        #expect(page.rows.map(\.overage) == [true, false, false])
        #expect(page.rows.first?.phone == "138****1234")
        #expect(page.exportURL == "/members/export?q=%E5%BC%A0&unit=330203")
        #expect(MemberListPage.csvLine(Self.row(3, born: "2005-01-01"), today: today).hasPrefix("团员3,女,21,汉族,330203********1234,138****1234"))
    }

    @Test func theFormPostsToRegisterOrToCorrectTheRecord() {
        #expect(MemberFormPage(memberID: nil, form: FormState()).action == "/members")
        #expect(MemberFormPage(memberID: 9, form: FormState()).action == "/members/9/edit")
        #expect(MemberFormPage.blank(branchCode: "330203001").values["branch"] == "330203001")
    }
}
