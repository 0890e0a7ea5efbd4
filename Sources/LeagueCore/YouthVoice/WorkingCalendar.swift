/// Working days in China (RULES.md §10): Monday to Friday, except the public holidays the State
/// Council announces each year, plus the weekend days it makes working days (调休上班). The city
/// enters both as data every year; deadlines "within N working days" are counted here.
public struct WorkingCalendar: Sendable, Equatable {
    /// Weekdays that are days off (法定节假日 and the days joined to them).
    public let holidays: Set<CalendarDate>
    /// Saturdays and Sundays that are worked (调休上班).
    public let makeUpWorkdays: Set<CalendarDate>

    public init(holidays: Set<CalendarDate> = [], makeUpWorkdays: Set<CalendarDate> = []) {
        self.holidays = holidays
        self.makeUpWorkdays = makeUpWorkdays
    }

    /// Monday 1 … Sunday 7 (1970-01-01, day number 0, was a Thursday).
    public static func weekday(_ day: CalendarDate) -> Int {
        ((day.dayNumber % 7 + 7 + 3) % 7) + 1
    }

    public func isWorkingDay(_ day: CalendarDate) -> Bool {
        if makeUpWorkdays.contains(day) { return true }
        if holidays.contains(day) { return false }
        return Self.weekday(day) <= 5
    }

    /// The `count`-th working day after `day` (`day` itself not counted, as a hotline counts from
    /// the day after receipt); with 0, `day` itself.
    public func workingDay(_ count: Int, after day: CalendarDate) -> CalendarDate {
        var current = day
        var left = max(0, count)
        // A year without one working day cannot be entered; the guard keeps bad data from looping.
        var guardDays = 3660
        while left > 0 && guardDays > 0 {
            current = current.adding(days: 1)
            if isWorkingDay(current) { left -= 1 }
            guardDays -= 1
        }
        return current
    }

    /// Working days after `start` up to and including `end` (0 when `end` is not later).
    public func workingDays(after start: CalendarDate, through end: CalendarDate) -> Int {
        guard end > start else { return 0 }
        var count = 0
        var current = start.adding(days: 1)
        while current <= end {
            if isWorkingDay(current) { count += 1 }
            current = current.adding(days: 1)
        }
        return count
    }
}
