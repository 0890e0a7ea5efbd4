import Foundation
import NIOCore
import SmartLeague
import Vapor

/// A signed-in HTTP client of a server started in this process.
final class BenchClient: @unchecked Sendable {
    let app: Application
    let base: String
    var cookies = HTTPHeaders()

    init(app: Application, port: Int) {
        self.app = app
        base = "http://127.0.0.1:\(port)"
    }

    static func text(_ response: ClientResponse) -> String { response.body.map { String(buffer: $0) } ?? "" }

    static func between(_ text: String, _ start: String, _ end: String) -> String? {
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

    func upload(_ path: String, _ fields: [String: String], file: Data) async throws -> ClientResponse {
        let boundary = "----bench\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"import.csv\"\r\nContent-Type: text/csv\r\n\r\n".utf8)
        body += file
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        var headers = cookies
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return try await app.client.post(URI(string: base + path), headers: headers) { request in
            request.body = ByteBuffer(data: body)
        }.get()
    }

    /// Signs in through the form, as a browser would.
    func signIn(_ username: String, _ password: String) async throws {
        let form = try await get("/login")
        let token = Self.between(Self.text(form), "name=\"csrf\" value=\"", "\"") ?? ""
        let cookie = form.headers.setCookie?["sl_login_csrf"]?.string ?? ""
        let response = try await post("/login", ["username": username, "password": password, "csrf": token, "next": "/"],
                                      extraCookie: "sl_login_csrf=\(cookie)")
        guard let session = response.headers.setCookie?["sl_session"]?.string else { fatalError("sign-in failed: \(response.status)") }
        cookies.replaceOrAdd(name: .cookie, value: "sl_session=\(session)")
    }

    func csrf() async throws -> String {
        Self.between(Self.text(try await get("/account/password")), "name=\"csrf\" value=\"", "\"") ?? ""
    }
}

/// Runs a program (wrk) to its end and returns what it printed. It waits on a thread of its own:
/// the server under measurement runs in this process, and its event loops also run this
/// program's tasks (`SmartLeagueMain.runTasksOnEventLoops`), so a task that blocked for the run
/// would take a loop away from the server it measures, and a thread of NIO's pool would take one
/// from Fluent's SQLite connections.
func runProgram(_ executable: String, _ arguments: [String]) async throws -> String {
    @Sendable func run() throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return output
    }
    return try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try run() }) }.start()
    }
}

struct Timing {
    let name: String
    let p50: Double
    let p95: Double
}

/// Milliseconds of `rounds` runs after a short warm-up.
func time(_ name: String, rounds: Int, warmUp: Int = 5, _ body: () async throws -> Void) async rethrows -> Timing {
    for _ in 0..<warmUp { try await body() }
    var samples: [Double] = []
    for _ in 0..<rounds {
        let start = DispatchTime.now().uptimeNanoseconds
        try await body()
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
    }
    samples.sort()
    return Timing(name: name, p50: samples[samples.count / 2], p95: samples[min(samples.count - 1, Int(Double(samples.count) * 0.95))])
}

var buildKind: String {
    #if DEBUG
    "DEBUG build (only `swift run -c release smartleague-bench` gives figures to quote)"
    #else
    "release build"
    #endif
}

func benchDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smartleague-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path + "/"

/// An application on a fresh SQLite file in `directory`, booted, as `serve` would have it.
func makeBenchApp(in directory: URL) async throws -> Application {
    var env = Environment.production
    env.arguments = ["smartleague-bench"]
    let app = try await Application.make(env)
    app.logger.logLevel = .error
    try configure(app, settings: Settings(storage: .sqlite(path: directory.appendingPathComponent("bench.sqlite").path),
                                          bcryptCost: 4, resourcesDirectory: packageRoot))
    try await app.asyncBoot()
    app.http.client.configuration.redirectConfiguration = .disallow
    return app
}
