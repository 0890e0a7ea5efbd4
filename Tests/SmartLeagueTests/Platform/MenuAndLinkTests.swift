import Foundation
import Testing
import Vapor
@testable import SmartLeague

/// The menu comes from the parts, and every link on a page names a registered route.
@Suite struct MenuAndLinkTests {
    @Test func eachAudienceSeesItsMenuInTheOrderCadresKnow() async throws {
        try await TestApp.run { app, _ in
            let menu = PartRegistry.menu
            #expect(menu.links(for: .administrators).map(\.label) == [
                "工作台", "组织树", "团员", "团员发展", "团费", "转接", "离团", "评议注册", "工作要点", "任务", "青创农场", "见习", "考核",
                "青年大学习", "三会一课", "团干部", "对标定级", "志愿服务", "青年之声", "审批", "账号", "日志", "修改密码",
            ])
            #expect(menu.links(for: .members).map(\.label) == ["工作台", "青年大学习", "组织关系转接", "志愿服务", "我的提问", "修改密码"])
            #expect(menu.links(for: .volunteers).map(\.label) == ["工作台", "我的志愿服务", "志愿岗位", "青年之声", "我的提问", "修改密码"])
            #expect(menu.links(for: .account(.youth)).map(\.label) == ["工作台", "青年之声", "我要提问", "我的提问", "修改密码"])
            #expect(menu.links(for: .visitors).map(\.label) == ["志愿岗位", "志愿者注册", "证明查验", "项目库", "青年之声", "我要提问"])

            // Every link opens a page that is registered for GET.
            let pages = Set(app.routes.all.filter { $0.method == .GET }.map { "/" + $0.path.map(\.description).joined(separator: "/") })
            for audience: MenuEntry.Audience in [.administrators, .members, .volunteers, .account(.youth), .visitors] {
                for link in menu.links(for: audience) {
                    #expect(pages.contains(link.url), "\(link.label) → \(link.url) is not a page")
                }
            }
        }
    }

    @Test func signedInPagesShowTheMenuOfTheAccountAndAForcedPasswordShowsNone() async throws {
        try await TestApp.run { app, first in
            let browser = Browser(app)
            try await browser.signIn(first.username, first.password)
            // The first administrator must replace the one-time password before anything else.
            let forced = try await browser.get("/account/password")
            #expect(forced.contains("请先设置新密码") && !forced.contains(">组织树</a>"))
            let changed = try await browser.post("/account/password", ["current": first.password, "new": "Newpass123", "confirm": "Newpass123"])
            #expect(changed.status == .seeOther)
            let home = try await browser.get("/")
            #expect(home.contains(">组织树</a>") && home.contains(">日志</a>") && home.contains("id=\"logout\""))
            let visitor = try await Browser(app).get("/volunteer/posts")
            #expect(visitor.contains(">证明查验</a>") && !visitor.contains(">组织树</a>") && visitor.contains(">登录</a>"))
        }
    }

    /// Templates link through `#url`, so that a path is written once, in its route; only the
    /// static files are named by their path. Every name a template uses is a registered route.
    @Test func templatesNameRoutesAndEveryNameIsRegistered() async throws {
        try await TestApp.run { app, _ in
            let files = TestApp.templateFiles(app)
            #expect(files.count > 50)
            let literal = try Regex(#"(href|action|src)="/(?!static/)"#)
            let named = try Regex(#"#url\("([A-Za-z.]+)""#)
            let known = SiteRoutes.names
            for file in files {
                let text = try String(contentsOf: file, encoding: .utf8)
                for line in text.split(separator: "\n") where line.contains(literal) {
                    Issue.record("\(file.lastPathComponent) writes a path: \(line.trimmingCharacters(in: .whitespaces))")
                }
                for match in text.matches(of: named) {
                    let name = String(text[match.output[1].range!])
                    #expect(known.contains(name), "\(file.lastPathComponent) names \(name), which no route registers")
                }
            }
        }
    }

    /// Swift names pages through their route too: no source file writes a path of the site.
    @Test func swiftWritesNoPathOfTheSite() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/SmartLeague")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 100)
        // Static files, the JSON error prefix, a path no unit has, and a file beside the database.
        let allowed = ["\"/static", "\"/api/", "\"/none/", "\"/secret.key"]
        let path = try Regex(#""/[a-z]"#)
        for file in files {
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
            where line.contains(path) && !line.trimmingCharacters(in: .whitespaces).hasPrefix("//")
                && !allowed.contains(where: { line.contains($0) }) {
                Issue.record("\(file.lastPathComponent) writes a path: \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
    }
}
