import Foundation
import NIOCore
import SmartLeague
import Vapor

// Serves the pages of a unit with 3,000 children from a fresh SQLite file and times them against
// the bare health route, measured in the same run on the same server: the ratio is the figure to
// compare across machines, the milliseconds are this machine's. The data is made through the
// application's own forms, as an administrator would make it.

func benchmark() async throws {
    let environment = ProcessInfo.processInfo.environment
    let children = Int(environment["BENCH_CHILDREN"] ?? "") ?? 3000
    let rounds = Int(environment["BENCH_ROUNDS"] ?? "") ?? 200
    let port = 18000 + Int.random(in: 0..<2000)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smartleague-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }

    var env = Environment.production
    env.arguments = ["smartleague-bench"]
    let app = try await Application.make(env)
    app.logger.logLevel = .error
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/"
    try configure(app, settings: Settings(storage: .sqlite(path: directory.appendingPathComponent("bench.sqlite").path),
                                          bcryptCost: 4, resourcesDirectory: root))
    guard let admin = try await Bootstrap.prepare(app) else { fatalError("the city was not founded") }
    app.http.client.configuration.redirectConfiguration = .disallow
    let server = app.server
    try await server.start(address: .hostname("127.0.0.1", port: port))
    let base = "http://127.0.0.1:\(port)"
    var cookies = HTTPHeaders()

    func text(_ response: ClientResponse) -> String { response.body.map { String(buffer: $0) } ?? "" }
    func between(_ text: String, _ start: String, _ end: String) -> String? {
        guard let range = text.range(of: start) else { return nil }
        return text[range.upperBound...].components(separatedBy: end).first
    }
    func get(_ path: String) async throws -> ClientResponse {
        try await app.client.get(URI(string: base + path), headers: cookies).get()
    }
    func post(_ path: String, _ form: [String: String], extraCookie: String? = nil) async throws -> ClientResponse {
        var headers = cookies
        if let extraCookie { headers.replaceOrAdd(name: .cookie, value: extraCookie) }
        return try await app.client.post(URI(string: base + path), headers: headers) { request in
            try request.content.encode(form, as: .urlEncodedForm)
        }.get()
    }

    // Sign in as a browser would and replace the one-time password.
    let form = try await get("/login")
    let loginToken = between(text(form), "name=\"csrf\" value=\"", "\"") ?? ""
    let loginCookie = form.headers.setCookie?["sl_login_csrf"]?.string ?? ""
    let signIn = try await post("/login", ["username": admin.username, "password": admin.password, "csrf": loginToken, "next": "/"],
                                extraCookie: "sl_login_csrf=\(loginCookie)")
    guard let session = signIn.headers.setCookie?["sl_session"]?.string else { fatalError("sign-in failed: \(signIn.status)") }
    cookies.add(name: .cookie, value: "sl_session=\(session)")
    let csrf = between(text(try await get("/account/password")), "name=\"csrf\" value=\"", "\"") ?? ""
    _ = try await post("/account/password", ["csrf": csrf, "current": admin.password, "new": "Bench12345", "confirm": "Bench12345"])

    // 海曙区 → one working committee → `children` mobile-member branches.
    let rootPage = text(try await get("/units/1"))
    guard let haishu = between(rootPage, "<td><a href=\"/units/", "\">共青团宁波市海曙区委员会") else { fatalError("no 海曙区") }
    func create(under parent: String, _ name: String, _ type: String) async throws -> String {
        let response = try await post("/units/\(parent)/children", ["csrf": csrf, "name": name, "shortName": String(name.prefix(20)), "type": type])
        guard response.status == .seeOther, let location = response.headers.first(name: .location) else {
            fatalError("creating \(name) answered \(response.status)")
        }
        return String(location.dropFirst("/units/".count))
    }
    let setupStart = Date()
    let parent = try await create(under: haishu, "海曙区流动团员团工委", "workingCommittee")
    for n in 1...children { _ = try await create(under: parent, "第\(n)流动团员团支部", "mobileBranch") }
    let setup = Date().timeIntervalSince(setupStart)
    print("setup: \(children) units created through the form in \(String(format: "%.1f", setup)) s"
          + " (\(String(format: "%.1f", setup / Double(children) * 1000)) ms each)")

    struct Timing {
        let name: String
        let p50: Double
        let p95: Double
    }

    func measure(_ name: String, _ path: String, expect expected: String) async throws -> Timing {
        for _ in 0..<10 { _ = try await get(path) }
        var samples: [Double] = []
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            let response = try await get(path)
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
            guard response.status == .ok, text(response).contains(expected) else {
                fatalError("\(path) answered \(response.status) without \(expected)")
            }
        }
        samples.sort()
        return Timing(name: name, p50: samples[samples.count / 2], p95: samples[Int(Double(samples.count) * 0.95)])
    }

    // Baseline and pages interleaved twice, so that a noisy neighbour affects both alike.
    let pages = 5
    var results: [Timing] = []
    for pass in 1...2 {
        let suffix = pass == 1 ? "" : " (again)"
        results.append(try await measure("health (baseline)" + suffix, "/health", expect: "ok"))
        results.append(try await measure("unit page, \(children) children, page 1" + suffix, "/units/\(parent)", expect: "第 1 / "))
        let last = (children + 49) / 50
        results.append(try await measure("unit page, last page" + suffix, "/units/\(parent)?page=\(last)", expect: "第 \(last) / \(last) 页"))
        results.append(try await measure("unit page, name search" + suffix, "/units/\(parent)?q=\(children - 1)", expect: "共 1 条"))
        results.append(try await measure("tree, the big node open" + suffix, "/tree?open=1,\(haishu),\(parent)", expect: "还有"))
    }

    #if DEBUG
    let build = "DEBUG build (only `swift run -c release smartleague-bench` gives figures to quote)"
    #else
    let build = "release build"
    #endif
    print("")
    print("\(build), SQLite, \(rounds) sequential requests each, one client on the same machine")
    print("name".padding(toLength: 42, withPad: " ", startingAt: 0) + "   p50 ms   p95 ms   p95 / health p95")
    for pass in 0..<2 {
        let baseline = results[pass * pages].p95
        for timing in results[(pass * pages)..<(pass * pages + pages)] {
            print(timing.name.padding(toLength: 42, withPad: " ", startingAt: 0)
                  + String(format: " %8.2f %8.2f %12.1f×", timing.p50, timing.p95, timing.p95 / baseline))
        }
    }
    await server.shutdown()
    try await app.asyncShutdown()
}

try await benchmark()
