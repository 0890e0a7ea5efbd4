import Foundation

/// Five failed sign-ins in a row lock an account for fifteen minutes.
public struct SignInLockout: Equatable, Sendable {
    public static let maximumFailures = 5
    public static let lockDuration: TimeInterval = 15 * 60

    public private(set) var failedAttempts: Int
    public private(set) var lockedUntil: Date?

    public init(failedAttempts: Int = 0, lockedUntil: Date? = nil) {
        self.failedAttempts = failedAttempts
        self.lockedUntil = lockedUntil
    }

    public func isLocked(at now: Date) -> Bool {
        lockedUntil.map { now < $0 } ?? false
    }

    /// Whole minutes left, rounded up, for the message shown to the user.
    public func minutesLeft(at now: Date) -> Int {
        guard let until = lockedUntil, now < until else { return 0 }
        return Int((until.timeIntervalSince(now) / 60).rounded(.up))
    }

    /// Records a failure; returns true when this failure locked the account.
    public mutating func recordFailure(at now: Date) -> Bool {
        if let until = lockedUntil, now >= until {
            lockedUntil = nil
            failedAttempts = 0
        }
        failedAttempts += 1
        if failedAttempts >= Self.maximumFailures {
            lockedUntil = now.addingTimeInterval(Self.lockDuration)
            failedAttempts = 0
            return true
        }
        return false
    }

    public mutating func recordSuccess() {
        failedAttempts = 0
        lockedUntil = nil
    }
}
