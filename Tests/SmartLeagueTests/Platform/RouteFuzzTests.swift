import Fluent
import Foundation
import LeagueCore
import NIOCore
import Testing
import Vapor
import VaporTesting
@testable import SmartLeague

/// Every registered route, for every kind of person, with what a careless user or an attacker
/// sends: Unicode edge cases, huge and negative numbers, empty and missing fields, invalid UTF-8,
/// wrong content types, oversized bodies, forged tokens. The routes come from the route table and
/// the fields from the forms the pages offer (a crawl), not from a list kept by hand.
///
/// After each request: no 5xx, `/health` still answers, a refused request wrote nothing but its
/// bookkeeping, and a request that wrote anything wrote an audit entry. A trap anywhere stops
/// the test process itself. `SMARTLEAGUE_FUZZ_ROUNDS` (default 2) sets requests per route and
/// role, `SMARTLEAGUE_FUZZ_SEED` the seed; CI runs more rounds.
@Suite struct RouteFuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let rounds = environment["SMARTLEAGUE_FUZZ_ROUNDS"].flatMap { Int($0) } ?? 2
    static let seed = environment["SMARTLEAGUE_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20_261_202

    /// Writes that are records of their own, kept without an audit entry by design: an uploaded
    /// file waiting for the administrator's choice; a 青年大学习 completion with the counts its
    /// trigger keeps (the row is the record).
    static let unauditedByDesign: [Set<String>] = [["member_import_uploads"], ["study_completions", "member_stats"]]

    @Test(arguments: FuzzWorld.Role.allCases)
    func everyRouteHoldsForEveryRole(_ role: FuzzWorld.Role) async throws {
        try await TestApp.run(settings: { $0.trustProxy = true }) { app, _ in
            let world = try await FuzzWorld.build(app)
            let browser = try await world.browser(for: role)
            let crawl = try await Crawl.run(browser, from: role.startPages, limit: 120)
            let routes = app.routes.all.filter { route in
                // Signing out would end the crawl's session: it is tried once, at the end.
                !(route.method == .POST && route.path.map(\.description) == ["logout"])
            }
            var rng = SplitMix(seed: Self.seed &+ UInt64(FuzzWorld.Role.allCases.firstIndex(of: role) ?? 0) &* 7919)
            let tables = try await DatabaseFingerprint.tables(on: app.db)
            var before = try await DatabaseFingerprint.take(tables: tables, on: app.db)
            var problems: [String] = []
            var sent = 0, refused = 0, wrote = 0
            for route in routes {
                for _ in 0..<Self.rounds {
                    let request = FuzzRequest.make(route, crawl: crawl, session: browser, rng: &rng)
                    let response = try await request.send(to: app)
                    sent += 1
                    let after = try await DatabaseFingerprint.take(tables: tables, on: app.db)
                    let changed = DatabaseFingerprint.changed(before, after)
                    let business = changed.filter { !DatabaseFingerprint.bookkeeping.contains($0) && !DatabaseFingerprint.derived.contains($0) }
                    let where_ = "\(role) \(request.method) \(request.target) [\(request.contentType ?? "no type")] → \(response.status.code)"
                    if response.status.code >= 500 {
                        problems.append("\(where_): server error \(response.text.prefix(200)) body: \(request.bodyExcerpt)")
                    }
                    if !business.isEmpty { wrote += 1 }
                    if response.status.code >= 400 {
                        refused += 1
                        if !business.isEmpty { problems.append("\(where_): refused, yet wrote \(business)") }
                    } else if !business.isEmpty, !changed.contains("audit_entries"),
                              !Self.unauditedByDesign.contains(where: { Set(business).isSubset(of: $0) }) {
                        problems.append("\(where_): wrote \(business) without an audit entry")
                    }
                    let health = try await app.testing().performTest(request: TestingHTTPRequest(method: .GET, url: URI(string: "/health"),
                                                                                                  headers: [:], body: ByteBuffer()))
                    if health.status != .ok { problems.append("\(where_): /health answered \(health.status.code)") }
                    before = after
                    // A write may have ended the session (a changed password, a disabled account): sign in again.
                    if role.username != nil, request.method == .POST, try await browser.get("/").location?.hasPrefix("/login") == true {
                        try await world.signIn(browser, as: role)
                        before = try await DatabaseFingerprint.take(tables: tables, on: app.db)
                    }
                }
            }
            // Signing out, last, since it ends the session the other requests used.
            if let logout = app.routes.all.first(where: { $0.method == .POST && $0.path.map(\.description) == ["logout"] }) {
                let response = try await FuzzRequest.make(logout, crawl: crawl, session: browser, rng: &rng).send(to: app)
                sent += 1
                if response.status.code >= 500 { problems.append("\(role) POST /logout → \(response.status.code)") }
            }
            print("route fuzzer [\(role)]: \(routes.count) routes × \(Self.rounds) rounds = \(sent) requests, \(refused) refused, \(wrote) wrote, "
                  + "\(crawl.pages.count) pages crawled, \(crawl.forms.count) forms, seed \(Self.seed)")
            #expect(problems.isEmpty, Comment(rawValue: "\(problems.count) problems:\n" + problems.prefix(40).joined(separator: "\n")))
        }
    }
}

/// What a person reaches from their first pages by following links: the pages, and the forms on them.
struct Crawl {
    var pages: [String] = []
    var forms: [PageScraper.Form] = []
    /// Every site path seen in a link or a form, to fill route parameters with real ids.
    var paths: Set<String> = []

    static func run(_ browser: Browser, from start: [String], limit: Int) async throws -> Crawl {
        var crawl = Crawl()
        var queue = start, seen = Set(start)
        while !queue.isEmpty, crawl.pages.count < limit {
            let path = queue.removeFirst()
            let page = try await browser.get(path)
            guard page.status == .ok, page.headers.first(name: .contentType)?.hasPrefix("text/html") == true else { continue }
            crawl.pages.append(path)
            let forms = PageScraper.forms(in: page.body, page: path)
            crawl.forms += forms
            crawl.paths.formUnion(forms.map(\.action))
            for link in PageScraper.links(in: page.body) {
                crawl.paths.insert(link)
                let bare = link.split(separator: "#").first.map(String.init) ?? link
                guard !bare.hasPrefix("/static/"), !seen.contains(bare), seen.count < limit * 4 else { continue }
                seen.insert(bare)
                queue.append(bare)
            }
        }
        return crawl
    }

    /// Concrete paths (without query) that fit the route's pattern.
    func paths(matching route: Route) -> [String] {
        paths.map { $0.split(separator: "?").first.map(String.init) ?? $0 }.filter { FuzzRequest.matches($0, route.path) }
    }

    func forms(for route: Route) -> [PageScraper.Form] {
        forms.filter { $0.method == (route.method == .POST ? "post" : "get") && FuzzRequest.matches(
            $0.action.split(separator: "?").first.map(String.init) ?? $0.action, route.path) }
    }

    /// Query keys that links to this route carry.
    func queryKeys(for route: Route) -> Set<String> {
        Set(paths.compactMap { path -> [String]? in
            let parts = path.split(separator: "?", maxSplits: 1)
            guard parts.count == 2, FuzzRequest.matches(String(parts[0]), route.path) else { return nil }
            return parts[1].split(separator: "&").compactMap { $0.split(separator: "=").first.map(String.init) }
        }.joined())
    }
}

struct FuzzRequest {
    let method: HTTPMethod
    let target: String
    let headers: HTTPHeaders
    let body: Data
    let contentType: String?

    var bodyExcerpt: String { String(decoding: body.prefix(300), as: UTF8.self) }

    struct Answer {
        let status: HTTPResponseStatus
        let text: String
    }

    func send(to app: Application) async throws -> Answer {
        var buffer = ByteBuffer()
        buffer.writeBytes(body)
        let response = try await app.testing().performTest(request: TestingHTTPRequest(method: method, url: URI(string: target),
                                                                                       headers: headers, body: buffer))
        return Answer(status: response.status, text: response.body.getString(at: response.body.readerIndex, length: response.body.readableBytes) ?? "")
    }

    static func matches(_ path: String, _ pattern: [PathComponent]) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var index = 0
        for component in pattern {
            switch component {
            case .catchall: return true
            case .constant(let value): guard index < parts.count, parts[index] == value else { return false }
            case .parameter, .anything: guard index < parts.count else { return false }
            }
            index += 1
        }
        return index == parts.count
    }

    static let commonQueryKeys = ["page", "unit", "q", "year", "list", "post", "code", "number", "next", "status", "district",
                                  "category", "day", "open", "branch", "stage", "kind", "sort", "name"]

    static func make(_ route: Route, crawl: Crawl, session: Browser, rng: inout SplitMix) -> FuzzRequest {
        // The path: a real one from the crawl, or the pattern with hostile parameters.
        let known = crawl.paths(matching: route)
        var path: String
        if !known.isEmpty, rng.chance(0.6) {
            path = rng.pick(known)
        } else {
            let positions = route.path.enumerated().compactMap { index, component -> String? in
                let seen = known.compactMap { $0.split(separator: "/").map(String.init)[safe: index] }
                switch component {
                case .constant(let value): return value
                case .parameter, .anything: return HostileValues.parameter(&rng, known: seen)
                case .catchall: return HostileValues.parameter(&rng, known: [])
                }
            }
            path = "/" + positions.joined(separator: "/")
        }
        let forms = crawl.forms(for: route)
        let form = forms.isEmpty ? nil : rng.pick(forms)
        var fields: [(String, String)] = []
        for field in form?.fields ?? [] where !field.isFile && field.name != "csrf" {
            // Some fields are left out, the rest get the page's value or something hostile.
            if rng.chance(0.1) { continue }
            fields.append((field.name, rng.chance(0.35) ? field.value : HostileValues.value(&rng, for: field.name, default: field.value)))
        }
        if form == nil || rng.chance(0.2) {
            for key in Set(crawl.queryKeys(for: route)).union(commonQueryKeys.shuffled(using: &rng).prefix(3)) {
                fields.append((key, HostileValues.value(&rng, for: key, default: "1")))
            }
        }
        var headers = HTTPHeaders()
        let cookies = session.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        if !cookies.isEmpty, !rng.chance(0.05) { headers.add(name: .cookie, value: cookies) }
        // Requests come from many addresses, some of them nonsense, so throttles see the variety.
        headers.add(name: "X-Forwarded-For", value: rng.pick(["203.0.113.\(Int.random(in: 1...254, using: &rng))", "::1", "", "not-an-address",
                                                             String(repeating: "9", count: 300), "1.2.3.4, 5.6.7.8", "\u{0}"]))
        let csrf = rng.chance(0.9) ? session.csrf : rng.pick(["", "forged", session.csrf + "x"])
        if route.method != .POST {
            let query = encode(fields, rng: &rng)
            return FuzzRequest(method: route.method, target: path + (query.isEmpty ? "" : "?" + query), headers: headers, body: Data(),
                               contentType: nil)
        }
        let isUpload = (route.userInfo[AnySendableHashable(BodyLimits.key)] as? Int) != nil || form?.multipart == true
        var body: Data
        var type: String?
        switch Int.random(in: 0..<20, using: &rng) {
        case 0:
            type = "application/json"
            body = Data("{\"csrf\": \"\(csrf)\", \"name\": [1, {\"x\": null}], \"page\": 1e999}".utf8)
        case 1:
            type = nil
            body = Data(encode(fields + [("csrf", csrf)], rng: &rng).utf8)
        case 2:
            type = "text/plain; charset=gbk"
            body = Data([0xFF, 0xFE, 0x00, 0xC3, 0x28] + Array("csrf=\(csrf)".utf8))
        case 3:
            // Invalid UTF-8 behind valid percent escapes, and a stray percent.
            type = "application/x-www-form-urlencoded"
            body = Data(("csrf=\(csrf)&" + fields.map { "\($0.0)=%C3%28%FF%" }.joined(separator: "&")).utf8)
        case 4:
            // Far more than a form: every route but an upload refuses it before reading it all.
            type = "application/x-www-form-urlencoded"
            body = Data(("csrf=\(csrf)&text=" + String(repeating: "%E4%B8%AD", count: 40_000)).utf8)
        case 5...7 where isUpload:
            let boundary = "fuzz\(Int.random(in: 1000...9999, using: &rng))"
            type = rng.chance(0.9) ? "multipart/form-data; boundary=\(boundary)" : "multipart/form-data"
            var parts = fields + [("csrf", csrf)]
            if rng.chance(0.2) { parts.append(("csrf", "second")) }
            body = multipart(parts, boundary: boundary, rng: &rng)
        default:
            type = "application/x-www-form-urlencoded"
            body = Data(encode(fields + [("csrf", csrf)], rng: &rng).utf8)
        }
        if let type { headers.replaceOrAdd(name: .contentType, value: type) }
        return FuzzRequest(method: .POST, target: path, headers: headers, body: body, contentType: type)
    }

    /// Percent-encoded as browsers send forms, sometimes with a name twice.
    static func encode(_ fields: [(String, String)], rng: inout SplitMix) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        var pairs = fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "%FF")" }
        if let first = pairs.first, rng.chance(0.1) { pairs.append(first) }
        return pairs.joined(separator: "&")
    }

    static func multipart(_ fields: [(String, String)], boundary: String, rng: inout SplitMix) -> Data {
        var body = Data()
        for (name, value) in fields {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        let files: [(String, Data)] = [
            ("members.csv", Data("姓名,身份证号\n王,\(HostileValues.ids[1])\n\"unclosed".utf8)),
            ("a.pdf", Data("%PDF-1.4 tiny".utf8)),
            ("x.png", Data((0..<64).map { _ in UInt8.random(in: 0...255, using: &rng) })),
            ("../../etc/passwd", Data()),
            ("完成.json", Data("[{\"memberNumber\": 1, \"episode\": null}]".utf8)),
        ]
        let (fileName, content) = rng.pick(files)
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body += content
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        return body
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
