/// A date of the league's calendar (a meeting day, a founding day), without time or zone:
/// stored and shown as YYYY-MM-DD, compared as that text.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2200).contains(year), (1...12).contains(month),
              (1...Self.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads YYYY-MM-DD, ASCII digits only. Split as bytes, not characters: the statistics page reads
    /// some thousands of dates a request, and splitting the text into characters cost more than the rest.
    public init?(_ text: String) {
        let parts = text.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = ASCIIDigits.number(Substring(parts[0])), let m = ASCIIDigits.number(Substring(parts[1])),
              let d = ASCIIDigits.number(Substring(parts[2])) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var description: String {
        "\(ASCIIDigits.padded(year, to: 4))-\(ASCIIDigits.padded(month, to: 2))-\(ASCIIDigits.padded(day, to: 2))"
    }

    public static func < (a: Self, b: Self) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

extension CalendarDate {
    /// The same day `months` later (earlier, when negative), or that month's last day
    /// (31 August plus six months is the last day of February).
    public func adding(months: Int) -> CalendarDate {
        var month = self.month + months, year = self.year
        while month > 12 { month -= 12; year += 1 }
        while month < 1 { month += 12; year -= 1 }
        return CalendarDate(year: year, month: month, day: min(day, CalendarDate.daysIn(month: month, year: year)))!
    }
}

extension CalendarDate {
    /// Days since 1970-01-01 (negative before), by the proleptic Gregorian calendar.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day number, or nil outside the years a `CalendarDate` holds.
    public init?(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// The day `days` later (earlier, when negative), kept within the years a `CalendarDate` holds.
    public func adding(days: Int) -> CalendarDate {
        CalendarDate(dayNumber: dayNumber + days) ?? self
    }
}
