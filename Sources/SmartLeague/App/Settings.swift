import Vapor

/// Everything the environment decides, read once at start-up and checked, so that a wrong value
/// stops the program with a list of what to fix instead of failing later.
public struct Settings: Sendable {
    public enum Storage: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String)
    }

    public var storage: Storage
    /// Cost of bcrypt hashes; lowered only by tests.
    public var bcryptCost: Int
    public var sessionIdleMinutes: Int
    /// Send cookies with `Secure`, for deployments behind HTTPS.
    public var secureCookies: Bool
    /// Leaf views and public files; default: below the working directory.
    public var resourcesDirectory: String
    /// The secret that seals ID numbers (base64 of 32 bytes); nil: a key file beside the data.
    public var dataKey: String?

    public init(storage: Storage, bcryptCost: Int = 12, sessionIdleMinutes: Int = 30,
                secureCookies: Bool = false, resourcesDirectory: String, dataKey: String? = nil) {
        self.storage = storage
        self.bcryptCost = bcryptCost
        self.sessionIdleMinutes = sessionIdleMinutes
        self.secureCookies = secureCookies
        self.resourcesDirectory = resourcesDirectory
        self.dataKey = dataKey
    }

    /// Where the generated data key lives when `SMARTLEAGUE_DATA_KEY` is unset: beside the SQLite
    /// file, or in `data/` of the working directory.
    var dataKeyFile: String {
        switch storage {
        case .sqlite(let path):
            let absolute = path.hasPrefix("/") ? path : resourcesDirectory + path
            return (absolute as NSString).deletingLastPathComponent + "/secret.key"
        case .postgres:
            return resourcesDirectory + "data/secret.key"
        }
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let problems: [String]
        public var description: String {
            "SmartLeague cannot start; fix these environment variables:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        }
    }

    /// Reads `DATABASE_URL`, `SQLITE_PATH`, `SMARTLEAGUE_DATA_KEY`, `BCRYPT_COST`, `SESSION_IDLE_MINUTES`, `COOKIE_SECURE`.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment,
                                       workingDirectory: String = DirectoryConfiguration.detect().workingDirectory) throws -> Settings {
        var problems: [String] = []
        let storage: Storage
        if let url = env["DATABASE_URL"], !url.isEmpty {
            if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
                storage = .postgres(url: url)
            } else {
                problems.append("DATABASE_URL must start with postgres:// (leave it unset for the embedded SQLite file)")
                storage = .sqlite(path: "")
            }
        } else {
            storage = .sqlite(path: env["SQLITE_PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? "data/smartleague.sqlite")
        }
        func integer(_ name: String, default value: Int, in range: ClosedRange<Int>) -> Int {
            guard let raw = env[name], !raw.isEmpty else { return value }
            guard let parsed = Int(raw), range.contains(parsed) else {
                problems.append("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(raw)")
                return value
            }
            return parsed
        }
        let cost = integer("BCRYPT_COST", default: 12, in: 4...16)
        let idle = integer("SESSION_IDLE_MINUTES", default: 30, in: 1...1440)
        let secure = ["1", "true", "yes"].contains(env["COOKIE_SECURE"]?.lowercased() ?? "")
        guard problems.isEmpty else { throw Invalid(problems: problems) }
        let directory = workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/"
        return Settings(storage: storage, bcryptCost: cost, sessionIdleMinutes: idle,
                        secureCookies: secure, resourcesDirectory: directory, dataKey: env["SMARTLEAGUE_DATA_KEY"])
    }
}

extension Application {
    private struct SettingsKey: StorageKey { typealias Value = Settings }

    public var settings: Settings {
        get {
            guard let settings = storage[SettingsKey.self] else { fatalError("configure(_:settings:) was not called") }
            return settings
        }
        set { storage[SettingsKey.self] = newValue }
    }
}
