import Fluent
import NIOConcurrencyHelpers
import Leaf
import LeafKit
import Vapor

/// Sets up an application: database, views, middleware, and the platform with every part's
/// migrations, routes, services and commands (`LeagueParts.all`).
public func configure(_ app: Application, settings: Settings) throws {
    try configure(app, settings: settings, parts: LeagueParts.all)
}

func configure(_ app: Application, settings: Settings, parts: [any LeaguePart]) throws {
    let missing = Settings.requiredResources.filter { !FileManager.default.fileExists(atPath: settings.resourcesDirectory + $0) }
    guard missing.isEmpty else {
        throw Settings.Invalid(problems: ["\(settings.resourcesDirectory) does not hold \(missing.joined(separator: ", "))"])
    }
    app.settings = settings
    PartRegistry.install(parts)
    try DatabaseSetup.configure(app, storage: settings.storage)
    app.vault = PersonalDataVault(secret: try PersonalDataVault.loadSecret(environment: settings.dataKey, file: settings.dataKeyFile))
    app.passwordDecoy = NIOLockedValueBox(nil)
    app.writer = Writer(concurrentWriters: DatabaseSetup.concurrentWriters(settings.storage),
                        patience: DatabaseSetup.writerPatience(settings.storage))
    for migration in PlatformTables.migrations + parts.flatMap(\.migrations) { app.migrations.add(migration) }
    // Sessions are looked up in batches, each event loop's on its own connections.
    app.sessionLookup = try SessionLookups(app)
    app.publicPages = PublicPageCache()
    app.unitTypeCounts = TreeFigures(capacity: 10_000)
    for part in parts { try part.configure(app) }

    app.directory.viewsDirectory = settings.resourcesDirectory + "Resources/Views/"
    app.directory.publicDirectory = settings.resourcesDirectory + "Public/"
    app.leaf.configuration.rootDirectory = app.directory.viewsDirectory
    TemplateCache.useLeaf(on: app, keepingParsedTemplates: TemplateCache.isEnabled(environment: app.environment, debugBuild: TemplateCache.isDebugBuild),
                          compiling: !settings.leafOnly)

    app.routes.defaultMaxBodySize = BodyLimits.forms
    app.middleware = Middlewares()
    app.middleware.use(SecurityHeaders())
    app.middleware.use(ErrorPages())
    app.middleware.use(InputHygiene())
    app.middleware.use(StaticFiles(publicDirectory: app.directory.publicDirectory))

    try routes(app, parts: parts)
    Commands.register(on: app, parts: parts)
}

/// Whether parsed templates are kept between requests. Vapor's environment is `development` unless
/// `--env` says otherwise, so the README's `swift run -c release smartleague serve` ran without the
/// cache and read, lexed and parsed every template from disk on every request (a branch page served
/// about a third of its cached rate). Only a debug build in development reloads them, for someone
/// editing templates.
enum TemplateCache {
    /// Leaf renders the pages, keeping parsed templates when told to. Leaf's own provider
    /// (`views.use(.leaf)`) switches its cache off whenever the environment is development, on
    /// every render and whatever was set, so this builds the renderer from the same parts itself.
    /// The pages then render through `PageTemplates`, which compiles what Leaf keeps.
    static func useLeaf(on app: Application, keepingParsedTemplates keep: Bool, compiling: Bool = true,
                        checkingCompiledPages check: Bool = isDebugBuild) {
        app.leaf.cache.isEnabled = keep
        app.leaf.tags["url"] = SiteURLTag()
        app.views.use { app in
            LeafRenderer(configuration: app.leaf.configuration, tags: app.leaf.tags, cache: app.leaf.cache,
                         sources: app.leaf.sources, eventLoop: app.eventLoopGroup.next(), userInfo: ["application": app])
        }
        PageTemplates.use(on: app, compiling: compiling && keep, checkingAgainstLeaf: check)
    }

    /// How many parsed templates the renderer keeps.
    static func keptTemplates(_ app: Application) -> Int { app.leaf.cache.count }

    static func isEnabled(environment: Environment, debugBuild: Bool) -> Bool {
        !(debugBuild && environment == .development)
    }

    static var isDebugBuild: Bool {
        #if DEBUG
        true
        #else
        false
        #endif
    }
}
