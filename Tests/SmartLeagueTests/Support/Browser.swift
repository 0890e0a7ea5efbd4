import Foundation
import Testing
import Vapor
import VaporTesting
@testable import SmartLeague

/// A signed-in (or anonymous) visitor: keeps cookies between requests and fills in the CSRF
/// token of the last page it saw, like a browser submitting a form.
final class Browser: @unchecked Sendable {
    let app: Application
    private(set) var cookies: [String: String] = [:]
    private(set) var csrf = ""
    private(set) var lastBody = ""
    /// Sent with every request, e.g. the client address a proxy reports (`X-Forwarded-For`).
    var extraHeaders: [(String, String)] = []
    /// Over a real socket to a running server instead of in memory: bodies then arrive streamed,
    /// as from a browser.
    var overTheWire = false

    init(_ app: Application, from address: String? = nil) {
        self.app = app
        if let address { extraHeaders = [("X-Forwarded-For", address)] }
    }

    struct Page {
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        let body: String

        var location: String? { headers.first(name: .location) }
        func contains(_ text: String) -> Bool { body.contains(text) }
    }

    @discardableResult
    func get(_ path: String) async throws -> Page {
        try await send(.GET, path, body: nil)
    }

    /// Posts a form; the page's CSRF token is added unless the form names its own.
    @discardableResult
    func post(_ path: String, _ form: [String: String] = [:], accept: String? = nil) async throws -> Page {
        var fields = form
        if fields["csrf"] == nil { fields["csrf"] = csrf }
        var components = URLComponents()
        components.queryItems = fields.map { URLQueryItem(name: $0.key, value: $0.value) }
        let encoded = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return try await send(.POST, path, raw: Data(encoded.utf8), contentType: "application/x-www-form-urlencoded", accept: accept)
    }

    /// Posts a multipart form with one file, as a browser's file input sends it.
    @discardableResult
    func upload(_ path: String, _ fields: [String: String], file: Data, filename: String = "members.csv",
                contentType: String = "text/csv", field: String = "file") async throws -> Page {
        let boundary = "----smartleague\(UUID().uuidString)"
        var body = Data()
        var all = fields
        if all["csrf"] == nil { all["csrf"] = csrf }
        for (name, value) in all {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\nContent-Type: \(contentType)\r\n\r\n".utf8)
        body += file
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        return try await send(.POST, path, raw: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    private func send(_ method: HTTPMethod, _ path: String, body: String?) async throws -> Page {
        try await send(method, path, raw: body.map { Data($0.utf8) }, contentType: body == nil ? nil : "application/x-www-form-urlencoded")
    }

    private func send(_ method: HTTPMethod, _ path: String, raw body: Data?, contentType: String?,
                      accept: String? = nil) async throws -> Page {
        var headers = HTTPHeaders()
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        if let accept { headers.add(name: .accept, value: accept) }
        if !cookies.isEmpty {
            headers.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        var buffer = ByteBuffer()
        if let body, let contentType {
            headers.replaceOrAdd(name: .contentType, value: contentType)
            buffer.writeBytes(body)
        }
        let tester = overTheWire ? try app.testing(method: .running(hostname: "127.0.0.1", port: 0)) : try app.testing()
        let response = try await tester.performTest(
            request: TestingHTTPRequest(method: method, url: URI(string: path), headers: headers, body: buffer))
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || header.contains("Expires=Thu, 01 Jan 1970") { cookies[name] = nil } else { cookies[name] = value }
        }
        let text = response.body.getString(at: response.body.readerIndex, length: response.body.readableBytes) ?? ""
        if let token = Self.firstMatch(in: text, after: "name=\"csrf\" value=\"") {
            csrf = token
        }
        lastBody = text
        return Page(status: response.status, headers: response.headers, body: text)
    }

    static func firstMatch(in text: String, after marker: String) -> String? {
        guard let start = text.range(of: marker) else { return nil }
        let rest = text[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    /// Signs in through the login form; returns the response to the post.
    @discardableResult
    func signIn(_ username: String, _ password: String) async throws -> Page {
        try await get("/login")
        return try await post("/login", ["username": username, "password": password, "next": "/"])
    }

    /// Signs in with a one-time password and replaces it, as the first sign-in requires.
    func signInFirstTime(_ username: String, _ oneTime: String, newPassword: String = "Newpass123") async throws {
        let response = try await signIn(username, oneTime)
        #expect(response.location == "/account/password")
        try await get("/account/password")
        let changed = try await post("/account/password", ["current": oneTime, "new": newPassword, "confirm": newPassword])
        #expect(changed.status == .seeOther, "password change refused: \(changed.body)")
    }
}
