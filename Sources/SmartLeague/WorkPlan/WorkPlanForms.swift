import Foundation
import LeagueCore
import Vapor

/// A year's plan to load: an uploaded text file, or the text pasted into the form.
struct PlanUploadForm: FormInput {
    var text: String?

    /// The plan, read from the file when one came (it takes the place of the pasted text). A plan
    /// that does not parse is one message of several lines, one per problem, with line numbers.
    func validate(file: File?, _ check: inout FormState) -> PlanDocument? {
        var source = text ?? ""
        if let file, file.data.readableBytes > 0 {
            guard let decoded = try? CSV.decode(Data(buffer: file.data)) else {
                check.errors["text"] = "文件不是文本格式（请保存为 UTF-8 或 GBK 编码的 .txt 文件）"
                return nil
            }
            source = decoded
        }
        check.values = ["text": String(source.prefix(200_000))]
        return check.check("text") {
            guard !source.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw FormField.Problem("请上传计划文件，或把计划文本粘贴到文本框中")
            }
            switch PlanText.parse(source) {
            case .success(let document): return document
            case .failure(let problems):
                throw FormField.Problem((problems.list.map(\.description) + ["计划有误，未载入任何内容。"]).joined(separator: "\n"))
            }
        }
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> PlanDocument? {
        validate(file: nil, &check)
    }
}

/// The city hands a task to units, with its lead office and a deadline.
struct AssignTaskForm: FormInput {
    var units: String?
    var leadOffice: String?
    var deadline: String?

    struct Valid: Sendable {
        let units: String
        let leadOffice: String?
        let deadline: CalendarDate
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let units = check.check("units") { try FormField.requiredText(self.units, label: "承担单位", max: 4000) }
        let lead = check.check("leadOffice") { try FormField.text(leadOffice, label: "牵头部门", required: false, max: 30) }
        let deadline = check.check("deadline") { try FormField.date(self.deadline, label: "完成期限", required: true) } ?? nil
        guard let units, let lead, let deadline else { return nil }
        return Valid(units: units, leadOffice: lead, deadline: deadline)
    }
}

/// A unit hands its part further down, by a deadline.
struct HandDownForm: FormInput {
    var units: String?
    var deadline: String?

    struct Valid: Sendable {
        let units: String
        let deadline: CalendarDate
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let units = check.check("units") { try FormField.requiredText(self.units, label: "承担单位", max: 4000) }
        let deadline = check.check("deadline") { try FormField.date(self.deadline, label: "完成期限", required: true) } ?? nil
        guard let units, let deadline else { return nil }
        return Valid(units: units, deadline: deadline)
    }
}

/// A numeric target of a task: a total split by lines of "单位 数量", or a growth on each named
/// unit's last year.
struct TargetForm: FormInput {
    var targetName: String?
    var measure: String?
    var total: String?
    var growth: String?
    var source: String?
    var year: String?
    var parts: String?

    struct Valid: Sendable {
        let name: String
        let measure: String
        let split: TargetWrites.Split
        let source: TargetSource
        let year: Int
        /// One line per unit, as typed.
        let parts: String
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let name = check.check("targetName") { try FormField.requiredText(targetName, label: "目标名称", max: 40) }
        let measure = check.check("measure") { try FormField.requiredText(self.measure, label: "计量单位", max: 6) }
        let split: TargetWrites.Split?
        if let raw = growth?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            split = check.check("growth") {
                guard let percent = Int(raw), (1...1000).contains(percent) else { throw FormField.Problem("增长比例须为 1 到 1000 之间的整数") }
                return .growth(percent: percent)
            }
        } else {
            split = check.check("total") {
                guard let total = Int(self.total ?? ""), total > 0, total <= 100_000_000 else {
                    throw FormField.Problem("总目标须为正整数（按上年增长设定时可不填）")
                }
                return .amounts(total: total)
            }
        }
        let source = check.check("source") {
            guard let source = TargetSource(rawValue: self.source ?? "") else { throw FormField.Problem("请选择实际数的来源") }
            return source
        }
        let year = check.check("year") { try FormField.year(self.year) }
        let parts = check.check("parts") { try FormField.requiredText(self.parts, label: "分解到单位", max: 8000) }
        guard let name, let measure, let split, let source, let year, let parts else { return nil }
        return Valid(name: name, measure: measure, split: split, source: source, year: year, parts: parts)
    }
}

/// A report on an assignment by its holder, or a comment or sending-back by the one who handed
/// it down; a file may come with either.
struct TaskReportForm: FormInput {
    var text: String?
    var figure: String?
    var finished: String?
    /// The reviewer's button: "sendBack", otherwise a comment.
    var kind: String?

    struct Valid: Sendable {
        let text: String
        let figure: Int?
        let finished: Bool
    }

    var reviewKind: TaskReportKind { kind == "sendBack" ? .sendBack : .comment }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let text = check.check("text") { try FormField.requiredText(self.text, label: "内容", max: 2000) }
        let figure = check.check("figure") { () throws -> Int? in
            guard let raw = self.figure?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            guard let figure = Int(raw), figure >= 0 else { throw FormField.Problem("数字须为非负整数") }
            return figure
        }
        guard let text, let figure else { return nil }
        return Valid(text: text, figure: figure, finished: finished == "1")
    }

    /// The attached file, checked; nil when none came or it is refused (the refusal filed under "file").
    static func attachment(_ file: File?, _ check: inout FormState) -> Upload? {
        do {
            return try Upload.check(file, field: "file")
        } catch let refusal as Refusal {
            check = refusal.filed(in: check)
        } catch {
            check.errors["file"] = "输入有误"
        }
        return nil
    }
}

/// A 青创农场 for the registry.
struct FarmForm: FormInput {
    var name: String?
    var operatorName: String?
    var unit: String?
    var level: String?
    var year: String?
    var helped: String?

    struct Valid: Sendable {
        let name: String
        let operatorName: String
        /// The unit's code or full name.
        let unit: String
        let level: String
        let year: Int
        let helped: Int
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let name = check.check("name") { try FormField.requiredText(self.name, label: "农场名称", min: 2, max: 60) }
        let operatorName = check.check("operatorName") { try FormField.requiredText(self.operatorName, label: "经营者", max: 30) }
        let unit = check.check("unit") { try FormField.requiredText(self.unit, label: "所属单位（代码或全称）", max: 60) }
        let year = check.check("year") { try FormField.year(self.year) }
        let helped = check.check("helped") {
            guard let helped = Int(self.helped ?? "0"), helped >= 0, helped <= 1_000_000 else { throw FormField.Problem("帮扶人数须为非负整数") }
            return helped
        }
        guard let name, let operatorName, let unit, let year, let helped else { return nil }
        return Valid(name: name, operatorName: operatorName, unit: unit, level: level == "市级" ? "市级" : "区级", year: year, helped: helped)
    }
}

/// A 见习 placement for the registry.
struct InternshipForm: FormInput {
    var base: String?
    var post: String?
    var intern: String?
    var unit: String?
    var startsOn: String?
    var endsOn: String?

    struct Valid: Sendable {
        let base: String
        let post: String
        let intern: String
        /// The unit's code or full name.
        let unit: String
        let startsOn: CalendarDate
        let endsOn: CalendarDate
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let base = check.check("base") { try FormField.requiredText(self.base, label: "见习基地", min: 2, max: 60) }
        let post = check.check("post") { try FormField.requiredText(self.post, label: "见习岗位", max: 30) }
        let intern = check.check("intern") { try FormField.requiredText(self.intern, label: "见习人员", min: 2, max: 30) }
        let unit = check.check("unit") { try FormField.requiredText(self.unit, label: "所属单位（代码或全称）", max: 60) }
        let starts = check.check("startsOn") { try FormField.date(startsOn, label: "开始日期", required: true) } ?? nil
        let ends = check.check("endsOn") { try FormField.date(endsOn, label: "结束日期", required: true) } ?? nil
        guard let base, let post, let intern, let unit, let starts, let ends else { return nil }
        return Valid(base: base, post: post, intern: intern, unit: unit, startsOn: starts, endsOn: ends)
    }
}
