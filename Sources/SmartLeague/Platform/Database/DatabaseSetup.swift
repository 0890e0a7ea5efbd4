import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit
import Vapor

/// Connects Fluent to the embedded SQLite file or to PostgreSQL, as the settings say.
enum DatabaseSetup {
    static func configure(_ app: Application, storage: Settings.Storage) throws {
        switch storage {
        case .sqlite(let path):
            let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: app.directory.workingDirectory))
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            app.databases.use(.sqlite(.file(url.path), sqlLogLevel: .trace), as: .sqlite)
            app.lifecycle.use(SQLiteTuning())
        case .postgres(let url):
            var config = try SQLPostgresConfiguration(url: url)
            if url.contains("sslmode=disable") || !url.contains("sslmode") { config.coreConfiguration.tls = .disable }
            app.databases.use(.postgres(configuration: config, maxConnectionsPerEventLoop: 4,
                                        connectionPoolTimeout: .seconds(20), sqlLogLevel: .trace), as: .psql)
        }
    }
}

/// SQLite settings that do not live in the file: each of the pool's connections (one per event
/// loop) gets a busy timeout, so a second process such as a CLI import waits instead of failing,
/// NORMAL synchronisation, which is safe with the write-ahead log, and a 64 MB page cache, so
/// that inserts into the indexes of a city-sized registry do not reread pages from disk.
struct SQLiteTuning: LifecycleHandler {
    func didBootAsync(_ app: Application) async throws {
        try await tune(app)
    }

    func tune(_ app: Application) async throws {
        let sql = app.db as! any SQLDatabase
        try await sql.raw("PRAGMA journal_mode = WAL").run()
        for loop in app.eventLoopGroup.makeIterator() {
            guard let db = app.databases.database(.sqlite, logger: app.logger, on: loop) else { continue }
            try await db.withConnection { conn in
                let sql = conn as! any SQLDatabase
                try await sql.raw("PRAGMA busy_timeout = 10000").run()
                try await sql.raw("PRAGMA synchronous = NORMAL").run()
                try await sql.raw("PRAGMA cache_size = -65536").run()
                try await sql.raw("PRAGMA temp_store = MEMORY").run()
            }
        }
    }
}

extension Database {
    var sql: any SQLDatabase { self as! any SQLDatabase }

    var isPostgres: Bool { sql.dialect.name == "postgresql" }
}
