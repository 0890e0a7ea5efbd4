import Foundation
import LeagueCore

/// The league's calendar runs on Beijing time, which has had no daylight saving since 1991,
/// so a fixed offset is exact and needs no time-zone database on the server.
enum ChinaTime {
    static let zone = TimeZone(secondsFromGMT: 8 * 3600)!

    private static func components(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }

    static func dateString(_ date: Date) -> String {
        let c = components(date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    /// The calendar day of an instant in Beijing.
    static func day(_ date: Date) -> CalendarDate {
        let c = components(date)
        return CalendarDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1) ?? CalendarDate(year: 1970, month: 1, day: 1)!
    }

    static func dateTimeString(_ date: Date) -> String {
        let c = components(date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    /// The instant a calendar day begins in Beijing.
    static func startOfDay(_ day: CalendarDate) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!
    }
}
