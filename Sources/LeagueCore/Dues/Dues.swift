import Foundation

/// 团费 (RULES.md §6). Money is whole fen (分) throughout, never a floating-point number.
public enum DuesCategory: String, Codable, Sendable, CaseIterable {
    case student, unemployed, relief, farmer, salaried

    public var label: String {
        switch self {
        case .student: "学生"
        case .unemployed: "失业人员"
        case .relief: "享受低保或救济"
        case .farmer: "农民"
        case .salaried: "有工资收入"
        }
    }
}

/// The city's dues table; an admin may change it. Defaults are RULES.md §6.
public struct DuesPolicy: Codable, Sendable, Equatable {
    /// Students, the unemployed, those on relief: per month.
    public var flatFen: Int
    /// Farmers: per month.
    public var farmerFen: Int
    /// Salaried below the threshold: per month.
    public var lowIncomeFen: Int
    /// Monthly income after tax from which the rate applies.
    public var thresholdFen: Int
    /// Rate per mille of income from the threshold up.
    public var perMille: Int
    /// The most anyone pays a month.
    public var capFen: Int

    public init(flatFen: Int = 20, farmerFen: Int = 20, lowIncomeFen: Int = 300, thresholdFen: Int = 200_000,
                perMille: Int = 2, capFen: Int = 2_000) {
        self.flatFen = flatFen
        self.farmerFen = farmerFen
        self.lowIncomeFen = lowIncomeFen
        self.thresholdFen = thresholdFen
        self.perMille = perMille
        self.capFen = capFen
    }

    public static let standard = DuesPolicy()

    /// The monthly due. From the threshold up it is income × rate with fractions of a yuan dropped
    /// (4 yuan at exactly 2,000 yuan, 6 yuan at 3,456), never above the cap.
    public func monthlyDue(_ category: DuesCategory, incomeFen: Int) -> Int {
        switch category {
        case .student, .unemployed, .relief: return flatFen
        case .farmer: return farmerFen
        case .salaried:
            guard incomeFen >= thresholdFen else { return lowIncomeFen }
            let fen = incomeFen * perMille / 1000
            return min(capFen, fen / 100 * 100)
        }
    }

    public var problem: String? {
        if [flatFen, farmerFen, lowIncomeFen, thresholdFen, perMille, capFen].contains(where: { $0 < 0 }) { return "金额和比例不能为负数" }
        if perMille > 100 { return "比例不能超过 100‰" }
        if capFen < lowIncomeFen { return "封顶金额不能低于低收入档金额" }
        return nil
    }
}

/// “3.00 元”
public enum Money {
    public static func yuan(_ fen: Int) -> String {
        let sign = fen < 0 ? "-" : ""
        let value = abs(fen)
        return "\(sign)\(value / 100).\(value % 100 < 10 ? "0" : "")\(value % 100)"
    }

    /// “12.5” or “12.50” or “12” yuan as fen; nil for anything else (more than two decimals, letters,
    /// digits other than ASCII 0–9).
    public static func fen(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false)
        // Nine digits of yuan at most: no due, income or total here comes near it, and nothing overflows.
        guard (1...2).contains(parts.count), let whole = ASCIIDigits.number(parts[0], maximumDigits: 9) else { return nil }
        guard parts.count == 2 else { return whole * 100 }
        let decimals = parts[1]
        guard let fraction = ASCIIDigits.number(decimals, maximumDigits: 2) else { return nil }
        return whole * 100 + fraction * (decimals.utf8.count == 1 ? 10 : 1)
    }
}

/// Which months a member owes: from the month of joining to this month, less those paid,
/// reduced or waived.
public enum DuesMonths {
    /// "2026-11"
    public static func month(of day: CalendarDate) -> String {
        "\(day.year)-\(day.month < 10 ? "0" : "")\(day.month)"
    }

    public static func months(from start: CalendarDate, to end: CalendarDate) -> [String] {
        Cadence.monthly.periods(from: start, to: end)
    }

    /// A member's months owed since joining and the run unpaid up to today.
    public static func arrears(joined: CalendarDate, settled: Set<String>, today: CalendarDate) -> (owed: Int, run: Int) {
        let due = months(from: joined, to: today)
        return (due.filter { !settled.contains($0) }.count, unpaidRun(due: due, settled: settled))
    }

    /// The run of consecutive unpaid months up to now (six means a lapse review): a member who
    /// has started paying again is not lapsed, whatever they still owe.
    public static func unpaidRun(due: [String], settled: Set<String>) -> Int {
        var run = 0
        for month in due.reversed() {
            if settled.contains(month) { break }
            run += 1
        }
        return run
    }
}
