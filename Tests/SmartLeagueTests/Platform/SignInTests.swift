import Fluent
import Foundation
import Testing
import Vapor
@testable import SmartLeague

@Suite struct SignInTests {
    @Test func firstSignInForcesANewPassword() async throws {
        try await TestApp.run { app, first in
            let browser = Browser(app)
            let response = try await browser.signIn(first.username, first.password)
            #expect(response.status == .seeOther)
            #expect(response.location == "/account/password")
            // Every page leads back to the password form until it is changed.
            #expect(try await browser.get("/tree").location == "/account/password")
            try await browser.get("/account/password")
            let weak = try await browser.post("/account/password", ["current": first.password, "new": "short1", "confirm": "short1"])
            #expect(weak.status == .unprocessableEntity)
            #expect(weak.contains("密码至少 8 位"))
            let mismatch = try await browser.post("/account/password", ["current": first.password, "new": "Goodpass1", "confirm": "Goodpass2"])
            #expect(mismatch.contains("两次输入的新密码不一致"))
            let wrongCurrent = try await browser.post("/account/password", ["current": "nope", "new": "Goodpass1", "confirm": "Goodpass1"])
            #expect(wrongCurrent.contains("当前密码不正确"))
            let ok = try await browser.post("/account/password", ["current": first.password, "new": "Goodpass1", "confirm": "Goodpass1"])
            #expect(ok.location == "/")
            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.contains("密码已修改"))
            #expect(home.contains("共青团宁波市委员会"))
            // The old one-time password no longer works.
            let again = Browser(app)
            #expect(try await again.signIn(first.username, first.password).status == .unprocessableEntity)
            #expect(try await again.signIn(first.username, "Goodpass1").location == "/")
        }
    }

    @Test func fiveFailuresLockTheAccountForFifteenMinutes() async throws {
        try await TestApp.run { app, first in
            let browser = Browser(app)
            for attempt in 1...4 {
                let response = try await browser.signIn(first.username, "wrong\(attempt)xx")
                #expect(response.contains("用户名或密码错误"))
            }
            let fifth = try await browser.signIn(first.username, "wrong5xx")
            #expect(fifth.contains("账户已锁定 15 分钟"))
            // Even the right password is refused while locked.
            let locked = try await browser.signIn(first.username, first.password)
            #expect(locked.status == .unprocessableEntity)
            #expect(locked.contains("已被锁定"))
            app.clock.advance(by: 14 * 60)
            #expect(try await browser.signIn(first.username, first.password).contains("已被锁定"))
            app.clock.advance(by: 61)
            #expect(try await browser.signIn(first.username, first.password).location == "/account/password")
            let actions = try await Scope.system.auditEntries(on: app.db).all().map(\.action)
            #expect(actions.filter { $0 == "account.sign_in_failed" }.count == 4)
            #expect(actions.contains("account.locked"))
            #expect(actions.contains("account.sign_in"))
        }
    }

    @Test func unknownUsersGetTheSameMessage() async throws {
        try await TestApp.run { app, _ in
            let response = try await Browser(app).signIn("nobody", "whatever1")
            #expect(response.status == .unprocessableEntity)
            #expect(response.contains("用户名或密码错误"))
        }
    }

    @Test func idleSessionsExpireAndArePurged() async throws {
        try await TestApp.run { app, first in
            let browser = Browser(app)
            try await browser.signInFirstTime(first.username, first.password)
            app.clock.advance(by: 20 * 60)
            #expect(try await browser.get("/").status == .ok)
            app.clock.advance(by: 20 * 60)
            // Still alive: the last visit was twenty minutes ago.
            #expect(try await browser.get("/").status == .ok)
            app.clock.advance(by: 31 * 60)
            let expired = try await browser.get("/tree")
            #expect(expired.status == .seeOther)
            #expect(expired.location?.hasPrefix("/login") == true)

            let other = Browser(app)
            try await other.signIn(first.username, "Newpass123")
            app.clock.advance(by: 31 * 60)
            let removed = try await SessionStore.purgeExpired(now: app.clock.now(), idleMinutes: 30, on: app.db)
            #expect(removed == 1)
            #expect(try await BrowserSession.query(on: app.db).count() == 0)
        }
    }

    @Test func signOutEndsTheSession() async throws {
        try await TestApp.run { app, first in
            let browser = Browser(app)
            try await browser.signInFirstTime(first.username, first.password)
            try await browser.get("/")
            let out = try await browser.post("/logout")
            #expect(out.location == "/login")
            #expect(try await browser.get("/").location?.hasPrefix("/login") == true)
            #expect(try await BrowserSession.query(on: app.db).count() == 0)
        }
    }

    @Test func formsWithoutTheTokenAreRefused() async throws {
        try await TestApp.run { app, first in
            let browser = Browser(app)
            // The sign-in form itself needs its token.
            let noToken = try await browser.post("/login", ["username": first.username, "password": first.password, "csrf": "forged"])
            #expect(noToken.status == .forbidden)
            try await browser.signInFirstTime(first.username, first.password)
            try await browser.get("/")
            let haishu = try await Fixtures.unit(app, code: "330203")
            let before = try await Scope.system.organizations(on: app.db).count()
            let forged = try await browser.post("/units/\(haishu.id!)/children", ["csrf": "forged", "name": "某某团支部", "shortName": "某某", "type": "branch"])
            #expect(forged.status == .forbidden)
            #expect(forged.contains("页面已过期"))
            #expect(try await Scope.system.organizations(on: app.db).count() == before)
        }
    }

    @Test func securityHeadersAndTheBareHealthRoute() async throws {
        try await TestApp.run { app, _ in
            let browser = Browser(app)
            let login = try await browser.get("/login")
            #expect(login.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            #expect(login.headers.first(name: "X-Frame-Options") == "DENY")
            #expect(login.headers.first(name: .cacheControl) == "no-store")
            let health = try await browser.get("/health")
            #expect(health.status == .ok)
            #expect(health.body == "ok")
            #expect(health.headers[.setCookie].isEmpty)
            let css = try await browser.get("/static/css/app.css")
            #expect(css.status == .ok)
            let escape = try await browser.get("/static/../Package.swift")
            #expect(escape.status == .forbidden || escape.status == .notFound)
            #expect(!escape.contains("swift-tools-version"))
        }
    }
}
