import Crypto
import Foundation
import LeagueCore

/// The 6-digit check-in code an organiser shows (as digits and as a QR image): derived from the
/// post's secret and the current minute, so a code photographed and sent on stops working a
/// minute later. The code of the minute before is still taken, for a volunteer who typed slowly.
enum CheckInCode {
    static let period: TimeInterval = 60

    static func code(secret: String, at date: Date) -> String {
        code(secret: secret, window: Int(date.timeIntervalSince1970 / period))
    }

    private static func code(secret: String, window: Int) -> String {
        let mac = Array(HMAC<SHA256>.authenticationCode(for: Data(String(window).utf8), using: SymmetricKey(data: Data(secret.utf8))))
        let number = mac.prefix(4).reduce(0) { $0 << 8 | Int($1) } % 1_000_000
        return String(format: "%06d", number)
    }

    static func accepts(_ typed: String, secret: String, at date: Date) -> Bool {
        let window = Int(date.timeIntervalSince1970 / period)
        let typed = typed.trimmingCharacters(in: .whitespaces)
        return typed.count == 6 && [window, window - 1].contains { code(secret: secret, window: $0) == typed }
    }

    /// Seconds until the code shown now changes.
    static func secondsLeft(at date: Date) -> Int {
        Int(period) - Int(date.timeIntervalSince1970) % Int(period)
    }

    /// The link a phone opens by scanning: the configured public address, never the Host header
    /// a request happened to carry, with the current code.
    static func link(publicBaseURL: String, post: VolunteerPost, at date: Date) -> String {
        publicBaseURL + VolunteerRoute.checkIn.url(query: [("post", post.id.map(String.init)), ("code", code(secret: post.codeSecret, at: date))])
    }
}
