import Foundation
import LeagueCore
import SmartLeague
import SQLKit
import Vapor

// Membership lifecycle at city scale (issue 4 figures), release build, embedded SQLite:
// 1. the 团员发展 pipeline board of the city root, with BENCH_MEMBERS members (default 1,000,000)
//    and an application for one in twenty of them spread over the stages, against /health;
// 2. a graduating class of 200 sent to another district in one action, and received in one.
func lifecycleBenchmark() async throws {
    let environment = ProcessInfo.processInfo.environment
    let members = Int(environment["BENCH_MEMBERS"] ?? "") ?? 1_000_000
    let rounds = Int(environment["BENCH_ROUNDS"] ?? "") ?? 100
    let directory = try benchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let app = try await makeBenchApp(in: directory)
    let sql = app.db as! any SQLDatabase

    print("building the demo city of \(members) members …")
    let summary = try await DemoCity.build(app, members: members, seed: 2018)
    // Applications for one member in twenty, over every stage, as a year's pipeline looks.
    let stages = AdmissionStage.pipeline + [.rejected]
    try await sql.raw("""
        INSERT INTO admission_applications (branch_id, branch_path, name, fields_sealed, id_hash, id_masked, stage, applied_on, updated_at)
        SELECT branch_id, branch_path, name, '', 'bench' || id, id_masked,
               CASE id % \(unsafeRaw: String(stages.count)) \(unsafeRaw: stages.enumerated().map { "WHEN \($0.offset) THEN '\($0.element.rawValue)'" }.joined(separator: " ")) END,
               '2026-03-01', \(bind: Date())
        FROM members WHERE id % 20 = 0
        """).run()
    struct Count: Decodable { let n: Int }
    let applications = try await sql.raw("SELECT COUNT(*) AS n FROM admission_applications").first(decoding: Count.self)!.n

    let port = 24000 + Int.random(in: 0..<2000)
    let server = app.server
    try await server.start(address: .hostname("127.0.0.1", port: port))
    let city = BenchClient(app: app, port: port)
    try await city.signIn("demo.city", DemoCity.demoPassword)
    func page(_ client: BenchClient, _ name: String, _ path: String, _ expected: String, rounds: Int) async throws -> Timing {
        try await time(name, rounds: rounds) {
            let response = try await client.get(path)
            guard response.status == .ok, BenchClient.text(response).contains(expected) else {
                fatalError("\(path) answered \(response.status) without \(expected)")
            }
        }
    }
    let health = try await page(city, "health (baseline)", "/health", "ok", rounds: rounds)
    let board = try await page(city, "pipeline board, city root", "/admission", "data-stage=\"certified\"", rounds: rounds)

    // A branch of another district topped up to a class of 200 by the member import.
    struct Unit: Decodable { let id: Int; let code: String; let path: String }
    let districts = try await sql.raw("""
        SELECT id, code, path FROM organizations WHERE depth = 1 ORDER BY code
        """).all(decoding: Unit.self)
    func firstBranch(under district: Unit) async throws -> Unit {
        try await sql.raw("""
            SELECT id, code, path FROM organizations WHERE type = 'branch' AND path >= \(bind: district.path)
            AND path < \(bind: String(district.path.dropLast()) + "0") ORDER BY path LIMIT 1
            """).first(decoding: Unit.self)!
    }
    let target = try await firstBranch(under: districts[0])
    let source = try await firstBranch(under: districts[1])
    let already = try await sql.raw("SELECT COUNT(*) AS n FROM members WHERE branch_id = \(bind: source.id)").first(decoding: Count.self)!.n
    var csv = CSV.byteOrderMark + CSV.line(["姓名", "民族", "身份证号", "学历", "职业", "入团日期", "团员编号", "所在团支部"])
    var rng = SeededRandom(seed: 7)
    var used = Set<String>()
    while used.count < max(0, 200 - already) {
        let birth = CalendarDate(year: 2008, month: rng.int(1...12), day: rng.int(1...28))!
        let id = DemoPeople.residentID(area: "330226", birth: birth, male: rng.chance(0.5), &rng)
        guard used.insert(id).inserted else { continue }
        csv += CSV.line([DemoPeople.name(male: true, &rng), "汉族", id, "高中", "学生", "2023-05-04", "GRAD\(used.count)", source.code])
    }
    let report = try await city.upload("/members/import", ["csrf": try await city.csrf()], file: Data(csv.utf8))
    if let upload = BenchClient.between(BenchClient.text(report), "action=\"/members/import/", "\"") {
        _ = try await city.post("/members/import/\(upload)", ["csrf": try await city.csrf(), "mode": "good"])
    }
    let classSize = try await sql.raw("SELECT COUNT(*) AS n FROM members WHERE branch_id = \(bind: source.id) AND left_on IS NULL")
        .first(decoding: Count.self)!.n

    let sendStart = Date()
    let sent = try await city.post("/transfers/class", ["csrf": try await city.csrf(), "branch": String(source.id), "target": target.code])
    let sendSeconds = Date().timeIntervalSince(sendStart)
    guard sent.status == .seeOther else { fatalError("class transfer answered \(sent.status): \(BenchClient.text(sent).prefix(800))") }
    struct Batch: Decodable { let batch: String }
    let batch = try await sql.raw("SELECT batch FROM transfers WHERE batch IS NOT NULL LIMIT 1").first(decoding: Batch.self)!.batch
    let receiver = BenchClient(app: app, port: port)
    try await receiver.signIn("demo.district", DemoCity.demoPassword)
    let agreeStart = Date()
    let agreed = try await receiver.post("/transfers/batches/\(batch)/agree", ["csrf": try await receiver.csrf()])
    let agreeSeconds = Date().timeIntervalSince(agreeStart)
    guard agreed.status == .seeOther else { fatalError("agreement answered \(agreed.status): \(BenchClient.text(agreed).prefix(800))") }
    let moved = try await sql.raw("SELECT COUNT(*) AS n FROM transfers WHERE batch = \(bind: batch) AND status = 'done'")
        .first(decoding: Count.self)!.n

    print("")
    print("\(buildKind), SQLite, \(summary.members) members, \(summary.units) units, \(applications) applications")
    print("name".padding(toLength: 44, withPad: " ", startingAt: 0) + "   p50 ms   p95 ms")
    for timing in [health, board] {
        print(timing.name.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: " %8.2f %8.2f", timing.p50, timing.p95))
    }
    print(String(format: "pipeline board p95 %.1f ms (target ≤ 100: %@), %.0f× the health route",
                 board.p95, board.p95 <= 100 ? "met" : "MISSED", board.p95 / health.p95))
    print(String(format: "class of %d sent in one action: %.2f s; received in one action: %.2f s (target ≤ 2 s each: %@); %d moved",
                 classSize, sendSeconds, agreeSeconds, max(sendSeconds, agreeSeconds) <= 2 ? "met" : "MISSED", moved))
    try await Task.sleep(for: .seconds(1))
    await server.shutdown()
    try await app.asyncShutdown()
}
