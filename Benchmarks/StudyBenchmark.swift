import Foundation
import LeagueCore
import SmartLeague
import SQLKit
import Vapor

// 青年大学习 at city scale (issue 6 figures), on the release build and the embedded SQLite file:
// 1. a burst of completions from many signed-in members, driven by wrk on this machine, beside
//    the same server's bare /health throughput measured in the same run; afterwards every
//    completion that was answered "recorded" is counted in the database;
// 2. the city root's participation page at BENCH_MEMBERS members (default 1,000,000) and as many
//    completions of one episode, against counting the same figure from the completions.
func studyBenchmark() async throws {
    let environment = ProcessInfo.processInfo.environment
    let members = Int(environment["BENCH_MEMBERS"] ?? "") ?? 1_000_000
    let learners = min(members, Int(environment["BENCH_LEARNERS"] ?? "") ?? 300_000)
    let seconds = Int(environment["BENCH_SECONDS"] ?? "") ?? 10
    let connections = Int(environment["BENCH_CONNECTIONS"] ?? "") ?? 64
    let rounds = Int(environment["BENCH_ROUNDS"] ?? "") ?? 100
    guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        print("wrk is not installed: apt-get install -y wrk"); return
    }
    let directory = try benchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let app = try await makeBenchApp(in: directory)
    let sql = app.db as! any SQLDatabase

    print("building the demo city of \(members) members …")
    let summary = try await DemoCity.build(app, members: members, seed: 2018)
    let port = 22000 + Int.random(in: 0..<2000)
    let server = app.server
    try await server.start(address: .hostname("127.0.0.1", port: port))
    let city = BenchClient(app: app, port: port)
    try await city.signIn("demo.city", DemoCity.demoPassword)

    // Two episodes open since an hour ago: the first gets a completion from every member (by
    // the import), the second takes the burst.
    let now = Date()
    func china(_ date: Date) -> String {
        let f = DateFormatter()
        f.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: date)
    }
    var csrf = try await city.csrf()
    // A third episode opens tomorrow: completions for it are refused after every check but the
    // write, which separates the cost of the write from the rest.
    for number in 1...3 {
        let opens = number == 3 ? now.addingTimeInterval(86400) : now.addingTimeInterval(-3600)
        let published = try await city.post("/study", [
            "csrf": csrf, "season": "12", "number": String(number), "title": "第\(number)期", "opensAt": china(opens),
            "closesAt": china(opens.addingTimeInterval(86400)), "videoURL": "https://h5.cyol.com/daxuexi/12-\(number)/",
            "quiz": "青年大学习多久一期？|每周|每月|A\n团员的年龄上限？|25|28|B"])
        guard published.status == .seeOther else { fatalError("publish answered \(published.status): \(BenchClient.text(published).prefix(500))") }
    }
    struct Row: Decodable { let id: Int }
    let episodes = try await sql.raw("SELECT id FROM study_episodes ORDER BY number").all(decoding: Row.self).map(\.id)

    let skipImport = environment["BENCH_SKIP_IMPORT"] == "1"
    print(skipImport ? "skipping the import (BENCH_SKIP_IMPORT=1)" : "importing one completion per member for episode 12-1 …")
    struct Number: Decodable { let member_number: String }
    let numbers = try await sql.raw("SELECT member_number FROM members ORDER BY id").all(decoding: Number.self).map(\.member_number)
    let completedAt = china(now.addingTimeInterval(-60))
    let importStart = Date()
    for start in stride(from: 0, to: skipImport ? 0 : numbers.count, by: 200_000) {
        var csv = CSV.byteOrderMark + CSV.line(["团员编号", "期次", "完成时间"])
        for number in numbers[start..<min(start + 200_000, numbers.count)] { csv += "\(number),12-1,\(completedAt)\n" }
        csrf = try await city.csrf()
        let report = BenchClient.text(try await city.upload("/study/import", ["csrf": csrf], file: Data(csv.utf8)))
        guard report.contains("未导入 0 条") else { fatalError("import: \(BenchClient.between(report, "import-summary\">", "<") ?? report.prefix(800).description)") }
    }
    let importSeconds = Date().timeIntervalSince(importStart)

    // The participation page of the city root, against counting the same figure from the rows.
    let page = try await time("participation page, city root", rounds: rounds) {
        let response = try await city.get("/study/episodes/\(episodes[0])")
        guard response.status == .ok, skipImport || BenchClient.text(response).contains("id=\"participation\">100.0%") else {
            fatalError("participation page answered \(response.status): \(BenchClient.text(response).prefix(800))")
        }
    }
    struct Count: Decodable { let n: Int }
    let counted = try await time("same figure counted from completions", rounds: 5, warmUp: 1) {
        _ = try await sql.raw("""
            SELECT COUNT(DISTINCT member_id) AS n FROM study_completions WHERE episode_id = \(bind: episodes[0])
            AND branch_path >= '/' AND branch_path < '0'
            """).first(decoding: Count.self)
    }

    // Member accounts and sessions for the burst: session keys are the SHA-256 of known tokens.
    print("opening \(learners) member sessions …")
    try await sql.raw("""
        INSERT INTO accounts (username, display_name, password_hash, kind, organization_id, member_id, must_change_password,
                              disabled, created_at)
        SELECT 'bench' || id, name, '!', 'member', branch_id, id, \(bind: false), \(bind: false), \(bind: now)
        FROM members ORDER BY id LIMIT \(bind: learners)
        """).run()
    let accounts = try await sql.raw("SELECT id FROM accounts WHERE kind = 'member' ORDER BY id").all(decoding: Row.self).map(\.id)
    for start in stride(from: 0, to: accounts.count, by: 1000) {
        let rows = SQLList((start..<min(start + 1000, accounts.count)).map { index in
            SQLGroupExpression([SQLBind(sessionKey(forCookie: "bench\(index)")), SQLBind(accounts[index]),
                                SQLBind("c\(index)"), SQLBind(now), SQLBind(now)] as [any SQLExpression])
        })
        try await sql.raw("INSERT INTO sessions (id, account_id, csrf_token, created_at, last_seen_at) VALUES \(rows)").run()
    }
    try await sql.raw("UPDATE sessions SET last_seen_at = \(bind: Date())").run()

    let script = directory.appendingPathComponent("burst.lua")
    try """
    local threads = {}
    local counter = 0
    function setup(thread)
      thread:set("first", #threads)
      table.insert(threads, thread)
    end
    function init(args)
      step = tonumber(args[1]); episode = args[2]; counter = first; recorded = 0; already = 0; refused = 0
    end
    function request()
      local i = counter % \(learners)
      counter = counter + step
      return wrk.format("POST", "/learn/" .. episode, {
        ["Cookie"] = "sl_session=bench" .. i,
        ["Accept"] = "application/json",
        ["Content-Type"] = "application/x-www-form-urlencoded"
      }, "csrf=c" .. i .. "&q1=A&q2=B")
    end
    function response(status, headers, body)
      if status == 200 and string.find(body, '"recorded"', 1, true) then recorded = recorded + 1
      elseif status == 200 then already = already + 1
      else refused = refused + 1 end
    end
    function done(summary, latency, requests)
      local r, a, f = 0, 0, 0
      for _, t in ipairs(threads) do r = r + t:get("recorded"); a = a + t:get("already"); f = f + t:get("refused") end
      io.write(string.format("RESULT %d %d %d %d %.3f %.3f\\n", summary.requests, r, a, f,
        latency:percentile(99) / 1000, latency:percentile(50) / 1000))
    end
    """.write(to: script, atomically: true, encoding: .utf8)

    func runWrk(_ arguments: [String]) async throws -> String { try await runProgram(wrk, arguments) }
    func rate(_ output: String) -> Double { Double(BenchClient.between(output, "Requests/sec:", "\n")?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0 }
    func p99(_ output: String) -> String { BenchClient.between(output, "99%", "\n")?.trimmingCharacters(in: .whitespaces) ?? "?" }

    let base = "http://127.0.0.1:\(port)"
    _ = try await runWrk(["-t2", "-c\(connections)", "-d2s", base + "/health"])
    let health = try await runWrk(["-t2", "-c\(connections)", "-d\(seconds)s", "--latency", base + "/health"])
    let refusedRun = try await runWrk(["-t2", "-c\(connections)", "-d\(seconds)s", "--latency", "-s", script.path, base, "--", "2",
                                 String(episodes[2])])
    try await sql.raw("UPDATE sessions SET last_seen_at = \(bind: Date())").run()
    let burst = try await runWrk(["-t2", "-c\(connections)", "-d\(seconds)s", "--latency", "-s", script.path, base, "--", "2",
                            String(episodes[1])])
    let stored = try await sql.raw("SELECT COUNT(*) AS n FROM study_completions WHERE episode_id = \(bind: episodes[1])")
        .first(decoding: Count.self)!.n
    // The bare route again after the burst: on a shared machine the rate drifts within a run, and
    // the mean of before and after is the fairer baseline.
    let healthAfter = try await runWrk(["-t2", "-c\(connections)", "-d\(seconds)s", "--latency", base + "/health"])
    let baseline = (rate(health) + rate(healthAfter)) / 2
    let result = (BenchClient.between(burst, "RESULT ", "\n") ?? "").split(separator: " ").map(String.init)
    guard result.count == 6 else { fatalError("wrk gave no result:\n\(burst)") }
    let recorded = Int(result[1])!, already = Int(result[2])!, refused = Int(result[3])!

    print("")
    print("\(buildKind), SQLite, \(summary.members) members, \(summary.units) units; wrk -t2 -c\(connections) -d\(seconds)s on this machine")
    print(String(format: "import of %d completions (CSV, 200,000 a file): %.1f s", numbers.count, importSeconds))
    print(String(format: "bare /health: %8.0f requests/s (%.0f before the burst, p99 %@; %.0f after it, p99 %@)",
                 baseline, rate(health), p99(health), rate(healthAfter), p99(healthAfter)))
    print(String(format: "completions:  %8.0f requests/s, p99 %@ (%.0f%% of the bare route; target ≥ 50%%: %@)",
                 rate(burst), p99(burst), rate(burst) / baseline * 100, rate(burst) >= baseline / 2 ? "met" : "MISSED"))
    print(String(format: "(the same requests for an episode not yet open, refused before the write: %.0f requests/s, p99 %@)",
                 rate(refusedRun), p99(refusedRun)))
    // wrk stops mid-flight: completions stored after it stopped listening have no answer counted.
    print("answers: \(recorded) recorded, \(already) already done, \(refused) refused; stored for the episode: \(stored) "
          + (stored >= recorded ? "(every recorded answer is stored; \(stored - recorded) more were in flight when wrk stopped)" : "(MISSING \(recorded - stored))"))
    print("name".padding(toLength: 44, withPad: " ", startingAt: 0) + "   p50 ms   p95 ms")
    for timing in [page, counted] {
        print(timing.name.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: " %8.2f %8.2f", timing.p50, timing.p95))
    }
    print(String(format: "city-root participation page p95 %.1f ms at %d completions (target ≤ 50: %@); counting them takes %.0f× as long",
                 page.p95, numbers.count, page.p95 <= 50 ? "met" : "MISSED", counted.p50 / page.p95))
    // Requests wrk left in flight finish before the application goes.
    try await Task.sleep(for: .seconds(2))
    await server.shutdown()
    try await app.asyncShutdown()
}
