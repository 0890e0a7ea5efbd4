import Foundation
import LeagueCore
import SmartLeague
import SQLKit
import Vapor

// The volunteer platform (issue 7 figures), release build, embedded SQLite:
// 1. the public post search over BENCH_POSTS published posts (default 100,000) with each of its
//    filters, against /health;
// 2. BENCH_SIGNUPS volunteers (default 2,000), each signed in, signing up at once for one post with
//    100 places: exactly 100 accepted, the rest waiting.
func volunteerBenchmark() async throws {
    let environment = ProcessInfo.processInfo.environment
    let postCount = Int(environment["BENCH_POSTS"] ?? "") ?? 100_000
    let volunteers = Int(environment["BENCH_SIGNUPS"] ?? "") ?? 2_000
    let rounds = Int(environment["BENCH_ROUNDS"] ?? "") ?? 100
    let directory = try benchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let app = try await makeBenchApp(in: directory)
    // Every volunteer on a connection of their own at the same moment, as phones would be.
    app.http.client.configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = volunteers
    app.http.server.configuration.backlog = max(256, volunteers)
    let sql = app.db as! any SQLDatabase
    _ = try await DemoCity.build(app, members: 1_000, seed: 2018)

    print("publishing \(postCount) posts …")
    struct Unit: Decodable { let id: Int; let path: String }
    let root = try await sql.raw("SELECT id, path FROM organizations WHERE depth = 0").first(decoding: Unit.self)!
    let districts = try await sql.raw("SELECT id, path FROM organizations WHERE depth = 1 ORDER BY code").all(decoding: Unit.self)
    let now = Date()
    try await sql.raw("""
        INSERT INTO volunteer_groups (name, unit_id, unit_path, independent, contact, status, created_at)
        VALUES ('宁波青年志愿者协会', \(bind: root.id), \(bind: root.path), false, '团市委', 'approved', \(bind: now))
        """).run()
    let categories = VolunteerCategories.all
    for (index, district) in districts.enumerated() {
        try await sql.raw("""
            INSERT INTO volunteer_projects (group_id, unit_path, title, category, summary, district_id, year, status, created_at)
            VALUES (1, \(bind: root.path), \(bind: "项目\(index)"), \(bind: categories[index % categories.count]), '', \(bind: district.id),
                    2026, 'published', \(bind: now))
            """).run()
    }
    // Posts over the next 90 days, spread over districts, categories and hours; a third full.
    let dayList = (0..<90).map { chinaDay(now.addingTimeInterval(TimeInterval($0 * 86_400))) }
    try await sql.raw("""
        WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < \(bind: postCount))
        INSERT INTO volunteer_posts (project_id, unit_path, title, category, place, district_id, requirements, day, starts_at, ends_at,
                                     capacity, taken, needs_approval, published, code_secret)
        SELECT 1 + n % \(bind: districts.count), \(bind: root.path), '岗位' || n,
               CASE n % 12 \(unsafeRaw: categories.enumerated().map { "WHEN \($0.offset) THEN '\($0.element)'" }.joined(separator: " ")) END,
               '服务点' || n, \(unsafeRaw: "CASE n % \(districts.count) " + districts.enumerated().map { "WHEN \($0.offset) THEN \($0.element.id)" }.joined(separator: " ") + " END"),
               '', CASE (n / 7) % 90 \(unsafeRaw: dayList.enumerated().map { "WHEN \($0.offset) THEN '\($0.element)'" }.joined(separator: " ")) END,
               0, 0, 10, CASE WHEN n % 3 = 0 THEN 10 ELSE n % 10 END, false, true, 'bench'
        FROM seq
        """).run()
    // Each post's own slot: its day at 09:00–11:00 in China (01:00–03:00 UTC), in epoch seconds as dates are stored.
    try await sql.raw("""
        UPDATE volunteer_posts SET starts_at = (julianday(day) - 2440587.5) * 86400 + 3600, ends_at = (julianday(day) - 2440587.5) * 86400 + 10800
        """).run()

    let port = 26000 + Int.random(in: 0..<2000)
    let server = app.server
    try await server.start(address: .hostname("127.0.0.1", port: port))
    let visitor = BenchClient(app: app, port: port)
    func page(_ name: String, _ path: String, _ expected: String) async throws -> Timing {
        try await time(name, rounds: rounds) {
            let response = try await visitor.get(path)
            guard response.status == .ok, BenchClient.text(response).contains(expected) else {
                fatalError("\(path) answered \(response.status) without \(expected)")
            }
        }
    }
    let district = districts[3].id
    let someDay = dayList[45]
    let timings = [
        try await page("health (baseline)", "/health", "ok"),
        try await page("search, no filter (from today)", "/volunteer/posts", "<h1>志愿服务岗位</h1>"),
        try await page("search by district", "/volunteer/posts?district=\(district)", "<h1>志愿服务岗位</h1>"),
        try await page("search by category", "/volunteer/posts?category=\(categories[4].addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)", "<h1>志愿服务岗位</h1>"),
        try await page("search by date", "/volunteer/posts?day=\(someDay)", "<h1>志愿服务岗位</h1>"),
        try await page("search by district, date, open places", "/volunteer/posts?district=\(district)&day=\(someDay)&open=1", "<h1>志愿服务岗位</h1>"),
        try await page("search by title keyword", "/volunteer/posts?q=%E5%B2%97%E4%BD%8D9999", "<h1>志愿服务岗位</h1>"),
        try await page("search, page 200", "/volunteer/posts?page=200", "<h1>志愿服务岗位</h1>"),
    ]

    print("registering and signing in \(volunteers) volunteers …")
    try await sql.raw("""
        WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < \(bind: volunteers))
        INSERT INTO accounts (username, display_name, password_hash, kind, organization_id, must_change_password, disabled)
        SELECT 'bench.v' || n, '志愿者' || n, (SELECT password_hash FROM accounts WHERE username = 'demo.city'), 'volunteer',
               \(bind: root.id), false, false FROM seq
        """).run()
    try await sql.raw("""
        INSERT INTO volunteers (volunteer_number, name, gender, birth_date, id_sealed, id_hash, id_masked, account_id, home_id, home_path,
                                total_minutes, registered_at)
        SELECT 'BENCH' || id, display_name, 'male', '2000-01-01', '', 'bench' || id, '', id, \(bind: root.id), \(bind: root.path), 0, \(bind: now)
        FROM accounts WHERE kind = 'volunteer' AND username LIKE 'bench.v%'
        """).run()
    let tomorrow = dayList[1]
    try await sql.raw("""
        INSERT INTO volunteer_posts (project_id, unit_path, title, category, place, district_id, requirements, day, starts_at, ends_at,
                                     capacity, taken, needs_approval, published, code_secret)
        VALUES (1, \(bind: root.path), '马拉松补给站', '大型赛会', '三江口', \(bind: districts[0].id), '', \(bind: tomorrow),
                (julianday(\(bind: tomorrow)) - 2440587.5) * 86400 + 3600, (julianday(\(bind: tomorrow)) - 2440587.5) * 86400 + 10800, 100, 0, false, true, 'bench')
        """).run()
    struct ID: Decodable { let id: Int }
    let post = try await sql.raw("SELECT id FROM volunteer_posts WHERE title = '马拉松补给站'").first(decoding: ID.self)!.id
    var clients: [(BenchClient, String)] = []
    for n in 1...volunteers {
        let client = BenchClient(app: app, port: port)
        try await client.signIn("bench.v\(n)", DemoCity.demoPassword)
        let page = BenchClient.text(try await client.get("/volunteer/posts/\(post)"))
        clients.append((client, BenchClient.between(page, "name=\"csrf\" value=\"", "\"") ?? ""))
    }
    let burstStart = Date()
    let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
        for (client, csrf) in clients {
            group.addTask { try await client.post("/volunteer/posts/\(post)/signup", ["csrf": csrf]).status.code }
        }
        return try await group.reduce(into: [UInt]()) { $0.append($1) }
    }
    let burstSeconds = Date().timeIntervalSince(burstStart)
    struct Tally: Decodable { let status: String; let n: Int }
    let tally = try await sql.raw("SELECT status, COUNT(*) AS n FROM volunteer_signups WHERE post_id = \(bind: post) GROUP BY status")
        .all(decoding: Tally.self)
    let taken = try await sql.raw("SELECT taken AS id FROM volunteer_posts WHERE id = \(bind: post)").first(decoding: ID.self)!.id
    let accepted = tally.first { $0.status == "accepted" }?.n ?? 0
    let waiting = tally.first { $0.status == "waiting" }?.n ?? 0

    print("")
    print("\(buildKind), SQLite, \(postCount) published posts")
    print("name".padding(toLength: 44, withPad: " ", startingAt: 0) + "   p50 ms   p95 ms")
    for timing in timings {
        print(timing.name.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: " %8.2f %8.2f", timing.p50, timing.p95))
    }
    let worst = timings.dropFirst().max { $0.p95 < $1.p95 }!
    print(String(format: "slowest search p95 %.1f ms (%@; target ≤ 50: %@), %.0f× the health route",
                 worst.p95, worst.name, worst.p95 <= 50 ? "met" : "MISSED", worst.p95 / timings[0].p95))
    print(String(format: "%d volunteers signing up at once for 100 places: %d accepted, %d waiting, post holds %d (%@); "
                 + "%d answered 303, burst took %.2f s",
                 volunteers, accepted, waiting, taken, accepted == 100 && waiting == volunteers - 100 && taken == 100 ? "exact" : "WRONG",
                 statuses.filter { $0 == 303 }.count, burstSeconds))
    try await Task.sleep(for: .seconds(1))
    await server.shutdown()
    try await app.asyncShutdown()
}

/// The day in China (UTC+8, no daylight saving) of an instant, as posts keep it.
private func chinaDay(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
    let parts = calendar.dateComponents([.year, .month, .day], from: date)
    return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
}
