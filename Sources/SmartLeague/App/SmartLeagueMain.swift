import Fluent
import Logging
import Vapor

/// The `smartleague` program: `serve` (the default) prepares the database first; `migrate`,
/// `create-admin` and `purge-sessions` are the other commands, each with `--help`.
public enum SmartLeagueMain {
    public static func run() async {
        var env: Environment
        do { env = try Environment.detect() } catch {
            print("\(error)")
            exit(2)
        }
        do { try LoggingSystem.bootstrap(from: &env) } catch { print("\(error)") }
        let settings: Settings
        do { settings = try Settings.fromEnvironment() } catch {
            print("\(error)")
            exit(2)
        }
        let app: Application
        do { app = try await Application.make(env) } catch {
            print("\(error)")
            exit(1)
        }
        var status: Int32 = 0
        do {
            try configure(app, settings: settings)
            let command = env.arguments.dropFirst().first
            if command == nil || command == "serve" {
                if let admin = try await Bootstrap.prepare(app) { print(Bootstrap.banner(admin)) }
                SessionPurge.schedule(on: app)
                PeriodicTask.scheduleAll(on: app)
            }
            try await app.execute()
        } catch let exit as ExitCode {
            status = exit.code
        } catch {
            app.logger.report(error: error)
            status = 1
        }
        try? await app.asyncShutdown()
        exit(status)
    }
}

/// Idle sessions are deleted every five minutes while the server runs.
enum SessionPurge {
    static func schedule(on app: Application) {
        app.eventLoopGroup.next().scheduleRepeatedAsyncTask(initialDelay: .minutes(1), delay: .minutes(5)) { _ in
            app.eventLoopGroup.next().makeFutureWithTask {
                _ = try? await app.writer.write(app.db) { db in
                    try await SessionStore.purgeExpired(now: app.clock.now(), idleMinutes: app.settings.sessionIdleMinutes, on: db)
                }
            }
        }
    }
}
