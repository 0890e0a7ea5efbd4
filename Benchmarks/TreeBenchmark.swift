import Foundation
import SmartLeague
import Vapor

// The pages of a unit with 3,000 children on a fresh SQLite file, against the bare health route
// measured in the same run on the same server. The data is made through the application's own
// forms, as an administrator would make it.
func treeBenchmark() async throws {
    let environment = ProcessInfo.processInfo.environment
    let children = Int(environment["BENCH_CHILDREN"] ?? "") ?? 3000
    let rounds = Int(environment["BENCH_ROUNDS"] ?? "") ?? 200
    let directory = try benchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let app = try await makeBenchApp(in: directory)
    guard let admin = try await Bootstrap.prepare(app) else { fatalError("the city was not founded") }
    let port = 18000 + Int.random(in: 0..<2000)
    let server = app.server
    try await server.start(address: .hostname("127.0.0.1", port: port))
    let client = BenchClient(app: app, port: port)
    try await client.signIn(admin.username, admin.password)
    let csrf = try await client.csrf()
    _ = try await client.post("/account/password", ["csrf": csrf, "current": admin.password, "new": "Bench12345", "confirm": "Bench12345"])

    // 海曙区 → one working committee → `children` mobile-member branches.
    let rootPage = BenchClient.text(try await client.get("/units/1"))
    guard let haishu = BenchClient.between(rootPage, "<td><a href=\"/units/", "\">共青团宁波市海曙区委员会") else { fatalError("no 海曙区") }
    func create(under parent: String, _ name: String, _ type: String) async throws -> String {
        let response = try await client.post("/units/\(parent)/children", ["csrf": csrf, "name": name, "shortName": String(name.prefix(20)), "type": type])
        guard response.status == .seeOther, let location = response.headers.first(name: .location) else {
            fatalError("creating \(name) answered \(response.status)")
        }
        return String(location.dropFirst("/units/".count))
    }
    let setupStart = Date()
    let parent = try await create(under: haishu, "海曙区流动团员团工委", "workingCommittee")
    for n in 1...children { _ = try await create(under: parent, "第\(n)流动团员团支部", "mobileBranch") }
    let setup = Date().timeIntervalSince(setupStart)
    print("tree setup: \(children) units created through the form in \(String(format: "%.1f", setup)) s"
          + " (\(String(format: "%.1f", setup / Double(children) * 1000)) ms each)")

    func page(_ name: String, _ path: String, _ expected: String) async throws -> Timing {
        try await time(name, rounds: rounds, warmUp: 10) {
            let response = try await client.get(path)
            guard response.status == .ok, BenchClient.text(response).contains(expected) else {
                fatalError("\(path) answered \(response.status) without \(expected)")
            }
        }
    }
    // Baseline and pages interleaved twice, so that a noisy neighbour affects both alike.
    let last = (children + 49) / 50
    var passes: [[Timing]] = []
    for pass in 1...2 {
        let suffix = pass == 1 ? "" : " (again)"
        passes.append([
            try await page("health (baseline)" + suffix, "/health", "ok"),
            try await page("unit page, \(children) children, page 1" + suffix, "/units/\(parent)", "第 1 / "),
            try await page("unit page, last page" + suffix, "/units/\(parent)?page=\(last)", "第 \(last) / \(last) 页"),
            try await page("unit page, name search" + suffix, "/units/\(parent)?q=\(children - 1)", "共 1 条"),
            try await page("tree, the big node open" + suffix, "/tree?open=1,\(haishu),\(parent)", "还有"),
        ])
    }
    print("")
    print("\(buildKind), SQLite, \(rounds) sequential requests each, one client on the same machine")
    print("name".padding(toLength: 42, withPad: " ", startingAt: 0) + "   p50 ms   p95 ms   p95 / health p95")
    for timings in passes {
        for timing in timings {
            print(timing.name.padding(toLength: 42, withPad: " ", startingAt: 0)
                  + String(format: " %8.2f %8.2f %12.1f×", timing.p50, timing.p95, timing.p95 / timings[0].p95))
        }
    }
    print("")
    await server.shutdown()
    try await app.asyncShutdown()
}
