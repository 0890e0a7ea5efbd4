import Foundation
import Testing
import Vapor
@testable import SmartLeague

/// A template error shows only at run time, so every page is rendered once here.
@Suite struct PageRenderTests {
    @Test func everyPageRendersInChinese() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let branch = try await Fixtures.child(app, of: haishu, "海曙区青年团支部", .branch)
            let browser = Browser(app)
            try await browser.signInFirstTime(first.username, first.password)
            let pages: [(String, String)] = [
                ("/", "工作台"), ("/tree", "组织树"), ("/tree?open=", "组织树"), ("/units/\(haishu.id!)", haishu.name),
                ("/units/\(branch.id!)", "海曙区青年团支部"),
                ("/units/\(haishu.id!)/children/new", "设立下级组织"), ("/units/\(haishu.id!)/edit", "完善组织信息"),
                ("/units/\(branch.id!)/edit", "毕业日期"), ("/units/\(haishu.id!)/rename", "组织更名"),
                ("/units/\(haishu.id!)/move", "变更上级组织"), ("/units/\(branch.id!)/dissolve", "撤销组织"),
                ("/units/\(branch.id!)/merge", "合并团支部"), ("/requests", "待审批的组织变更"),
                ("/accounts", "账号管理"), ("/accounts/new?unit=\(branch.id!)", "创建账号"), ("/audit", "操作日志"),
                ("/account/password", "修改密码"), ("/units/424242", "未找到"),
            ]
            for (path, text) in pages {
                let page = try await browser.get(path)
                #expect(page.status == (path == "/units/424242" ? .notFound : .ok), "\(path)")
                #expect(page.contains(text), "\(path) lacks \(text)")
                #expect(page.contains("<html lang=\"zh-CN\">"), "\(path)")
                for leftover in ["#(", "#if", "#for", "#end", "#extend"] {
                    #expect(!page.contains(leftover), "\(path) shows raw template code \(leftover)")
                }
            }
            let login = try await Browser(app).get("/login")
            #expect(login.contains("登录"))
        }
    }
}
