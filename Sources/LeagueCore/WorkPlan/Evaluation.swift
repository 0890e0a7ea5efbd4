import Foundation

/// The yearly evaluation of units (“四位一体”考核评价, seed 二.1): weighted indicators, some
/// computed from the system's own records, the rest scored first by the unit itself and then by
/// the city committee; the weighted total ranks the units.
public struct IndicatorSource: RawRepresentable, Codable, Hashable, Sendable {
    public let rawValue: String

    /// Any key; which keys a scheme may use is the platform's to say (the built-in ones and those
    /// the parts of the league's work compute, such as 青年之声's answers in time).
    public init?(rawValue: String) {
        guard !rawValue.isEmpty, rawValue.count <= 40, rawValue.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        self.rawValue = rawValue
    }

    private init(known: String) { rawValue = known }

    /// Share of the unit's handed-down tasks of the plan year that are done.
    public static let taskCompletion = IndicatorSource(known: "taskCompletion")
    /// How far the unit's parts of the year's numeric targets are reached, on average.
    public static let targetsMet = IndicatorSource(known: "targetsMet")
    /// Scored by the unit (自评) and then by the city (审核).
    public static let rated = IndicatorSource(known: "rated")

    public static let builtIn: [IndicatorSource] = [.taskCompletion, .targetsMet, .rated]

    /// The label of a built-in source; a part's own carries its label where it is declared.
    public var builtInLabel: String? {
        switch rawValue {
        case Self.taskCompletion.rawValue: "系统计算：任务完成率"
        case Self.targetsMet.rawValue: "系统计算：目标达成率"
        case Self.rated.rawValue: "单位自评、团市委审核"
        default: nil
        }
    }

    public var isComputed: Bool { self != .rated }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let source = IndicatorSource(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an indicator source: \(text)"))
        }
        self = source
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// One indicator of a scheme as the rules need it.
public struct Indicator: Sendable, Equatable {
    public let name: String
    public let weight: Int
    public let source: IndicatorSource

    public init(name: String, weight: Int, source: IndicatorSource) {
        self.name = name
        self.weight = weight
        self.source = source
    }

    /// The indicators a new scheme starts from: the city's review of work (tasks, targets,
    /// grassroots building), the youth's and the Party committee's views, which the city enters
    /// after collecting them, and the unit's own report on each.
    public static let defaults: [Indicator] = [
        Indicator(name: "重点任务完成情况", weight: 30, source: .taskCompletion),
        Indicator(name: "数量目标达成情况", weight: 20, source: .targetsMet),
        Indicator(name: "基层组织建设", weight: 20, source: .rated),
        Indicator(name: "团员青年评价", weight: 15, source: .rated),
        Indicator(name: "同级党委评价", weight: 15, source: .rated),
    ]
}

public enum EvaluationRules {
    /// Nil when the weights can be published: each 1–100 and 100 in all.
    public static func weightProblem(_ weights: [Int]) -> String? {
        guard !weights.isEmpty else { return "请至少设置一项指标" }
        if weights.contains(where: { $0 < 1 || $0 > 100 }) { return "每项权重须在 1 到 100 之间" }
        let sum = weights.reduce(0, +)
        guard sum != 100 else { return nil }
        return sum > 100 ? "各项权重合计 \(sum)，比 100 多 \(sum - 100)" : "各项权重合计 \(sum)，比 100 少 \(100 - sum)"
    }

    /// Share done, in whole percent, rounded down; a unit that was handed no task has failed none.
    public static func completionScore(done: Int, total: Int) -> Int {
        total == 0 ? 100 : done * 100 / total
    }

    /// The average of each part's reach, each capped at 100 so that overshooting one target
    /// cannot make up for missing another; a unit without targets has missed none.
    public static func targetsScore(parts: [(actual: Int, amount: Int)]) -> Int {
        guard !parts.isEmpty else { return 100 }
        return parts.reduce(0) { $0 + TargetSplit.percent(actual: $1.actual, target: $1.amount) } / parts.count
    }

    /// The weighted total in hundredths of a point: a score of 80 on a weight of 30 gives 24.00.
    public static func total(_ items: [(weight: Int, score: Int)]) -> Int {
        items.reduce(0) { $0 + $1.weight * $1.score }
    }

    /// “87.50”
    public static func text(hundredths: Int) -> String {
        let tail = hundredths % 100
        return "\(hundredths / 100).\(tail < 10 ? "0" : "")\(tail)"
    }

    /// A score typed for an indicator: a whole number from 0 to 100.
    public static func score(_ raw: String?) -> Int? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), let value = Int(raw), (0...100).contains(value) else { return nil }
        return value
    }
}

/// Where a unit's evaluation sheet stands.
public enum SheetStatus: String, Codable, Sendable, CaseIterable {
    /// The unit is filling in its self-report.
    case draft
    /// Submitted; the city reviews it.
    case submitted
    /// Scored by the city: the total counts in the ranking.
    case reviewed

    public var label: String {
        switch self {
        case .draft: "自评中"
        case .submitted: "待审核"
        case .reviewed: "已审核"
        }
    }

    public enum Step: Sendable { case saveSelf, submit, review, sendBack }

    public struct Refusal: Error, Equatable, Sendable {
        public let message: String
        public init(message: String) { self.message = message }
    }

    /// The status after a step, or why the step is not possible now.
    public func after(_ step: Step, schemeOpen: Bool) throws(Refusal) -> SheetStatus {
        guard schemeOpen else { throw Refusal(message: "本年度考核已结束，不能再修改") }
        switch (step, self) {
        case (.saveSelf, .draft): return .draft
        case (.submit, .draft): return .submitted
        case (.review, .submitted), (.review, .reviewed): return .reviewed
        case (.sendBack, .submitted), (.sendBack, .reviewed): return .draft
        case (.saveSelf, _), (.submit, _): throw Refusal(message: "自评已提交，如需修改请团市委退回")
        case (.review, .draft), (.sendBack, .draft): throw Refusal(message: "该单位尚未提交自评")
        }
    }
}

/// A year's scheme: drafted (indicators may change), open (units report, the city reviews),
/// closed (the ranking is final).
public enum SchemeStatus: String, Codable, Sendable {
    case draft, open, closed

    public var label: String {
        switch self {
        case .draft: "设置中"
        case .open: "考核中"
        case .closed: "已结束"
        }
    }
}
