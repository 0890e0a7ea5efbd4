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
            let file = self.file(path, in: app)
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: file).deletingLastPathComponent(), withIntermediateDirectories: true)
            // Reads on connections of their own beside Fluent's pool (`SQLiteReadingDatabase`);
            // `SMARTLEAGUE_FLUENT_READS=1` leaves them to Fluent, to measure one against the other.
            let fluent = DatabaseConfigurationFactory.sqlite(.file(file), sqlLogLevel: .trace).make()
            if Environment.get("SMARTLEAGUE_FLUENT_READS") == "1" {
                app.databases.use(fluent, as: .sqlite)
            } else {
                app.databases.use(SQLiteReadingConfiguration(fluent: fluent, file: file), as: .sqlite)
            }
            app.lifecycle.use(SQLiteTuning())
        case .postgres(let url):
            var config = try SQLPostgresConfiguration(url: url)
            if url.contains("sslmode=disable") || !url.contains("sslmode") { config.coreConfiguration.tls = .disable }
            app.databases.use(.postgres(configuration: config, maxConnectionsPerEventLoop: connectionsPerEventLoop,
                                        connectionPoolTimeout: .seconds(20), sqlLogLevel: .trace), as: .psql)
        }
    }

    static let connectionsPerEventLoop = 4

    /// Writers at once: one on SQLite (see `Writer`); on PostgreSQL the pool less one connection
    /// per event loop, so that reads always find a connection while a burst of writes waits in the
    /// writer's queue, and long imports leave room for sign-in and the other short writes.
    static func concurrentWriters(_ storage: Settings.Storage) -> Int {
        switch storage {
        case .sqlite: 1
        case .postgres: max(2, System.coreCount * (connectionsPerEventLoop - 1))
        }
    }

    /// How long a write waits for its turn: on SQLite as long as it takes, as before the queue
    /// existed on PostgreSQL; there a minute, three times the pool's own wait.
    static func writerPatience(_ storage: Settings.Storage) -> Duration? {
        switch storage {
        case .sqlite: nil
        case .postgres: .seconds(60)
        }
    }

    private static func file(_ path: String, in app: Application) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: app.settings.workingDirectory)).path
    }

    /// The SQLite file the settings name, absolute, for a connection opened beside Fluent's pool.
    static func sqliteFile(_ app: Application) -> String? {
        guard case .sqlite(let path) = app.settings.storage else { return nil }
        return file(path, in: app)
    }
}

/// SQLite settings that do not live in the file: each of the pool's connections (one per event
/// loop) gets a busy timeout, so a second process such as a CLI import waits instead of failing,
/// NORMAL synchronisation, which is safe with the write-ahead log, and a 32 MB page cache each:
/// the indexes an import writes into stay in memory, and the server under every page's load keeps
/// within 250 MB (with 64 MB a connection it peaked at 309 MB on the 1,000,000-member demo).
struct SQLiteTuning: LifecycleHandler {
    func didBootAsync(_ app: Application) async throws {
        try await tune(app)
    }

    /// Also given to connections opened beside Fluent's pool.
    static let connectionPragmas = ["PRAGMA busy_timeout = 10000", "PRAGMA synchronous = NORMAL",
                                    "PRAGMA cache_size = -32768", "PRAGMA temp_store = MEMORY"]

    /// For a one-off build into an empty file (the demo city), on every connection the build
    /// writes or reads through: a 256 MB page cache, so the indexes of a million members' tables
    /// stay in memory as they grow; no flush to disk at checkpoints — a build cut short is built
    /// again, never served half-made; and a checkpoint every 10,000 pages of log rather than
    /// 1,000, so that a page the build writes again and again is copied into the file less often.
    static let buildPragmas = ["PRAGMA cache_size = -262144", "PRAGMA synchronous = OFF", "PRAGMA wal_autocheckpoint = 10000"]

    func tune(_ app: Application) async throws {
        let sql = app.db as! any SQLDatabase
        try await sql.raw("PRAGMA journal_mode = WAL").run()
        try await Self.apply(Self.connectionPragmas, app)
    }

    /// Runs the pragmas on each of the pool's connections and on the reading and writing ones
    /// beside it (`SQLiteConnections`); nothing on PostgreSQL.
    static func apply(_ pragmas: [String], _ app: Application) async throws {
        guard !app.db.isPostgres else { return }
        for loop in app.eventLoopGroup.makeIterator() {
            guard let db = app.databases.database(.sqlite, logger: app.logger, on: loop) else { continue }
            try await db.withConnection { conn in
                for pragma in pragmas { try await (conn as! any SQLDatabase).raw("\(unsafeRaw: pragma)").run() }
            }
        }
        try (app.db as? SQLiteReadingDatabase)?.connections.apply(pragmas)
    }
}

extension Database {
    var sql: any SQLDatabase { self as! any SQLDatabase }

    var isPostgres: Bool { sql.dialect.name == "postgresql" }
}
