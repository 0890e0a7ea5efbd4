import Fluent
import LeagueCore
import Vapor

enum Commands {
    static func register(on app: Application, parts: [any LeaguePart]) {
        // Replaces Fluent's interactive `migrate`: this one also founds the city on an empty database.
        app.asyncCommands.use(MigrateAndFoundCommand(), as: "migrate")
        app.asyncCommands.use(CreateAdministratorCommand(), as: "create-admin")
        app.asyncCommands.use(PurgeSessionsCommand(), as: "purge-sessions")
        for part in parts {
            for (name, command) in part.commands { app.asyncCommands.use(command, as: name) }
        }
    }
}

/// `smartleague migrate`: brings the schema up to date without asking, as `serve` does at start.
struct MigrateAndFoundCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Brings the database schema up to date; on an empty database founds the city and its first administrator." }

    func run(using context: CommandContext, signature: Signature) async throws {
        if let admin = try await Bootstrap.prepare(context.application) {
            context.console.print(Bootstrap.banner(admin))
        } else {
            context.console.print("The database is up to date.")
        }
    }
}

/// `smartleague create-admin --unit 330203 --username haishu --name 海曙区管理员`
struct CreateAdministratorCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "unit", short: "u", help: "The unit's code or full name (e.g. 330203)")
        var unit: String?
        @Option(name: "username", help: "Sign-in name: 3-32 lowercase letters, digits, . _ -")
        var username: String?
        @Option(name: "name", short: "n", help: "Display name (defaults to the username)")
        var name: String?
    }

    var help: String { "Creates an administrator of a unit and prints a one-time password." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if let admin = try await Bootstrap.prepare(app) { context.console.print(Bootstrap.banner(admin)) }
        guard let key = signature.unit, let rawUsername = signature.username else {
            context.console.error("Both --unit and --username are required; see --help.")
            throw ExitCode(2)
        }
        let username: String
        do { username = try Username.check(rawUsername) } catch {
            context.console.error(error.message)
            throw ExitCode(2)
        }
        guard let unit = try await Scope.unrestricted.activeOrganization(codeOrName: key, on: app.db) else {
            context.console.error("No active unit has the code or name \(key).")
            throw ExitCode(2)
        }
        let password = PasswordPolicy.generateOneTime()
        let hash = try await Passwords.hash(password, app: app)
        let change = ChangeContext(scope: .unrestricted, actor: .commandLine(), now: app.clock.now())
        let new = AccountWrites.NewAccount(username: username, displayName: signature.name ?? username,
                                           kind: .administrator, unitID: unit.id!)
        do {
            _ = try await app.writer.write(app.db) { db in try await AccountWrites.create(new, passwordHash: hash, change, on: db) }
        } catch let refusal as Refusal {
            context.console.error(refusal.message)
            throw ExitCode(1)
        }
        context.console.print("已为「\(unit.name)」创建管理员 \(username)")
        context.console.print("一次性密码: \(password)(首次登录须修改)")
    }
}

/// Deletes idle sessions; the server also does this every few minutes while it runs.
struct PurgeSessionsCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Deletes sessions idle for longer than SESSION_IDLE_MINUTES." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let removed = try await app.writer.write(app.db) { db in
            try await SessionStore.purgeExpired(now: app.clock.now(), idleMinutes: app.settings.sessionIdleMinutes, on: db)
        }
        context.console.print("Removed \(removed) expired session(s).")
    }
}

/// Ends a command with a status after it has printed its own message.
struct ExitCode: Error, CustomStringConvertible {
    let code: Int32
    init(_ code: Int32) { self.code = code }
    var description: String { "exit status \(code)" }
}
