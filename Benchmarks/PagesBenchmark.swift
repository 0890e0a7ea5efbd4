import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LeagueCore
import SmartLeague
import Vapor

// Every page the menu offers, as the people who open it (issue 17): the demo city's city, district,
// committee and branch administrators and a member, each opening every link of their menu with its
// default view, and a visitor opening the public pages. For each page: p50/p95 of requests one at
// a time, then requests/s under BENCH_CONNECTIONS connections (wrk) as a share of the bare /health
// route measured in the same run, before and after the pages. The menu is read from the parts'
// declarations, so a new part's pages are measured without editing this file.
func pagesBenchmark() async throws {
    let environment = ProcessInfo.processInfo.environment
    let members = Int(environment["BENCH_MEMBERS"] ?? "") ?? 1_000_000
    let rounds = Int(environment["BENCH_ROUNDS"] ?? "") ?? 30
    let seconds = Int(environment["BENCH_SECONDS"] ?? "") ?? 5
    let connections = Int(environment["BENCH_CONNECTIONS"] ?? "") ?? 32
    let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first { FileManager.default.isExecutableFile(atPath: $0) }
    let directory = try benchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let app = try await makeBenchApp(in: directory)

    print("building the demo city of \(members) members …")
    let summary = try await DemoCity.build(app, members: members, seed: 7)
    print(String(format: "demo city: %d units, %d members in %.1f s", summary.units, summary.members, summary.seconds))
    // The server runs in this process: its peak while serving the pages is read from here on.
    let demoPeak = residentMegabytes()
    restartResidentPeak()
    let leftByDemo = residentMegabytes(current: true)

    let port = 20000 + Int.random(in: 0..<2000)
    let server = app.server
    try await server.start(address: .hostname("127.0.0.1", port: port))
    let base = "http://127.0.0.1:\(port)"

    /// Requests/s and p50 under load, or nil without wrk.
    func load(_ path: String, cookie: String?) async throws -> (rate: Double, p50: String)? {
        guard let wrk else { return nil }
        let output = try await runProgram(wrk, ["-t2", "-c\(connections)", "-d\(seconds)s", "--latency"]
                                          + (cookie.map { ["-H", "Cookie: \($0)"] } ?? []) + [base + path])
        let rate = Double(BenchClient.between(output, "Requests/sec:", "\n")?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0
        let non2xx = BenchClient.between(output, "Non-2xx or 3xx responses:", "\n")?.trimmingCharacters(in: .whitespaces)
        if let non2xx { print("  (\(path): \(non2xx) answers were not 2xx/3xx)") }
        return (rate, BenchClient.between(output, "50%", "\n")?.trimmingCharacters(in: .whitespaces) ?? "?")
    }

    struct Row {
        let who: String
        let page: String
        let timing: Timing
        let rate: Double?
    }
    var rows: [Row] = []
    let visitor = BenchClient(app: app, port: port)
    func measure(_ who: String, _ label: String, _ path: String, _ client: BenchClient) async throws {
        let timing = try await time(label, rounds: rounds, warmUp: 2) {
            let response = try await client.get(path)
            guard response.status == .ok else { fatalError("\(who) \(path) answered \(response.status)") }
        }
        let cookie = client.cookies.first(name: .cookie)
        let rate = try await load(path, cookie: cookie)?.rate
        rows.append(Row(who: who, page: "\(label) \(path)", timing: timing, rate: rate))
    }

    try await measure("—", "health (baseline)", "/health", visitor)
    let healthBefore = rows[0].rate
    try await measure("—", "stylesheet", "/static/css/app.css", visitor)
    for (label, url) in SiteMenu.links(for: nil) { try await measure("访客", label, url, visitor) }
    try await measure("访客", "登录", "/login", visitor)
    let people = summary.signIns.map { ($0, $0.level == "团员" ? AccountKind.member : AccountKind.administrator) }
    for (signIn, kind) in people {
        let client = BenchClient(app: app, port: port)
        try await client.signIn(signIn.username, signIn.password)
        for (label, url) in SiteMenu.links(for: kind) {
            try await measure(signIn.level, label, url, client)
        }
    }
    let healthAfter = try await load("/health", cookie: nil)?.rate
    let health = [healthBefore, healthAfter].compactMap { $0 }
    let baseline = health.isEmpty ? nil : health.reduce(0, +) / Double(health.count)

    print("")
    print("\(buildKind), SQLite, \(summary.members) members, \(summary.units) units; \(rounds) requests one at a time, "
          + (wrk == nil ? "no wrk (apt-get install -y wrk) for the load column" : "then wrk -t2 -c\(connections) -d\(seconds)s"))
    if let baseline { print(String(format: "bare /health under load: %.0f requests/s (mean of before and after the pages)", baseline)) }
    print("who".padding(toLength: 6, withPad: " ", startingAt: 0) + " " + "page".padding(toLength: 40, withPad: " ", startingAt: 0)
          + "   p50 ms   p95 ms    req/s  of /health")
    for row in rows {
        let share = row.rate.flatMap { rate in baseline.map { String(format: "%8.1f%%", rate * 100 / $0) } } ?? ""
        print(row.who.padding(toLength: 6, withPad: " ", startingAt: 0) + " " + row.page.padding(toLength: 40, withPad: " ", startingAt: 0)
              + String(format: " %8.2f %8.2f ", row.timing.p50, row.timing.p95)
              + (row.rate.map { String(format: "%8.0f", $0) } ?? "       —") + " " + share)
    }
    let slow = rows.filter { $0.timing.p95 > 50 }
    print(slow.isEmpty ? "every page p95 ≤ 50 ms alone: met"
                       : "pages over 50 ms p95 alone (target ≤ 50): " + slow.map { "\($0.who) \($0.page)" }.joined(separator: ", "))
    if let demoPeak, let leftByDemo, let serving = residentMegabytes() {
        print(String(format: "peak resident memory: %.0f MB while building the demo, %.0f MB resident once it was built; "
                     + "%.0f MB while serving the pages (the server, its caches and what the demo build left allocated)",
                     demoPeak, leftByDemo, serving))
    }
    await server.shutdown()
    try await app.asyncShutdown()
}

/// Starts the peak resident memory of this process afresh (Linux: `5` to /proc/self/clear_refs),
/// after handing the allocator's free memory back, so that a later `residentMegabytes()` is the
/// peak of what ran since.
func restartResidentPeak() {
    // malloc_trim is glibc's and not in Swift's Glibc module: looked up in the process itself.
    typealias Trim = @convention(c) (Int) -> Int32
    if let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") { _ = unsafeBitCast(symbol, to: Trim.self)(0) }
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
}

/// The peak resident memory of this process (VmHWM in /proc), or with `current` what is resident
/// now (VmRSS), in MB.
func residentMegabytes(current: Bool = false) -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix(current ? "VmRSS:" : "VmHWM:") }) else { return nil }
    return Double(line.split(separator: " ").dropFirst().first ?? "").map { $0 / 1024 }
}
