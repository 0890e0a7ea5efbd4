import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import Testing
import Vapor
@testable import SmartLeague

/// Each test gets an application on a database of its own: a fresh SQLite file, or, when
/// `SMARTLEAGUE_TEST_POSTGRES_URL` names a server, a fresh PostgreSQL database on it.
enum TestApp {
    /// Every template of the site, as files under the application's views folder.
    static func templateFiles(_ app: Application) -> [URL] {
        let views = URL(fileURLWithPath: app.directory.viewsDirectory)
        return FileManager.default.enumerator(at: views, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "leaf" } ?? []
    }

    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path + "/"
    }()

    static var postgresAdminURL: String? {
        ProcessInfo.processInfo.environment["SMARTLEAGUE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Runs `body` with a migrated application holding the seeded city; the first administrator
    /// (`admin`) is returned with their one-time password.
    static func run(settings adjust: (inout Settings) -> Void = { _ in },
                    _ body: (Application, Bootstrap.FirstAdministrator) async throws -> Void) async throws {
        let name = "sl_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let storage: Settings.Storage
        if let admin = postgresAdminURL {
            try await postgres(admin, "CREATE DATABASE \(name)")
            storage = .postgres(url: replacingDatabase(in: admin, with: String(name)))
        } else {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("smartleague-tests")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            storage = .sqlite(path: dir.appendingPathComponent("\(name).sqlite").path)
        }
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        do {
            var settings = Settings(storage: storage, bcryptCost: 4, resourcesDirectory: packageRoot,
                                    dataKey: Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString())
            adjust(&settings)
            try configure(app, settings: settings)
            guard let first = try await Bootstrap.prepare(app) else { throw Failure("the city was not founded") }
            try await body(app, first)
        } catch {
            try? await app.asyncShutdown()
            try? await cleanUp(storage, name: String(name))
            throw error
        }
        try await app.asyncShutdown()
        try await cleanUp(storage, name: String(name))
    }

    private static func cleanUp(_ storage: Settings.Storage, name: String) async throws {
        switch storage {
        case .sqlite(let path):
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        case .postgres:
            if let admin = postgresAdminURL { try await postgres(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        }
    }

    private static func replacingDatabase(in url: String, with name: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/" + name
        return components.string!
    }

    /// Runs one statement on the server's maintenance database.
    private static func postgres(_ url: String, _ statement: String) async throws {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        do {
            var config = try SQLPostgresConfiguration(url: url)
            config.coreConfiguration.tls = .disable
            app.databases.use(.postgres(configuration: config), as: .psql)
            try await (app.db as! any SQLDatabase).raw(SQLQueryString(statement)).run()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
