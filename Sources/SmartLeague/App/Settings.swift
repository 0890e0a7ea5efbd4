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
    /// The folder holding `Resources/` (templates, the shipped plan) and `Public/` (static files).
    public var resourcesDirectory: String
    /// Where relative data paths (`data/smartleague.sqlite`, `data/secret.key`) start.
    public var workingDirectory: String
    /// The secret that seals ID numbers (base64 of 32 bytes); nil: a key file beside the data.
    public var dataKey: String?
    /// The address people reach the site at (`https://tuan.example.cn`), for links that leave
    /// the browser, such as the check-in QR code; never taken from a request's Host header.
    public var publicBaseURL: String
    /// Behind a reverse proxy: the client's address is the last entry of X-Forwarded-For.
    public var trustProxy: Bool
    /// Pages rendered by Leaf alone, not by the templates compiled from what Leaf parsed
    /// (`SMARTLEAGUE_LEAF_ONLY=1`): to measure one against the other, or to rule the compiled
    /// renderer out when a page looks wrong.
    public var leafOnly: Bool

    public init(storage: Storage, bcryptCost: Int = 12, sessionIdleMinutes: Int = 30,
                secureCookies: Bool = false, resourcesDirectory: String, workingDirectory: String? = nil, dataKey: String? = nil,
                publicBaseURL: String = "http://127.0.0.1:8080", trustProxy: Bool = false, leafOnly: Bool = false) {
        self.storage = storage
        self.bcryptCost = bcryptCost
        self.sessionIdleMinutes = sessionIdleMinutes
        self.secureCookies = secureCookies
        self.resourcesDirectory = Self.folder(resourcesDirectory)
        self.workingDirectory = Self.folder(workingDirectory ?? resourcesDirectory)
        self.dataKey = dataKey
        self.publicBaseURL = publicBaseURL
        self.trustProxy = trustProxy
        self.leafOnly = leafOnly
    }

    private static func folder(_ path: String) -> String {
        path.hasSuffix("/") ? path : path + "/"
    }

    /// Where the generated data key lives when `SMARTLEAGUE_DATA_KEY` is unset: beside the SQLite
    /// file, or in `data/` of the working directory.
    var dataKeyFile: String {
        switch storage {
        case .sqlite(let path):
            let absolute = path.hasPrefix("/") ? path : workingDirectory + path
            return (absolute as NSString).deletingLastPathComponent + "/secret.key"
        case .postgres:
            return workingDirectory + "data/secret.key"
        }
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let problems: [String]
        public var description: String {
            "SmartLeague cannot start; fix these:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        }
    }

    /// Files the server cannot serve a page without: their absence stops it at start instead of
    /// answering every page with an error.
    static let requiredResources = ["Resources/Views/base.leaf", "Resources/Plans/2018.txt", "Public/css/app.css"]

    /// The first folder that holds every required resource: `SMARTLEAGUE_RESOURCES` if set (and
    /// only it), else the working directory, the executable's folder and the folders above it
    /// (a build in `.build/release/` finds its checkout).
    static func findResources(configured: String?, workingDirectory: String, executable: String?,
                              exists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> Result<String, Invalid> {
        func holdsAll(_ folder: String) -> Bool { requiredResources.allSatisfy { exists(folder + $0) } }
        if let configured, !configured.isEmpty {
            let folder = Self.folder(configured)
            return holdsAll(folder) ? .success(folder)
                : .failure(Invalid(problems: ["SMARTLEAGUE_RESOURCES=\(configured) does not hold \(requiredResources.joined(separator: ", "))"]))
        }
        var candidates = [Self.folder(workingDirectory)]
        if let executable {
            var url = URL(fileURLWithPath: executable).deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(Self.folder(url.path))
                url.deleteLastPathComponent()
            }
        }
        if let found = candidates.first(where: holdsAll) { return .success(found) }
        return .failure(Invalid(problems: [
            "the templates and static files (\(requiredResources.joined(separator: ", "))) are in none of: "
                + candidates.joined(separator: ", ")
                + "; copy Resources/ and Public/ beside the program or set SMARTLEAGUE_RESOURCES to the folder that holds them",
        ]))
    }

    /// Reads `DATABASE_URL`, `SQLITE_PATH`, `SMARTLEAGUE_DATA_KEY`, `BCRYPT_COST`, `SESSION_IDLE_MINUTES`,
    /// `COOKIE_SECURE`, `SMARTLEAGUE_RESOURCES`, `PUBLIC_BASE_URL`, `TRUST_PROXY`, `SMARTLEAGUE_LEAF_ONLY`.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment,
                                       workingDirectory: String = DirectoryConfiguration.detect().workingDirectory,
                                       executable: String? = Bundle.main.executableURL?.resolvingSymlinksInPath().path) throws -> Settings {
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
        func flag(_ name: String) -> Bool { ["1", "true", "yes"].contains(env[name]?.lowercased() ?? "") }
        let cost = integer("BCRYPT_COST", default: 12, in: 4...16)
        let idle = integer("SESSION_IDLE_MINUTES", default: 30, in: 1...1440)
        var resources = ""
        switch findResources(configured: env["SMARTLEAGUE_RESOURCES"], workingDirectory: workingDirectory, executable: executable) {
        case .success(let folder): resources = folder
        case .failure(let invalid): problems += invalid.problems
        }
        var baseURL = "http://127.0.0.1:8080"
        if let raw = env["PUBLIC_BASE_URL"], !raw.isEmpty {
            if let url = URL(string: raw), ["http", "https"].contains(url.scheme ?? ""), url.host != nil, url.query == nil {
                baseURL = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
            } else {
                problems.append("PUBLIC_BASE_URL must be the site's address such as https://tuan.example.cn, not \(raw)")
            }
        }
        guard problems.isEmpty else { throw Invalid(problems: problems) }
        return Settings(storage: storage, bcryptCost: cost, sessionIdleMinutes: idle, secureCookies: flag("COOKIE_SECURE"),
                        resourcesDirectory: resources, workingDirectory: workingDirectory, dataKey: env["SMARTLEAGUE_DATA_KEY"],
                        publicBaseURL: baseURL, trustProxy: flag("TRUST_PROXY"), leafOnly: flag("SMARTLEAGUE_LEAF_ONLY"))
    }
}

extension Application {
    /// A service `configure(_:settings:)` keeps in the application's storage; asking before it ran
    /// is a programming error, never something a request can cause.
    func configured<Key: StorageKey>(_ key: Key.Type) -> Key.Value {
        guard let value = storage[key] else { fatalError("configure(_:settings:) was not called (\(Key.self))") }
        return value
    }

    private struct SettingsKey: StorageKey { typealias Value = Settings }

    public var settings: Settings {
        get { configured(SettingsKey.self) }
        set { storage[SettingsKey.self] = newValue }
    }
}
