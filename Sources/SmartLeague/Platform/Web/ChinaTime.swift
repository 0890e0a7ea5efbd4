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

    /// The day and the minute of the day of an instant in Beijing, worked out from the fixed
    /// offset: a list prints a time on every row, and Foundation's calendar and `String(format:)`
    /// were a fourteenth of 青年之声's queue. Nil outside the years a `CalendarDate` holds, which
    /// the calendar then answers.
    private static func dayAndMinute(_ date: Date) -> (day: CalendarDate, minute: Int)? {
        let seconds = (date.timeIntervalSince1970 + 8 * 3600).rounded(.down)
        guard seconds.isFinite, abs(seconds) < 1e12 else { return nil }
        let whole = Int(seconds)
        let dayNumber = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        guard let day = CalendarDate(dayNumber: dayNumber) else { return nil }
        return (day, (whole - dayNumber * 86_400) / 60)
    }

    static func dateString(_ date: Date) -> String {
        if let day = calendarDay(date) { return day.description }
        let c = components(date)
        return String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }

    /// The calendar day of an instant in Beijing, or nil outside the years a `CalendarDate` holds.
    static func calendarDay(_ date: Date) -> CalendarDate? {
        dayAndMinute(date)?.day
    }

    /// The calendar day of an instant in Beijing; 1970-01-01 outside the years a `CalendarDate`
    /// holds, where the calendar's answer could not be one either.
    static func day(_ date: Date) -> CalendarDate {
        calendarDay(date) ?? CalendarDate(year: 1970, month: 1, day: 1)!
    }

    static func dateTimeString(_ date: Date) -> String {
        guard let (day, minute) = dayAndMinute(date) else {
            let c = components(date)
            return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1, c.hour ?? 0, c.minute ?? 0)
        }
        func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(day.description) \(twoDigits(minute / 60)):\(twoDigits(minute % 60))"
    }

    /// The instant a calendar day begins in Beijing.
    static func startOfDay(_ day: CalendarDate) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!
    }
}
