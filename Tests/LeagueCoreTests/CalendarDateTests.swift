import LeagueCore
import Testing

/// Day numbers count the days of the calendar the league keeps: each day is one more than the one
/// before, across months, leap days and centuries, and turn back into the same date.
@Suite struct CalendarDateTests {
    @Test func dayNumbersFollowTheCalendarDayByDay() throws {
        var day = try #require(CalendarDate(year: 1900, month: 1, day: 1))
        #expect(day.dayNumber == -25_567)
        #expect(CalendarDate(year: 1970, month: 1, day: 1)?.dayNumber == 0)
        let end = try #require(CalendarDate(year: 2101, month: 3, day: 1))
        while day < end {
            let next = day.next
            #expect(next.dayNumber == day.dayNumber + 1, "\(day)")
            #expect(CalendarDate(dayNumber: day.dayNumber) == day)
            day = next
        }
        #expect(CalendarDate(year: 2024, month: 2, day: 28)?.adding(days: 2).description == "2024-03-01")
        #expect(CalendarDate(year: 2026, month: 1, day: 3)?.adding(days: -3).description == "2025-12-31")
        #expect(CalendarDate(dayNumber: 10_000_000) == nil)
    }
}
