/// 团员发展 (RULES.md §4): one application moves through these stages, a dated step at a time;
/// no stage can be skipped and any step can reject it with a reason.
public enum AdmissionStage: String, Codable, Sendable, CaseIterable {
    /// 入团申请书 received.
    case applied
    /// The branch has talked with the applicant.
    case talked
    /// 入团积极分子, with mentors; training under way.
    case activist
    /// 发展对象, with two sponsors, waiting for the grassroots committee's pre-check.
    case candidate
    /// Pre-checked (预审) by the grassroots committee: the branch meeting may vote.
    case prechecked
    /// Passed by the branch general meeting.
    case voted
    /// Approved by the grassroots committee, within its quota.
    case approved
    /// Sworn in: a member with a number, not yet certified.
    case member
    /// The signed form is on file and the upper level has certified it.
    case certified
    case rejected

    public var label: String {
        switch self {
        case .applied: "已申请"
        case .talked: "已谈话"
        case .activist: "入团积极分子"
        case .candidate: "发展对象"
        case .prechecked: "已预审"
        case .voted: "支部大会通过"
        case .approved: "上级已批准"
        case .member: "已入团（未认证）"
        case .certified: "已认证"
        case .rejected: "未通过"
        }
    }

    /// Still under way: neither a member yet nor turned down.
    public var isOpen: Bool { ![.member, .certified, .rejected].contains(self) }

    /// The stages in which an applicant is trained and attends league lessons.
    public static let inTraining: [AdmissionStage] = [.activist, .candidate, .prechecked]

    /// The stages an application passes through, in order (rejection aside).
    public static let pipeline: [AdmissionStage] = [.applied, .talked, .activist, .candidate, .prechecked, .voted, .approved, .member, .certified]
}

public enum AdmissionStep: String, Codable, Sendable {
    case talk, nameActivist, nameCandidate, precheck, vote, approve, swear, certify, reject

    public var label: String {
        switch self {
        case .talk: "谈话"
        case .nameActivist: "确定入团积极分子"
        case .nameCandidate: "确定发展对象"
        case .precheck: "预审"
        case .vote: "支部大会表决"
        case .approve: "上级批准"
        case .swear: "入团宣誓"
        case .certify: "认证"
        case .reject: "不予通过"
        }
    }

    /// The steps that move an application forward, in order.
    public static let forward: [AdmissionStep] = [.talk, .nameActivist, .nameCandidate, .precheck, .vote, .approve, .swear, .certify]

    /// Steps that the level above the branch takes; the rest are the branch's own.
    public var isUpperLevel: Bool { self == .precheck || self == .approve || self == .certify }

    /// The stage this step starts from.
    public var from: AdmissionStage? {
        switch self {
        case .talk: .applied
        case .nameActivist: .talked
        case .nameCandidate: .activist
        case .precheck: .candidate
        case .vote: .prechecked
        case .approve: .voted
        case .swear: .approved
        case .certify: .member
        case .reject: nil
        }
    }

    public var to: AdmissionStage {
        switch self {
        case .talk: .talked
        case .nameActivist: .activist
        case .nameCandidate: .candidate
        case .precheck: .prechecked
        case .vote: .voted
        case .approve: .approved
        case .swear: .member
        case .certify: .certified
        case .reject: .rejected
        }
    }

    /// The stage after this step, or why it cannot be taken now.
    public func apply(to stage: AdmissionStage) -> Result<AdmissionStage, AdmissionProblem> {
        if self == .reject {
            return !stage.isOpen
                ? .failure(AdmissionProblem("已入团或已结束的申请不能再作不予通过处理")) : .success(.rejected)
        }
        guard let from, stage == from else {
            return .failure(AdmissionProblem("当前为“\(stage.label)”，不能\(label)" + (from.map { "（须先到“\($0.label)”）" } ?? "")))
        }
        return .success(to)
    }
}

public struct AdmissionProblem: Error, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// The dated rules between the steps.
public enum AdmissionRules {
    public static let trainingMonths = 3
    public static let trainingHours = 8
    public static let certificationDays = 30

    /// The branch talks with the applicant within a month of the application.
    public static func talkProblem(applied: CalendarDate, talk: CalendarDate) -> String? {
        if talk < applied { return "谈话日期不能早于申请日期" }
        let deadline = applied.adding(months: 1)
        return talk > deadline ? "应在申请后一个月内（\(deadline) 前）谈话" : nil
    }

    /// Training: at least three months as an activist and eight class-hours of league lessons.
    public static func trainingProblem(activistSince: CalendarDate, on day: CalendarDate, classHours: Int) -> String? {
        let ready = activistSince.adding(months: trainingMonths)
        if day < ready { return "培养考察须满 3 个月（\(ready) 起才能确定为发展对象）" }
        if classHours < trainingHours { return "团课学习须满 \(trainingHours) 学时，现有 \(classHours) 学时" }
        return nil
    }

    /// The signed form is due within 30 days of the oath.
    public static func formDue(sworn: CalendarDate) -> CalendarDate {
        var day = sworn
        for _ in 0..<certificationDays { day = day.next }
        return day
    }
}

/// A branch general meeting's vote on one candidate.
public struct BranchVote: Sendable, Equatable {
    public let expected: Int
    public let present: Int
    public let yes: Int
    public let no: Int
    public let abstain: Int

    public init(expected: Int, present: Int, yes: Int, no: Int, abstain: Int) {
        self.expected = expected
        self.present = present
        self.yes = yes
        self.no = no
        self.abstain = abstain
    }

    /// Why the figures cannot be right, if they cannot.
    public var problem: String? {
        if [expected, present, yes, no, abstain].contains(where: { $0 < 0 }) { return "人数不能为负数" }
        if expected == 0 { return "应到人数须大于 0" }
        if present > expected { return "实到人数不能多于应到人数" }
        if yes + no + abstain != present { return "赞成、反对、弃权合计 \(yes + no + abstain)，应等于实到人数 \(present)" }
        return nil
    }

    /// More than half of the voting members present.
    public var isQuorate: Bool { present * 2 > expected }
    /// Yes-votes are more than half of those present.
    public var passes: Bool { isQuorate && yes * 2 > present }

    public var outcome: String {
        if !isQuorate { return "实到 \(present) 人，未超过应到 \(expected) 人的半数，会议无效" }
        return passes ? "赞成 \(yes) 票，超过实到人数的半数，通过" : "赞成 \(yes) 票，未超过实到 \(present) 人的半数，未通过"
    }
}

/// The yearly admission plan handed down level by level (增量控制).
public enum QuotaRules {
    /// Why a unit's split among its children cannot stand, or nil: the parts may not exceed what
    /// the unit itself was given, and no child may get less than it has already used.
    public static func splitProblem(available: Int, parts: [(name: String, amount: Int, used: Int)]) -> String? {
        if let negative = parts.first(where: { $0.amount < 0 }) { return "「\(negative.name)」的数量不能为负数" }
        if let short = parts.first(where: { $0.amount < $0.used }) { return "「\(short.name)」已使用 \(short.used) 名，分配数不能少于此数" }
        let sum = parts.reduce(0) { $0 + $1.amount }
        return sum > available ? "分配合计 \(sum) 名，超过本单位计划 \(available) 名（多 \(sum - available) 名）" : nil
    }

}

/// Graduating classes (毕业年级) and the cap on their league-member share: junior high at most
/// 30%, senior high at most 60%.
public enum GraduatingLevel: String, Codable, Sendable, CaseIterable {
    case juniorHigh, seniorHigh

    public var label: String { self == .juniorHigh ? "初中毕业年级" : "高中毕业年级" }
    public var capPercent: Int { self == .juniorHigh ? 30 : 60 }

    /// Members ÷ pupils in whole percent, and whether it is above the cap.
    public func share(members: Int, pupils: Int) -> (percent: Int, over: Bool) {
        (percentShare(members, of: pupils), pupils > 0 && members * 100 > capPercent * pupils)
    }
}
