import Fluent
import NIOConcurrencyHelpers
import Leaf
import Vapor

/// Sets up an application: database, migrations, views, middleware, routes and commands.
public func configure(_ app: Application, settings: Settings) throws {
    let missing = Settings.requiredResources.filter { !FileManager.default.fileExists(atPath: settings.resourcesDirectory + $0) }
    guard missing.isEmpty else {
        throw Settings.Invalid(problems: ["\(settings.resourcesDirectory) does not hold \(missing.joined(separator: ", "))"])
    }
    app.settings = settings
    try DatabaseSetup.configure(app, storage: settings.storage)
    app.vault = PersonalDataVault(secret: try PersonalDataVault.loadSecret(environment: settings.dataKey, file: settings.dataKeyFile))
    app.passwordDecoy = NIOLockedValueBox(nil)
    app.writer = Writer(serialised: { if case .sqlite = settings.storage { true } else { false } }())
    Migrations.register(on: app)
    // Batched session reads and batched completion writes on different connections, so that a
    // read does not wait behind a write: on SQLite the completions have a connection of their own
    // (`SQLiteDirect`), on PostgreSQL the pool of the last event loop.
    let loops = Array(app.eventLoopGroup.makeIterator())
    app.sessionLookup = SessionStore.lookup(db: app.databases.database(logger: app.logger, on: loops.first!)!)
    app.completionRecorder = CompletionRecorder.make(store: try DatabaseSetup.completionStore(app, storage: settings.storage, on: loops.last!),
                                                     writer: app.writer, idleMinutes: settings.sessionIdleMinutes)
    app.episodes = EpisodeCache()

    app.directory.viewsDirectory = settings.resourcesDirectory + "Resources/Views/"
    app.directory.publicDirectory = settings.resourcesDirectory + "Public/"
    app.views.use(.leaf)
    app.leaf.configuration.rootDirectory = app.directory.viewsDirectory
    app.leaf.cache.isEnabled = app.environment != .development

    app.routes.defaultMaxBodySize = BodyLimits.forms
    app.middleware = Middlewares()
    app.middleware.use(SecurityHeaders())
    app.middleware.use(ErrorPages())
    app.middleware.use(InputHygiene())
    app.middleware.use(StaticFiles(publicDirectory: app.directory.publicDirectory))

    try routes(app)
    Commands.register(on: app)
}

enum Migrations {
    static func register(on app: Application) {
        app.migrations.add(CreateOrganizations())
        app.migrations.add(CreateAccounts())
        app.migrations.add(CreateSessions())
        app.migrations.add(CreateAuditEntries())
        app.migrations.add(CreateChangeRequests())
        app.migrations.add(CreateMembers())
        app.migrations.add(CreateMemberStats())
        app.migrations.add(CreateMemberImportUploads())
        app.migrations.add(AddMemberToAccounts())
        app.migrations.add(CreateWorkPlans())
        app.migrations.add(CreateTaskAssignments())
        app.migrations.add(CreateRegistries())
        app.migrations.add(CreateTaskTargets())
        app.migrations.add(CreateAttachments())
        app.migrations.add(AddTargetGrowth())
        app.migrations.add(CreateEvaluations())
        app.migrations.add(CreateStudy())
        app.migrations.add(CreateOrgLife())
        app.migrations.add(CreateCadres())
        app.migrations.add(CreateGrading())
        app.migrations.add(CreateAdmission())
        app.migrations.add(CreateDues())
        app.migrations.add(CreateTransfers())
        app.migrations.add(AddMemberLeaving())
        app.migrations.add(CreateLeavingRequests())
        app.migrations.add(CreateReviews())
        app.migrations.add(CreateGraduatingClasses())
        app.migrations.add(CreateVolunteering())
        app.migrations.add(CreateContests())
        app.migrations.add(AddStudyCountTrigger())
        app.migrations.add(CreateRateCounters())
        app.migrations.add(RetireAccountLockout())
        app.migrations.add(CreateVolunteerIdentityChecks())
        app.migrations.add(IndexAuditByActor())
        app.migrations.add(CreateTransferRequests())
    }
}
