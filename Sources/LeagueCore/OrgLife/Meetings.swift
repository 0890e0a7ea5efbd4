/// 三会一课: the meetings and lessons a branch holds (RULES.md §7).
public enum MeetingKind: String, Codable, Sendable, CaseIterable {
    /// 支部大会, about once a quarter.
    case generalMeeting
    /// 支委会, about monthly.
    case committeeMeeting
    /// 团小组会, as needed.
    case groupMeeting
    /// 团课, at least quarterly.
    case lesson

    public var label: String {
        switch self {
        case .generalMeeting: "支部大会"
        case .committeeMeeting: "支委会"
        case .groupMeeting: "团小组会"
        case .lesson: "团课"
        }
    }

    /// The cadence a new installation starts from; the city may change it.
    public var defaultCadence: Cadence {
        switch self {
        case .generalMeeting, .lesson: .quarterly
        case .committeeMeeting: .monthly
        case .groupMeeting: .asNeeded
        }
    }
}

/// How often a kind of meeting is due.
public enum Cadence: String, Codable, Sendable, CaseIterable {
    case monthly, quarterly, yearly, asNeeded

    public var label: String {
        switch self {
        case .monthly: "每月至少一次"
        case .quarterly: "每季度至少一次"
        case .yearly: "每年至少一次"
        case .asNeeded: "根据需要"
        }
    }

    /// The period a date falls in, as a sortable key: "2026-03", "2026-Q1", "2026".
    public func period(of date: CalendarDate) -> String? {
        switch self {
        case .monthly: String(format2(date.year, date.month))
        case .quarterly: "\(date.year)-Q\((date.month - 1) / 3 + 1)"
        case .yearly: "\(date.year)"
        case .asNeeded: nil
        }
    }

    /// The periods that have ended or are under way from `start` to `end`, both included.
    public func periods(from start: CalendarDate, to end: CalendarDate) -> [String] {
        guard self != .asNeeded, start <= end else { return [] }
        var result: [String] = []
        var year = start.year, month = start.month
        while (year, month) <= (end.year, end.month) {
            if let key = period(of: CalendarDate(year: year, month: month, day: 1)!), result.last != key { result.append(key) }
            month += 1
            if month > 12 { month = 1; year += 1 }
        }
        return result
    }

    /// “2026年3月”, “2026年第1季度”, “2026年”
    public static func label(ofPeriod key: String) -> String {
        let parts = key.split(separator: "-")
        if parts.count == 2, parts[1].hasPrefix("Q") { return "\(parts[0])年第\(parts[1].dropFirst())季度" }
        if parts.count == 2, let month = Int(parts[1]) { return "\(parts[0])年\(month)月" }
        return "\(key)年"
    }

    private func format2(_ year: Int, _ month: Int) -> String {
        "\(year)-\(month < 10 ? "0" : "")\(month)"
    }
}

/// Whether a branch kept the cadence: per kind, the periods due and those without a meeting.
public struct Compliance: Sendable, Hashable {
    public struct Item: Sendable, Hashable, Codable {
        public let kind: MeetingKind
        public let due: Int
        public let missing: [String]
        public var met: Int { due - missing.count }
    }

    public let items: [Item]

    /// A compliance worked out before (and kept).
    public init(items: [Item]) {
        self.items = items
    }

    /// - Parameters:
    ///   - held: the dates of the branch's meetings, by kind.
    ///   - from: the later of the start of the window and the day the branch was set up.
    ///   - to: the end of the window (today, for the current year).
    public init(held: [MeetingKind: [CalendarDate]], cadence: [MeetingKind: Cadence], from: CalendarDate, to: CalendarDate) {
        items = MeetingKind.allCases.compactMap { kind in
            let rule = cadence[kind] ?? kind.defaultCadence
            let due = rule.periods(from: from, to: to)
            guard !due.isEmpty else { return nil }
            let covered = Set((held[kind] ?? []).compactMap { $0 >= from && $0 <= to ? rule.period(of: $0) : nil })
            return Item(kind: kind, due: due.count, missing: due.filter { !covered.contains($0) })
        }
    }

    public var due: Int { items.reduce(0) { $0 + $1.due } }
    public var met: Int { items.reduce(0) { $0 + $1.met } }

    /// Share of due periods kept, in whole percent; nothing due is full marks.
    public var percent: Int { due == 0 ? 100 : met * 100 / due }

    /// Below 60% a branch is flagged for the level above to follow up.
    public var isLagging: Bool { percent < 60 }
}
