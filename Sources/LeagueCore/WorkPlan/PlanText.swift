import Foundation

/// A year's work plan (工作要点) as plain text, so that a new year's plan is loaded without code:
///
///     计划：2018年全市共青团工作要点
///     年度：2018
///     总体要求：……
///
///     一、<section>
///     1. <item>
///     一是……（one task a line）
///     二是……
///
/// Sections are numbered 一、二、… in order; items 1. 2. … afresh in each section; every other
/// line under an item is one task. Blank lines are ignored.
public struct PlanDocument: Equatable, Sendable {
    public struct Item: Equatable, Sendable {
        public var number: Int
        public var title: String
        public var tasks: [String]

        public init(number: Int, title: String, tasks: [String]) {
            self.number = number
            self.title = title
            self.tasks = tasks
        }
    }

    public struct Section: Equatable, Sendable {
        public var number: Int
        public var title: String
        public var items: [Item]

        public init(number: Int, title: String, items: [Item]) {
            self.number = number
            self.title = title
            self.items = items
        }
    }

    public var title: String
    public var year: Int
    public var requirement: String
    public var sections: [Section]

    public init(title: String, year: Int, requirement: String, sections: [Section]) {
        self.title = title
        self.year = year
        self.requirement = requirement
        self.sections = sections
    }

    public var taskCount: Int { sections.reduce(0) { $0 + $1.items.reduce(0) { $0 + $1.tasks.count } } }
}

public enum PlanText {
    public struct Problem: Error, Equatable, Sendable {
        public let line: Int
        public let message: String

        public var description: String { "第 \(line) 行：\(message)" }
    }

    static let numerals = Array("一二三四五六七八九十")

    /// Chinese numerals one to ninety-nine, as section headings use them.
    public static func chineseNumber(_ n: Int) -> String {
        precondition((1...99).contains(n))
        if n <= 10 { return String(numerals[n - 1]) }
        let tens = n / 10, ones = n % 10
        return (tens > 1 ? String(numerals[tens - 1]) : "") + "十" + (ones > 0 ? String(numerals[ones - 1]) : "")
    }

    static func header(_ line: String, _ key: String) -> String? {
        for colon in ["：", ":"] where line.hasPrefix(key + colon) {
            return String(line.dropFirst(key.count + 1)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// Reads a plan; every problem is reported with its line, and a plan with any problem is refused whole.
    public struct Problems: Error, Equatable, Sendable {
        public let list: [Problem]
    }

    public static func parse(_ text: String) -> Result<PlanDocument, Problems> {
        var problems: [Problem] = []
        var title: String?, year: Int?, requirement: String?
        var sections: [PlanDocument.Section] = []
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\u{FEFF}", with: "")
            .split(separator: "\n", omittingEmptySubsequences: false)
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.count > 5000 { problems.append(Problem(line: number, message: "本行超过 5000 字")); continue }
            if let value = header(line, "计划") {
                if title != nil { problems.append(Problem(line: number, message: "“计划”只能写一次")) }
                if value.isEmpty { problems.append(Problem(line: number, message: "计划名称不能为空")) }
                title = value
            } else if let value = header(line, "年度") {
                if let parsed = Int(value), (2000...2100).contains(parsed) { year = parsed } else {
                    problems.append(Problem(line: number, message: "年度应为四位年份，如 2018"))
                }
            } else if let value = header(line, "总体要求") {
                requirement = value
            } else if let (ordinal, rest) = sectionHeading(line) {
                let expected = sections.count + 1
                if ordinal != expected {
                    problems.append(Problem(line: number, message: "部分编号应为“\(chineseNumber(expected))、”"))
                }
                if title == nil || year == nil {
                    problems.append(Problem(line: number, message: "部分之前须先写“计划：”和“年度：”"))
                }
                sections.append(.init(number: expected, title: rest, items: []))
            } else if let (ordinal, rest) = itemHeading(line) {
                guard !sections.isEmpty else {
                    problems.append(Problem(line: number, message: "条目“\(ordinal).”之前缺少部分标题（如“一、……”）"))
                    continue
                }
                let expected = sections[sections.count - 1].items.count + 1
                if ordinal != expected { problems.append(Problem(line: number, message: "条目编号应为“\(expected).”")) }
                if rest.isEmpty { problems.append(Problem(line: number, message: "条目标题不能为空")) }
                sections[sections.count - 1].items.append(.init(number: expected, title: rest, tasks: []))
            } else {
                guard let section = sections.last, !section.items.isEmpty else {
                    problems.append(Problem(line: number, message: "任务之前缺少条目标题（如“1. ……”）"))
                    continue
                }
                sections[sections.count - 1].items[section.items.count - 1].tasks.append(line)
            }
        }
        let end = lines.count
        if title == nil { problems.append(Problem(line: 1, message: "缺少“计划：计划名称”")) }
        if year == nil { problems.append(Problem(line: 1, message: "缺少“年度：年份”")) }
        if requirement == nil { problems.append(Problem(line: 1, message: "缺少“总体要求：……”")) }
        if sections.isEmpty { problems.append(Problem(line: end, message: "计划中没有任何部分")) }
        for section in sections {
            if section.items.isEmpty { problems.append(Problem(line: end, message: "第\(chineseNumber(section.number))部分没有条目")) }
            for item in section.items where item.tasks.isEmpty {
                problems.append(Problem(line: end, message: "第\(chineseNumber(section.number))部分第 \(item.number) 条没有任务"))
            }
        }
        guard problems.isEmpty, let title, let year, let requirement else {
            return .failure(Problems(list: problems.sorted { $0.line < $1.line }))
        }
        return .success(PlanDocument(title: title, year: year, requirement: requirement, sections: sections))
    }

    static func sectionHeading(_ line: String) -> (Int, String)? {
        guard let mark = line.firstIndex(of: "、") else { return nil }
        let head = String(line[..<mark])
        guard !head.isEmpty, head.count <= 3, head.allSatisfy({ numerals.contains($0) }) else { return nil }
        guard let value = (1...99).first(where: { chineseNumber($0) == head }) else { return nil }
        return (value, String(line[line.index(after: mark)...]).trimmingCharacters(in: .whitespaces))
    }

    static func itemHeading(_ line: String) -> (Int, String)? {
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 3, let value = Int(digits) else { return nil }
        let rest = line.dropFirst(digits.count)
        guard let dot = rest.first, dot == "." || dot == "．" || dot == "、" else { return nil }
        return (value, String(rest.dropFirst()).trimmingCharacters(in: .whitespaces))
    }

    /// The text of a plan, for a new year to start from: what `parse` reads back unchanged.
    public static func render(_ plan: PlanDocument) -> String {
        var lines = ["计划：\(plan.title)", "年度：\(plan.year)", "总体要求：\(plan.requirement)"]
        for section in plan.sections {
            lines += ["", "\(chineseNumber(section.number))、\(section.title)"]
            for item in section.items {
                lines.append("\(item.number). \(item.title)")
                lines += item.tasks
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

