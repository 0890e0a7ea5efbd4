import Foundation
import NIOCore
import NIOPosix

extension SmartLeagueMain {
    /// Runs Swift concurrency's tasks on the server's event loops, SwiftNIO's own take-over of the
    /// global executor (Vapor uses that same group of loops). A request's handler then starts on the
    /// loop that read the request and awaits its queries, renders and answers there, instead of
    /// handing each step between Swift's thread pool and the loop: on two cores those hand-overs
    /// cost a branch's pages more than their SQL (decision 016). Nothing here blocks a task on a
    /// future (`wait()`), which the take-over forbids. Password hashing and the demo's drawing of
    /// members run on NIO's thread pool; SQLite reads and the statements of the `Writer`'s
    /// transactions run on the loop itself (`SQLiteReadingDatabase`, `SQLiteWritingTransaction`),
    /// so a slow read holds its loop, and a long write lets it turn every few milliseconds.
    ///
    /// Must be called first in a program, on its main thread, before any task starts.
    /// `SMARTLEAGUE_TASKS_ON_EVENT_LOOPS=0` keeps Swift's own pool, to measure one against the other.
    @discardableResult
    public static func runTasksOnEventLoops() -> Bool {
        guard ProcessInfo.processInfo.environment["SMARTLEAGUE_TASKS_ON_EVENT_LOOPS"] != "0" else { return false }
        return NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
