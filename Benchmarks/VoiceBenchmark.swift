import Foundation
import LeagueCore
import SmartLeague
import SQLKit
import Vapor

// 青年之声 (issue 18 figures), release build, embedded SQLite:
// 1. a unit's queue (its default tab, with the overdue list and what was reported to it) at the
//    city, a district and a branch, with BENCH_ITEMS items city-wide (default 200,000), against
//    /health;
// 2. a submission burst: BENCH_ASKERS signed-in young people (default 1,000) each asking at once,
//    as the day a campaign is announced, against a burst of as many /health requests in the same
//    run; every acknowledged question must be stored.
func voiceBenchmark() async throws {
    let environment = ProcessInfo.processInfo.environment
    let itemCount = Int(environment["BENCH_ITEMS"] ?? "") ?? 200_000
    let askers = Int(environment["BENCH_ASKERS"] ?? "") ?? 1_000
    let rounds = Int(environment["BENCH_ROUNDS"] ?? "") ?? 100
    let directory = try benchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let app = try await makeBenchApp(in: directory)
    app.http.client.configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = askers
    app.http.server.configuration.backlog = max(256, askers)
    let sql = app.db as! any SQLDatabase
    print("building a demo city of 20,000 members …")
    _ = try await DemoCity.build(app, members: 20_000, seed: 18)

    print("filing \(itemCount) items over the branches …")
    struct Unit: Decodable { let id: Int; let path: String; let name: String }
    let branches = try await sql.raw("SELECT id, path, name FROM organizations WHERE status = 'active' AND depth >= 3 ORDER BY id")
        .all(decoding: Unit.self)
    let asker = try await sql.raw("SELECT id, '' AS path, display_name AS name FROM accounts WHERE username = 'demo.member'").first(decoding: Unit.self)!
    struct ID: Decodable { let id: Int }
    let category = try await sql.raw("SELECT id FROM voice_categories ORDER BY id LIMIT 1").first(decoding: ID.self)!.id
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
    let parts = calendar.dateComponents([.year, .month, .day], from: Date())
    let today = CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    let now = Date()
    // Items of the last 200 days over every branch: most closed, the newest open, a share overdue.
    let days = (0..<200).map { today.adding(days: -$0).description }
    let branchCase = "CASE n % \(branches.count) " + branches.enumerated().map { "WHEN \($0.offset) THEN \($0.element.id)" }.joined(separator: " ") + " END"
    let pathCase = "CASE n % \(branches.count) " + branches.enumerated().map { "WHEN \($0.offset) THEN '\($0.element.path)'" }.joined(separator: " ") + " END"
    try await sql.raw("""
        WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < \(bind: itemCount))
        INSERT INTO voice_items (number, asker_account_id, asker_name, category_id, category, district_id, unit_id, unit_path, unit_name, title, body,
                                 may_publish, anonymous, status, submitted_at, accept_due, answer_due, published, reopened)
        SELECT 'B' || n, \(bind: asker.id), '青年', \(bind: category), '学业', \(unsafeRaw: branchCase), \(unsafeRaw: branchCase), \(unsafeRaw: pathCase), '支部',
               '问题' || n, '内容', true, false,
               CASE WHEN n % 100 < 3 THEN 'submitted' WHEN n % 100 < 8 THEN 'accepted' WHEN n % 100 < 20 THEN 'answered' ELSE 'closed' END,
               \(bind: now.timeIntervalSince1970) - (n % 200) * 86400,
               CASE (n % 200) \(unsafeRaw: days.enumerated().map { "WHEN \($0.offset) THEN '\($0.element)'" }.joined(separator: " ")) END,
               CASE ((n % 200) + 7) % 200 \(unsafeRaw: days.enumerated().map { "WHEN \($0.offset) THEN '\($0.element)'" }.joined(separator: " ")) END,
               false, 0
        FROM seq
        """).run()
    try await VoiceTotals.rebuild(on: app.db)

    let port = 26000 + Int.random(in: 0..<2000)
    let server = app.server
    try await server.start(address: .hostname("127.0.0.1", port: port))
    func signedIn(_ username: String) async throws -> BenchClient {
        let client = BenchClient(app: app, port: port)
        try await client.signIn(username, DemoCity.demoPassword)
        return client
    }
    func page(_ client: BenchClient, _ name: String, _ path: String, _ expected: String) async throws -> Timing {
        try await time(name, rounds: rounds) {
            let response = try await client.get(path)
            guard response.status == .ok, BenchClient.text(response).contains(expected) else {
                fatalError("\(path) answered \(response.status) without \(expected)")
            }
        }
    }
    let visitor = BenchClient(app: app, port: port)
    let city = try await signedIn("demo.city"), district = try await signedIn("demo.district"), branch = try await signedIn("demo.branch")
    let timings = [
        try await page(visitor, "health (baseline)", "/health", "ok"),
        try await page(city, "city: queue (待受理, overdue, reported)", "/voice/queue", "逾期未办"),
        try await page(city, "city: 办理中", "/voice/queue?status=accepted", "逾期未办"),
        try await page(city, "city: 已办结, page 50", "/voice/queue?status=closed&page=50", "逾期未办"),
        try await page(district, "district: queue", "/voice/queue", "逾期未办"),
        try await page(branch, "branch: queue", "/voice/queue", "逾期未办"),
        try await page(visitor, "public: answered questions", "/voice", "青年之声"),
        // The floor under every signed-in page: the session, the menu and the layout, no list.
        try await page(city, "city: 修改密码 (layout only)", "/account/password", "修改密码"),
    ]
    let queues = timings.filter { $0.name.hasPrefix("city: ") || $0.name.hasPrefix("district: ") || $0.name.hasPrefix("branch: ") }
        .filter { !$0.name.contains("layout only") }

    print("signing in \(askers) young people …")
    try await sql.raw("""
        WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < \(bind: askers))
        INSERT INTO accounts (username, display_name, password_hash, kind, organization_id, must_change_password, disabled)
        SELECT 'bench.y' || n, '青年' || n, (SELECT password_hash FROM accounts WHERE username = 'demo.city'), 'youth',
               (SELECT id FROM organizations WHERE depth = 1 ORDER BY code LIMIT 1), false, false FROM seq
        """).run()
    let district1 = try await sql.raw("SELECT id FROM organizations WHERE depth = 1 ORDER BY code LIMIT 1").first(decoding: ID.self)!.id
    var clients: [(BenchClient, String)] = []
    for n in 1...askers {
        let client = try await signedIn("bench.y\(n)")
        let form = BenchClient.text(try await client.get("/voice/ask"))
        clients.append((client, BenchClient.between(form, "name=\"csrf\" value=\"", "\"") ?? ""))
    }
    // The same number of clients, at once, on the bare route: the baseline of this run.
    let healthStart = Date()
    _ = try await withThrowingTaskGroup(of: UInt.self) { group in
        for (client, _) in clients { group.addTask { try await client.get("/health").status.code } }
        return try await group.reduce(into: [UInt]()) { $0.append($1) }
    }
    let healthRate = Double(askers) / Date().timeIntervalSince(healthStart)
    // Each client asks once, all at once; with `follow`, it then opens the question's page the
    // answer leads to, as a browser does. A question is acknowledged by the redirect to its page.
    func burst(_ round: String, follow: Bool) async throws -> (rate: Double, acknowledged: Int, stored: Int) {
        let before = try await sql.raw("SELECT COUNT(*) AS id FROM voice_items").first(decoding: ID.self)!.id
        let start = Date()
        let acknowledged = try await withThrowingTaskGroup(of: Bool.self) { group in
            for (index, (client, csrf)) in clients.enumerated() {
                group.addTask {
                    let asked = try await client.post("/voice/ask", ["csrf": csrf, "category": String(category), "district": String(district1),
                                                                     "title": "活动报名问题\(round)\(index)", "body": "想报名参加团市委的青春活动，请问怎么报名？"])
                    guard asked.status == .seeOther, let location = asked.headers.first(name: .location), location.hasPrefix("/voice/mine/") else { return false }
                    guard follow else { return true }
                    let page = try await client.get(location)
                    return page.status == .ok && BenchClient.text(page).contains("提交成功")
                }
            }
            return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        let rate = Double(askers) / Date().timeIntervalSince(start)
        let stored = try await sql.raw("SELECT COUNT(*) AS id FROM voice_items").first(decoding: ID.self)!.id - before
        return (rate, acknowledged, stored)
    }
    let asked = try await burst("甲", follow: false)
    let followed = try await burst("乙", follow: true)

    print("")
    print("\(buildKind), SQLite, \(itemCount) items over \(branches.count) units")
    print("name".padding(toLength: 44, withPad: " ", startingAt: 0) + "   p50 ms   p95 ms")
    for timing in timings {
        print(timing.name.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: " %8.2f %8.2f", timing.p50, timing.p95))
    }
    let worst = queues.max { $0.p95 < $1.p95 }!
    print(String(format: "slowest queue p95 %.1f ms (%@; target ≤ 30: %@)", worst.p95, worst.name, worst.p95 <= 30 ? "met" : "MISSED"))
    for (name, round) in [("burst", asked), ("burst, each then opening its page", followed)] {
        print(String(format: "%@: %d questions at once, %.0f/s; /health burst of as many: %.0f/s; ratio %.1f%%%@; %d acknowledged, %d stored (%@)",
                     name, askers, round.rate, healthRate, round.rate / healthRate * 100,
                     round == asked ? (round.rate / healthRate >= 0.3 ? " (target ≥ 30%: met)" : " (target ≥ 30%: MISSED)") : "",
                     round.acknowledged, round.stored, round.acknowledged == round.stored && round.stored == askers ? "all" : "MISMATCH"))
    }
    try await Task.sleep(for: .seconds(1))
    await server.shutdown()
    try await app.asyncShutdown()
}
