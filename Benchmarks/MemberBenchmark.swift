import Fluent
import Foundation
import LeagueCore
import SmartLeague
import SQLKit
import Vapor

// The member registry at city scale (issue figures): the demo city of 1,000,000 members, the
// city-root statistics page against the same figures from a recursive CTE over the tree, the
// scoped member list, and an import of 100,000 rows. Baselines are measured in the same run.
func memberBenchmark() async throws {
    let environment = ProcessInfo.processInfo.environment
    let members = Int(environment["BENCH_MEMBERS"] ?? "") ?? 1_000_000
    let importRows = Int(environment["BENCH_IMPORT"] ?? "") ?? 100_000
    let rounds = Int(environment["BENCH_ROUNDS"] ?? "") ?? 100
    let directory = try benchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let app = try await makeBenchApp(in: directory)

    print("building the demo city of \(members) members …")
    let summary = try await DemoCity.build(app, members: members, seed: 2018)
    print(String(format: "demo city: %d units, %d members in %.1f s (target ≤ 180 s: %@)", summary.units, summary.members,
                 summary.seconds, summary.seconds <= 180 ? "met" : "MISSED"))

    let port = 20000 + Int.random(in: 0..<2000)
    let server = app.server
    try await server.start(address: .hostname("127.0.0.1", port: port))
    let client = BenchClient(app: app, port: port)
    try await client.signIn("demo.city", DemoCity.demoPassword)

    func page(_ name: String, _ path: String, _ expected: String, rounds: Int) async throws -> Timing {
        try await time(name, rounds: rounds) {
            let response = try await client.get(path)
            guard response.status == .ok, BenchClient.text(response).contains(expected) else {
                fatalError("\(path) answered \(response.status) without \(expected)")
            }
        }
    }
    let health = try await page("health (baseline)", "/health", "ok", rounds: rounds)
    let statistics = try await page("statistics page, city root", "/statistics", "member-total", rounds: rounds)
    let list = try await page("member list: 海曙区, name 王…, 50 rows", "/members?unit=330203&q=%E7%8E%8B", "共 ", rounds: rounds)

    // The baseline: the same figures computed from the members with a recursive CTE over the tree.
    let sql = app.db as! any SQLDatabase
    struct Row: Decodable { let value: String?; let count: Int }
    func cte(_ unitID: Int, _ column: String) async throws -> [Row] {
        try await sql.raw("""
            WITH RECURSIVE sub(id) AS (
                SELECT id FROM organizations WHERE id = \(bind: unitID)
                UNION ALL SELECT o.id FROM organizations o JOIN sub ON o.parent_id = sub.id)
            SELECT \(unsafeRaw: column) AS value, COUNT(*) AS count
            FROM members m JOIN organizations b ON b.id = m.branch_id
            WHERE m.branch_id IN (SELECT id FROM sub) GROUP BY \(unsafeRaw: column)
            """).all(decoding: Row.self)
    }
    struct Unit: Decodable { let id: Int }
    let root = try await sql.raw("SELECT id FROM organizations WHERE parent_id IS NULL").first(decoding: Unit.self)!.id
    let children = try await sql.raw("SELECT id FROM organizations WHERE parent_id = \(bind: root) ORDER BY code").all(decoding: Unit.self)
    let dimensions = ["m.gender", "m.ethnicity", "m.education", "m.occupation", "m.party_status", "substr(m.birth_date, 1, 7)", "b.type"]
    let baseline = try await time("same figures by recursive CTE", rounds: 3, warmUp: 1) {
        for column in dimensions { _ = try await cte(root, column) }
        for child in children {
            for column in ["m.gender", "substr(m.birth_date, 1, 7)", "m.occupation", "m.party_status"] { _ = try await cte(child.id, column) }
        }
    }

    // Import: new people (an area code the demo does not use) into one branch, check then commit.
    let branch = try await sql.raw("SELECT code FROM organizations WHERE type = 'branch' ORDER BY path LIMIT 1")
        .first(decoding: [String: String].self)!["code"]!
    var csv = CSV.byteOrderMark + CSV.line(["姓名", "民族", "身份证号", "学历", "职业", "入团日期", "团员编号", "所在团支部"])
    var rng = SeededRandom(seed: 99)
    var used = Set<String>()
    let today = CalendarDate("2026-11-29")!
    while used.count < importRows {
        let birth = CalendarDate(year: rng.int(2000...2010), month: rng.int(1...12), day: rng.int(1...28))!
        let id = DemoPeople.residentID(area: "330227", birth: birth, male: rng.chance(0.5), &rng)
        guard used.insert(id).inserted else { continue }
        csv += CSV.line([DemoPeople.name(male: true, &rng), "汉族", id, "高中", "学生",
                         CalendarDate(year: birth.year + 15, month: 5, day: 4).map { min($0, today) }!.description,
                         "IMP\(used.count)", branch])
    }
    let importStart = Date()
    let csrf = try await client.csrf()
    let report = try await client.upload("/members/import", ["csrf": csrf], file: Data(csv.utf8))
    let checked = Date()
    guard let upload = BenchClient.between(BenchClient.text(report), "action=\"/members/import/", "\"") else {
        fatalError("import check failed: \(BenchClient.text(report).prefix(2000))")
    }
    let done = try await client.post("/members/import/\(upload)", ["csrf": csrf, "mode": "good"])
    guard done.status == .seeOther else { fatalError("import answered \(done.status)") }
    let importSeconds = Date().timeIntervalSince(importStart)

    print("")
    print("\(buildKind), SQLite, \(members) members, \(summary.units) units")
    print("name".padding(toLength: 44, withPad: " ", startingAt: 0) + "   p50 ms   p95 ms")
    for timing in [health, statistics, list, baseline] {
        print(timing.name.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: " %8.2f %8.2f", timing.p50, timing.p95))
    }
    print(String(format: "statistics page p95 %.1f ms (target ≤ 50: %@); the CTE baseline is %.0f× slower (target ≥ 20×: %@)",
                 statistics.p95, statistics.p95 <= 50 ? "met" : "MISSED", baseline.p50 / statistics.p95,
                 baseline.p50 / statistics.p95 >= 20 ? "met" : "MISSED"))
    print(String(format: "member list p95 %.1f ms (target ≤ 30: %@), %.0f× the health route",
                 list.p95, list.p95 <= 30 ? "met" : "MISSED", list.p95 / health.p95))
    print(String(format: "import of %d rows: %.1f s (check %.1f s + commit %.1f s; target ≤ 15 s: %@)", importRows, importSeconds,
                 checked.timeIntervalSince(importStart), done.headers.first(name: .location) == nil ? 0 : Date().timeIntervalSince(checked),
                 importSeconds <= 15 ? "met" : "MISSED"))
    await server.shutdown()
    try await app.asyncShutdown()
}
