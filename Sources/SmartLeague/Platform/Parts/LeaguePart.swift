import Fluent
import NIOCore
import LeagueCore
import NIOConcurrencyHelpers
import Vapor

/// One part of the league's work (团员, 转接, 志愿服务 …) as the platform sees it: what it adds to the
/// schema, its pages, the columns where its rows keep a unit's path, and how it takes part when
/// units and members move. A part lives in one folder and is listed once in `LeagueParts.all`;
/// nothing in Platform names a part.
protocol LeaguePart: Sendable {
    /// Schema changes, oldest first; a shipped migration is never edited.
    var migrations: [any Migration] { get }

    /// Puts the part's pages on the route groups the platform prepared.
    func routes(_ routes: PartRoutes) throws

    /// Every column where a row of the part keeps a unit's path, and what the row does when its
    /// unit moves or merges or its member moves (`UnitPathColumn`).
    var unitPathColumns: [UnitPathColumn] { get }

    /// Commands of the `smartleague` program (`smartleague NAME`).
    var commands: [String: any AnyAsyncCommand] { get }

    /// Sets up what the part keeps in the application (caches, batchers), after the database.
    func configure(_ app: Application) throws

    /// The city was just founded (an empty database), inside the founding transaction.
    func cityFounded(_ app: Application, root: Organization, _ change: ChangeContext, on db: any Database) async throws

    /// What of the part still sits in the unit (e.g. "3 名团员"): a unit with any is not dissolved.
    func contents(of unit: Organization, on db: any Database) async throws -> [String]

    /// A subtree moved from below `oldParent` to below `newParent`, after its paths were rewritten.
    func unitMoved(_ unit: Organization, from oldParent: TreePath, to newParent: TreePath, on db: any Database) async throws

    /// A branch merges into another, before its ongoing work passes on (`UnitPathColumn`).
    func unitMerging(_ source: Organization, into target: Organization, _ change: ChangeContext, on db: any Database) async throws

    /// Members with these ids now belong to `branch`, after the columns that follow members moved.
    func membersRelocated(_ ids: [Int], to branch: Organization, on db: any Database) async throws

    /// The part that keeps member records answers for them (`MemberDirectory`).
    var memberDirectory: (any MemberDirectory)? { get }

    /// The part's links in the site's menu, each for the people it serves.
    var menu: [MenuEntry] { get }

    /// What the part adds to the demo city once its members are in (`DemoFill`).
    var demo: DemoFill? { get }

    /// Work the server repeats while it runs, such as reporting overdue items to the level above.
    var periodic: [PeriodicTask] { get }

    /// Figures of the part that the yearly evaluation (四位一体) may score a unit by.
    var indicators: [ComputedIndicator] { get }
}

/// A figure a part computes for a unit and a year, scored 0–100, for the yearly evaluation.
struct ComputedIndicator: Sendable {
    let source: IndicatorSource
    let label: String
    /// `today` is the server's clock, for what is overdue.
    let score: @Sendable (_ year: Int, _ unitID: Int, _ today: CalendarDate, _ db: any Database) async throws -> Int
}

/// A piece of a part's work the server runs every `every` while it serves, in its own transaction.
struct PeriodicTask: Sendable {
    let name: String
    let every: TimeAmount
    let run: @Sendable (Application) async throws -> Void

    /// Starts every part's tasks; a failed run is logged and the next one comes as planned.
    static func scheduleAll(on app: Application) {
        for task in PartRegistry.parts.flatMap(\.periodic) {
            app.eventLoopGroup.next().scheduleRepeatedAsyncTask(initialDelay: .minutes(1), delay: task.every) { _ in
                app.eventLoopGroup.next().makeFutureWithTask {
                    do { try await task.run(app) } catch { app.logger.error("\(task.name): \(String(reflecting: error))") }
                }
            }
        }
    }
}

extension LeaguePart {
    var migrations: [any Migration] { [] }
    func routes(_ routes: PartRoutes) throws {}
    var unitPathColumns: [UnitPathColumn] { [] }
    var commands: [String: any AnyAsyncCommand] { [:] }
    func configure(_ app: Application) throws {}
    func cityFounded(_ app: Application, root: Organization, _ change: ChangeContext, on db: any Database) async throws {}
    func contents(of unit: Organization, on db: any Database) async throws -> [String] { [] }
    func unitMoved(_ unit: Organization, from oldParent: TreePath, to newParent: TreePath, on db: any Database) async throws {}
    func unitMerging(_ source: Organization, into target: Organization, _ change: ChangeContext, on db: any Database) async throws {}
    func membersRelocated(_ ids: [Int], to branch: Organization, on db: any Database) async throws {}
    var memberDirectory: (any MemberDirectory)? { nil }
    var menu: [MenuEntry] { [] }
    var demo: DemoFill? { nil }
    var periodic: [PeriodicTask] { [] }
    var indicators: [ComputedIndicator] { [] }
}

/// The route groups a part puts its pages on, each behind the checks its people need.
struct PartRoutes {
    let app: Application
    /// Anyone; the session is read when there is one (public pages, sign-in).
    let visitors: any RoutesBuilder
    /// Anyone signed in, volunteers included.
    let signedIn: any RoutesBuilder
    /// Members and cadres: the league's own business.
    let league: any RoutesBuilder
    /// Administrators of a unit.
    let administrators: any RoutesBuilder
    /// The middleware behind `league`, for a part that puts a faster path in front of it.
    let leagueMiddleware: [any Middleware]
}

/// The parts this process runs, installed once by `configure`. Moves, merges and relocations
/// read it to let every part take part; writes reach it without an application at hand.
enum PartRegistry {
    private static let installed = NIOLockedValueBox<(parts: [any LeaguePart], menu: Menu)>(([], Menu([])))

    static func install(_ parts: [any LeaguePart]) {
        let menu = Menu(PlatformTables.menu + parts.flatMap(\.menu))
        installed.withLockedValue { $0 = (parts, menu) }
    }

    static var parts: [any LeaguePart] { installed.withLockedValue { $0.parts } }

    /// The site's menu, from the platform's links and every part's.
    static var menu: Menu { installed.withLockedValue { $0.menu } }

    /// Member records, from the part that keeps them.
    static var memberDirectory: (any MemberDirectory)? { parts.lazy.compactMap(\.memberDirectory).first }

    /// The figures the parts offer the yearly evaluation.
    static var indicators: [ComputedIndicator] { parts.flatMap(\.indicators) }

    /// Every declared path column of every part, with the platform's own.
    static var unitPathColumns: [UnitPathColumn] { PlatformTables.unitPathColumns + parts.flatMap(\.unitPathColumns) }
}
