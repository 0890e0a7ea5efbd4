import Foundation
import LeagueCore
import Testing
@testable import SmartLeague

/// The platform's own pages built from rows, without HTTP or a database.
@Suite struct PlatformPageTests {
    @Test func theLogNamesEachActionInChinese() {
        let entry = AuditQueries.Entry(at: Date(timeIntervalSince1970: 0), actorName: "管理员", ip: "127.0.0.1", unitName: "某支部",
                                       action: "member.export", summary: "导出", changes: [FieldChange(field: "状态", old: "", new: "正常")])
        let page = AuditPage([entry], pagination: Pagination(page: 1, pageSize: 50, total: 1), form: FormState())
        #expect(page.entries.first?.action == "导出团员名单")
        #expect(page.entries.first?.at == "1970-01-01 08:00")
        #expect(page.entries.first?.changes.first?.new == "正常")
    }
}
