import LeagueCore
import NIOConcurrencyHelpers
import Vapor

/// The time as the application sees it; tests move it forward to expire sessions and locks.
public final class AppClock: Sendable {
    private let offset = NIOLockedValueBox<TimeInterval>(0)

    public init() {}

    public func now() -> Date { Date().addingTimeInterval(offset.withLockedValue { $0 }) }

    public func advance(by seconds: TimeInterval) {
        offset.withLockedValue { $0 += seconds }
    }
}

extension Application {
    private struct ClockKey: StorageKey { typealias Value = AppClock }

    public var clock: AppClock {
        if let clock = storage[ClockKey.self] { return clock }
        let clock = AppClock()
        storage[ClockKey.self] = clock
        return clock
    }
}

extension Request {
    var now: Date { application.clock.now() }
    /// Today in China, where the league's dates are kept.
    var today: CalendarDate { ChinaTime.day(now) }
}
