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

    @Test func fiveFailuresFromOneAddressStopThatAddressForFifteenMinutesOnly() async throws {
        try await TestApp.run(settings: { $0.trustProxy = true }) { app, first in
            let guesser = Browser(app, from: "203.0.113.9")
            for attempt in 1...5 {
                #expect(try await guesser.signIn(first.username, "wrong\(attempt)xx").contains("用户名或密码错误"))
            }
            // Even the right password is refused from there while the window lasts.
            let refused = try await guesser.signIn(first.username, first.password)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.contains("登录尝试过于频繁"))
            // The cadre at their own desk is not locked out by the stranger.
            #expect(try await Browser(app, from: "198.51.100.20").signIn(first.username, first.password).location == "/account/password")
            app.clock.advance(by: 14 * 60)
            #expect(try await guesser.signIn(first.username, first.password).contains("登录尝试过于频繁"))
            app.clock.advance(by: 61)
            #expect(try await guesser.signIn(first.username, first.password).location == "/account/password")
            let actions = try await Scope.unrestricted.auditEntries(on: app.db).all().map(\.action)
            #expect(actions.filter { $0 == "account.sign_in_failed" }.count == 5)
            #expect(actions.filter { $0 == "account.sign_in_throttled" }.count == 2)
            #expect(actions.filter { $0 == "account.sign_in" }.count == 2)
        }
    }

    /// A burst of guesses gets at most five password checks, and a right password inside the
    /// burst does not sign in once the five are used.
    @Test func aBurstOfGuessesGetsFiveChecksAtMost() async throws {
        try await TestApp.run(settings: { $0.trustProxy = true }) { app, first in
            let browsers = (0..<30).map { _ in Browser(app, from: "203.0.113.7") }
            for browser in browsers { try await browser.get("/login") }
            let statuses = try await withThrowingTaskGroup(of: String.self) { group in
                for (index, browser) in browsers.enumerated() {
                    group.addTask { try await browser.post("/login", ["username": first.username, "password": "wrong\(index)xx", "next": "/"]).body }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0.contains("用户名或密码错误") }.count == 5)
            #expect(statuses.filter { $0.contains("登录尝试过于频繁") }.count == 25)
            #expect(try await Browser(app, from: "203.0.113.7").signIn(first.username, first.password).contains("登录尝试过于频繁"))
            let failed = try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action == "account.sign_in_failed").count()
            #expect(failed == 5)
        }
    }

    /// A name that does not exist is counted and refused exactly as one that does, so neither the
    /// message nor the limit tells names apart.
    @Test func unknownNamesAreThrottledAndAnsweredAsKnownOnes() async throws {
        try await TestApp.run(settings: { $0.trustProxy = true }) { app, first in
            func attempts(_ name: String, from address: String) async throws -> [String] {
                let browser = Browser(app, from: address)
                var bodies: [String] = []
                for attempt in 1...6 { bodies.append(Self.message(try await browser.signIn(name, "wrong\(attempt)xx").body)) }
                return bodies
            }
            let known = try await attempts(first.username, from: "203.0.113.1")
            let unknown = try await attempts("nobody", from: "203.0.113.2")
            #expect(known == unknown)
            #expect(known.last?.contains("登录尝试过于频繁") == true)
        }
    }

    /// Guessing many names from one address is stopped for every name.
    @Test func oneAddressGuessingManyNamesIsStopped() async throws {
        try await TestApp.run(settings: { $0.trustProxy = true }) { app, first in
            let browser = Browser(app, from: "203.0.113.50")
            for index in 0..<30 { _ = try await browser.signIn("name\(index)", "wrongpass1") }
            #expect(try await browser.signIn(first.username, first.password).contains("登录尝试过于频繁"))
            #expect(try await Browser(app, from: "203.0.113.51").signIn(first.username, first.password).location == "/account/password")
        }
    }

    static func message(_ body: String) -> String {
        guard let start = body.range(of: "role=\"alert\"") else { return "" }
        let rest = body[start.upperBound...]
        return String(rest.prefix { $0 != "<" }.prefix(200))
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
            let before = try await Scope.unrestricted.organizations(on: app.db).count()
            let forged = try await browser.post("/units/\(haishu.id!)/children", ["csrf": "forged", "name": "某某团支部", "shortName": "某某", "type": "branch"])
            #expect(forged.status == .forbidden)
            #expect(forged.contains("页面已过期"))
            #expect(try await Scope.unrestricted.organizations(on: app.db).count() == before)
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
            #expect(css.headers.contentType == .css)
            let onDisk = try String(contentsOfFile: app.directory.publicDirectory + "css/app.css", encoding: .utf8)
            #expect(css.body == onDisk)
            // A browser that has the file asks whether it changed and gets no body back.
            let etag = try #require(css.headers.first(name: .eTag))
            browser.extraHeaders = [("If-None-Match", etag)]
            let again = try await browser.get("/static/css/app.css")
            browser.extraHeaders = []
            #expect(again.status == .notModified && again.body.isEmpty)
            #expect(try await browser.get("/static/css/none.css").status == .notFound)
            let escape = try await browser.get("/static/../Package.swift")
            #expect(escape.status == .forbidden || escape.status == .notFound)
            #expect(!escape.contains("swift-tools-version"))
        }
    }
}
