/// 青年之声: a young person's question or need, routed to the unit responsible for its district
/// and category, accepted and answered within working-day deadlines, rated by the asker and
/// reopened once if they are not satisfied (RULES.md §10; seed 一.3, 三.2).
public enum VoiceStatus: String, Codable, Sendable, CaseIterable {
    /// Waiting for the responsible unit to accept it (待受理).
    case submitted
    /// Accepted, being handled (办理中).
    case accepted
    /// Answered, waiting for the asker's rating (已答复).
    case answered
    /// Rated, or closed without a reopening (已办结).
    case closed

    public var label: String {
        switch self {
        case .submitted: "待受理"
        case .accepted: "办理中"
        case .answered: "已答复"
        case .closed: "已办结"
        }
    }

    /// Still with the unit: it can be accepted, passed on, answered, and fall overdue.
    public var isOpen: Bool { self == .submitted || self == .accepted }
}

/// The asker's rating of an answer (满意 / 基本满意 / 不满意).
public enum VoiceRating: String, Codable, Sendable, CaseIterable {
    case satisfied, fairlySatisfied, dissatisfied

    public var label: String {
        switch self {
        case .satisfied: "满意"
        case .fairlySatisfied: "基本满意"
        case .dissatisfied: "不满意"
        }
    }
}

/// The deadlines and the reopening limit, as the city sets them (**policy**): accept within one
/// working day, answer within five, reopen once.
public struct VoicePolicy: Sendable, Equatable, Codable {
    public var acceptDays: Int
    public var answerDays: Int
    public var reopenLimit: Int

    public init(acceptDays: Int = 1, answerDays: Int = 5, reopenLimit: Int = 1) {
        self.acceptDays = acceptDays
        self.answerDays = answerDays
        self.reopenLimit = reopenLimit
    }

    public static let standard = VoicePolicy()

    /// The last day to accept and to answer an item received (or reopened) on `day`: the end of
    /// that many working days counted from the next day.
    public func deadlines(receivedOn day: CalendarDate, calendar: WorkingCalendar) -> (accept: CalendarDate, answer: CalendarDate) {
        (calendar.workingDay(acceptDays, after: day), calendar.workingDay(answerDays, after: day))
    }
}

/// Why an item cannot take a step now, in the words a cadre or an asker reads.
public struct VoiceRefusal: Error, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// What may happen to an item in each status.
public enum VoiceSteps {
    public static func accept(_ status: VoiceStatus) throws(VoiceRefusal) {
        guard status == .submitted else { throw VoiceRefusal(status == .accepted ? "该诉求已受理" : "该诉求已答复，不能再受理") }
    }

    /// Passing to another unit (down to a child or up to the parent) takes the item while it is open.
    public static func pass(_ status: VoiceStatus) throws(VoiceRefusal) {
        guard status.isOpen else { throw VoiceRefusal("该诉求已答复，不能再转办") }
    }

    /// Answering implies accepting; an answered item is not answered again (the second cadre sees
    /// the first's answer).
    public static func answer(_ status: VoiceStatus) throws(VoiceRefusal) {
        guard status.isOpen else { throw VoiceRefusal("该诉求已答复，请查看已有的答复") }
    }

    /// The asker rates once per answer; a dissatisfied asker may reopen while the limit allows,
    /// and the item goes back to the same unit with new deadlines. The status that follows.
    public static func rate(_ status: VoiceStatus, _ rating: VoiceRating, reopen: Bool, reopenedBefore: Int,
                            policy: VoicePolicy) throws(VoiceRefusal) -> VoiceStatus {
        guard status == .answered else {
            throw VoiceRefusal(status == .closed ? "您已评价过该答复" : "该诉求尚未答复，答复后才能评价")
        }
        guard reopen else { return .closed }
        guard rating == .dissatisfied else { throw VoiceRefusal("只有对答复不满意时才能要求重新办理") }
        guard reopenedBefore < policy.reopenLimit else {
            throw VoiceRefusal("该诉求已重新办理过 \(reopenedBefore) 次，不能再次要求重新办理")
        }
        return .accepted
    }

    /// An open item is overdue once the day of its deadline has passed: to accept while it waits,
    /// to answer while it is open.
    public static func overdue(_ status: VoiceStatus, acceptDue: CalendarDate, answerDue: CalendarDate, today: CalendarDate) -> Bool {
        switch status {
        case .submitted: today > acceptDue || today > answerDue
        case .accepted: today > answerDue
        case .answered, .closed: false
        }
    }
}

/// The categories a city starts with; the city edits the list.
public enum VoiceCategories {
    public static let initial = ["学业", "就业创业", "权益保护", "心理健康", "婚恋家庭", "社区生活", "其他"]
}

/// One item as the statistics count it.
public struct VoiceRecord: Sendable {
    public let status: VoiceStatus
    public let submittedOn: CalendarDate
    public let acceptedOn: CalendarDate?
    public let answeredOn: CalendarDate?
    public let answerDue: CalendarDate
    public let rating: VoiceRating?
    public let reopened: Bool

    public init(status: VoiceStatus, submittedOn: CalendarDate, acceptedOn: CalendarDate?, answeredOn: CalendarDate?,
                answerDue: CalendarDate, rating: VoiceRating?, reopened: Bool) {
        self.status = status
        self.submittedOn = submittedOn
        self.acceptedOn = acceptedOn
        self.answeredOn = answeredOn
        self.answerDue = answerDue
        self.rating = rating
        self.reopened = reopened
    }
}

/// The figures of a set of items (a unit, a category): how many, how fast in working days
/// (p50/p90), how many overdue, how satisfied the askers were and how often they reopened.
public struct VoiceFigures: Sendable, Equatable {
    public var items = 0
    public var answered = 0
    public var acceptDaysP50: Int?
    public var acceptDaysP90: Int?
    public var answerDaysP50: Int?
    public var answerDaysP90: Int?
    /// Answered after the answer deadline, or still open past it.
    public var overdue = 0
    public var rated = 0
    /// 满意 and 基本满意.
    public var satisfied = 0
    public var reopened = 0

    public init() {}

    public var overdueShare: Double? { items == 0 ? nil : Double(overdue) / Double(items) }
    public var satisfactionShare: Double? { rated == 0 ? nil : Double(satisfied) / Double(rated) }
    public var reopenShare: Double? { answered == 0 ? nil : Double(reopened) / Double(answered) }

    public static func of(_ records: [VoiceRecord], calendar: WorkingCalendar, today: CalendarDate) -> VoiceFigures {
        var figures = VoiceFigures()
        var acceptDays: [Int] = [], answerDays: [Int] = []
        for record in records {
            figures.items += 1
            if let accepted = record.acceptedOn { acceptDays.append(calendar.workingDays(after: record.submittedOn, through: accepted)) }
            if let answered = record.answeredOn {
                figures.answered += 1
                answerDays.append(calendar.workingDays(after: record.submittedOn, through: answered))
                if answered > record.answerDue { figures.overdue += 1 }
            } else if record.status.isOpen && today > record.answerDue {
                figures.overdue += 1
            }
            if let rating = record.rating {
                figures.rated += 1
                if rating != .dissatisfied { figures.satisfied += 1 }
            }
            if record.reopened { figures.reopened += 1 }
        }
        figures.acceptDaysP50 = percentile(acceptDays, 50)
        figures.acceptDaysP90 = percentile(acceptDays, 90)
        figures.answerDaysP50 = percentile(answerDays, 50)
        figures.answerDaysP90 = percentile(answerDays, 90)
        return figures
    }

    /// The nearest-rank percentile: the smallest value with at least `p` per cent of the values at
    /// or below it; nil for no values.
    public static func percentile(_ values: [Int], _ p: Int) -> Int? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = max(1, Int((Double(p) / 100 * Double(sorted.count)).rounded(.up)))
        return sorted[min(rank, sorted.count) - 1]
    }
}
