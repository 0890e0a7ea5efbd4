import Foundation
import LeagueCore
import NIOCore
import Vapor
@testable import SmartLeague

// Serves the pages of a unit with 3,000 children from a release build on a fresh SQLite file and
// times them against the bare health route, measured in the same run on the same server: the
// ratio is the figure to compare across machines, the milliseconds are this machine's.

func benchmark() async throws {
    let children = Int(ProcessInfo.processInfo.environment["BENCH_CHILDREN"] ?? "") ?? 3000
    let rounds = Int(ProcessInfo.processInfo.environment["BENCH_ROUNDS"] ?? "") ?? 200
    let port = 18000 + Int.random(in: 0..<2000)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smartleague-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }

    var env = Environment.production
    env.arguments = ["smartleague-bench"]
    let app = try await Application.make(env)
    app.logger.logLevel = .error
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/"
    try configure(app, settings: Settings(storage: .sqlite(path: directory.appendingPathComponent("bench.sqlite").path),
                                          bcryptCost: 4, resourcesDirectory: root))
    _ = try await Bootstrap.prepare(app)

    // The data: one working committee under 海曙区 holding `children` mobile-member branches.
    let change = ChangeContext(scope: .system, actor: .commandLine(), now: Date())
    guard let haishu = try await Scope.system.activeOrganization(codeOrName: "330203", on: app.db) else { fatalError("no 海曙区") }
    let setupStart = Date()
    let parent = try await app.writer.write(app.db) { db in
        let parent = try await OrganizationWrites.createChild(
            of: haishu.id!, .init(name: "海曙区流动团员团工委", shortName: "流动团工委", type: .workingCommittee), change, on: db)
        for n in 1...children {
            _ = try await OrganizationWrites.createChild(
                of: parent.id!, .init(name: "第\(n)流动团员团支部", shortName: "流动\(n)", type: .mobileBranch), change, on: db)
        }
        return parent
    }
    print("setup: \(children) child units in \(String(format: "%.1f", Date().timeIntervalSince(setupStart))) s")

    let hash = try await Passwords.hash("Bench12345", app: app)
    _ = try await app.writer.write(app.db) { db in
        let account = try await AccountWrites.create(.init(username: "bench", displayName: "bench", kind: .administrator, unitID: haishu.id!),
                                                     passwordHash: hash, change, on: db)
        account.mustChangePassword = false
        try await account.save(on: db)
    }

    app.http.client.configuration.redirectConfiguration = .disallow
    let server = app.server
    try await server.start(address: .hostname("127.0.0.1", port: port))
    let base = "http://127.0.0.1:\(port)"

    // Sign in as a browser would: fetch the form for its token, post it, keep the session cookie.
    let form = try await app.client.get(URI(string: base + "/login")).get()
    let formBody = form.body.map { String(buffer: $0) } ?? ""
    let loginToken = formBody.components(separatedBy: "name=\"csrf\" value=\"")[1].components(separatedBy: "\"")[0]
    let loginCookie = form.headers.setCookie?["sl_login_csrf"]?.string ?? ""
    let signIn = try await app.client.post(URI(string: base + "/login")) { request in
        request.headers.add(name: .cookie, value: "sl_login_csrf=\(loginCookie)")
        try request.content.encode(["username": "bench", "password": "Bench12345", "csrf": loginToken, "next": "/"], as: .urlEncodedForm)
    }.get()
    guard let session = signIn.headers.setCookie?["sl_session"]?.string else { fatalError("sign-in failed: \(signIn.status)") }
    var headers = HTTPHeaders()
    headers.add(name: .cookie, value: "sl_session=\(session)")

    struct Timing {
        let name: String
        let p50: Double
        let p95: Double
        let mean: Double
    }

    func measure(_ name: String, _ path: String, expect text: String?) async throws -> Timing {
        for _ in 0..<10 { _ = try await app.client.get(URI(string: base + path), headers: headers).get() }
        var samples: [Double] = []
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            let response = try await app.client.get(URI(string: base + path), headers: headers).get()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
            guard response.status == .ok else { fatalError("\(path) answered \(response.status)") }
            if let text, !(response.body.map { String(buffer: $0) } ?? "").contains(text) { fatalError("\(path) lacks \(text)") }
        }
        samples.sort()
        return Timing(name: name, p50: samples[samples.count / 2], p95: samples[Int(Double(samples.count) * 0.95)],
                      mean: samples.reduce(0, +) / Double(samples.count))
    }

    // Baseline and pages interleaved twice, so that a noisy neighbour affects both alike.
    var results: [Timing] = []
    for pass in 1...2 {
        let suffix = pass == 1 ? "" : " (again)"
        results.append(try await measure("health (baseline)" + suffix, "/health", expect: "ok"))
        results.append(try await measure("unit page, 3,000 children, page 1" + suffix, "/units/\(parent.id!)", expect: "第 1 / 60 页"))
        results.append(try await measure("unit page, last page" + suffix, "/units/\(parent.id!)?page=60", expect: "第 60 / 60 页"))
        results.append(try await measure("unit page, name search" + suffix, "/units/\(parent.id!)?q=2999", expect: "共 1 条"))
        results.append(try await measure("tree, the 3,000-child node open" + suffix, "/tree?open=\(parent.id!)", expect: "还有"))
    }

    print("")
    #if DEBUG
    let build = "DEBUG build (only `swift run -c release smartleague-bench` gives figures to quote)"
    #else
    let build = "release build"
    #endif
    print("\(build), SQLite, \(rounds) sequential requests each, one client on the same machine")
    print("name".padding(toLength: 42, withPad: " ", startingAt: 0) + "   p50 ms   p95 ms   p95 / health p95")
    for pass in 0..<2 {
        let baseline = results[pass * 5].p95
        for timing in results[(pass * 5)..<(pass * 5 + 5)] {
            print(timing.name.padding(toLength: 42, withPad: " ", startingAt: 0)
                  + String(format: " %8.2f %8.2f %12.1f×", timing.p50, timing.p95, timing.p95 / baseline))
        }
    }
    await server.shutdown()
    try await app.asyncShutdown()
}

try await benchmark()
