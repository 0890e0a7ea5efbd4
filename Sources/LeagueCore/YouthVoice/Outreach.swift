/// 代表委员联系青年 (seed 三.2): deputies and the young people's representatives, the 面对面
/// meetings on a 月季年 cadence, proposals built from young people's needs and what became of
/// them, and cadres' direct contact with young people (大脚掌走基层, 四.3).
public enum DeputyRole: String, Codable, Sendable, CaseIterable {
    /// 人大代表
    case peoplesCongress
    /// 政协委员
    case politicalConsultative
    /// 青少年民意代表
    case youthRepresentative
    /// 成长导师
    case mentor

    public var label: String {
        switch self {
        case .peoplesCongress: "人大代表"
        case .politicalConsultative: "政协委员"
        case .youthRepresentative: "青少年民意代表"
        case .mentor: "成长导师"
        }
    }
}

/// How often a level holds 面对面 (**policy**): the seed's 月季年 — a district monthly, the city
/// quarterly and once a year.
public enum OutreachCadence: String, Codable, Sendable, CaseIterable {
    case monthly, quarterly, yearly

    public var label: String {
        switch self {
        case .monthly: "每月"
        case .quarterly: "每季度"
        case .yearly: "每年"
        }
    }

    /// The periods of a year, each with its first and last month.
    public var periods: [(label: String, months: ClosedRange<Int>)] {
        switch self {
        case .monthly: (1...12).map { ("\($0)月", $0...$0) }
        case .quarterly: (1...4).map { ("第\($0)季度", (3 * $0 - 2)...(3 * $0)) }
        case .yearly: [("全年", 1...12)]
        }
    }

    /// Per period of `year`, whether a meeting was held in it; periods not yet begun on `today`
    /// are nil (not due), the current one counts as due only once a meeting is held or it ends.
    public func compliance(heldOn days: [CalendarDate], year: Int, today: CalendarDate) -> [(label: String, held: Bool?)] {
        periods.map { period in
            let held = days.contains { $0.year == year && period.months.contains($0.month) }
            guard let start = CalendarDate(year: year, month: period.months.lowerBound, day: 1) else { return (period.label, nil) }
            let endMonth = period.months.upperBound
            let ended = today > CalendarDate(year: year, month: endMonth, day: CalendarDate.daysIn(month: endMonth, year: year))!
            if today < start || (!ended && !held) { return (period.label, held ? true : nil) }
            return (period.label, held)
        }
    }
}

/// A proposal (建议 of a 人大代表, 提案 of a 政协委员) through its handling: 提交 → 立案 → 交办 → 答复 → 办结.
public enum ProposalStatus: String, Codable, Sendable, CaseIterable {
    case submitted, registered, assigned, replied, concluded

    public var label: String {
        switch self {
        case .submitted: "已提交"
        case .registered: "已立案"
        case .assigned: "已交办"
        case .replied: "已答复"
        case .concluded: "已办结"
        }
    }

    /// The one step that follows, nil once concluded.
    public var next: ProposalStatus? {
        switch self {
        case .submitted: .registered
        case .registered: .assigned
        case .assigned: .replied
        case .replied: .concluded
        case .concluded: nil
        }
    }

    /// Statuses move one step forward; a reply needs its text, the conclusion its outcome (成果转化).
    public func advance(to target: ProposalStatus, reply: String?, outcome: String?) throws(VoiceRefusal) {
        guard next == target else {
            throw VoiceRefusal(next.map { "当前状态为「\(label)」，下一步应为「\($0.label)」" } ?? "该建议（提案）已办结")
        }
        if target == .replied && (reply ?? "").isEmpty { throw VoiceRefusal("请填写答复内容") }
        if target == .concluded && (outcome ?? "").isEmpty { throw VoiceRefusal("请填写办理结果（成果转化）") }
    }
}

/// How a cadre was in touch with a young person.
public enum ContactWay: String, Codable, Sendable, CaseIterable {
    case visit, call, talk, online

    public var label: String {
        switch self {
        case .visit: "走访"
        case .call: "电话"
        case .talk: "座谈"
        case .online: "网上"
        }
    }
}

/// Coverage of direct contact: cadres who keep in touch with at least the target number of
/// young people (**policy**), among a unit's cadres.
public enum ContactCoverage {
    public static func share(contactsPerCadre: [Int], target: Int) -> Double? {
        guard !contactsPerCadre.isEmpty else { return nil }
        return Double(contactsPerCadre.filter { $0 >= max(1, target) }.count) / Double(contactsPerCadre.count)
    }
}

/// Where a 代表委员青少年工作室 stands in the tree: the city's committee or a district's founds one,
/// and a deputy sits in one whose committee's area holds the deputy's own unit.
public enum StudioRules {
    /// The city (one id in its path) or a district (two).
    public static func mayFound(at unit: TreePath) -> Bool {
        unit.ids.count <= 2
    }

    public static func maySeat(deputyOf unit: TreePath, inStudioOf host: TreePath) -> Bool {
        host.contains(unit)
    }

    /// The committee whose studio a unit's deputy belongs to when only the studio's name is known:
    /// the district the unit lies in, or the city for the city's own committee.
    public static func host(of unit: TreePath) -> TreePath {
        TreePath(ids: Array(unit.ids.prefix(2)))
    }
}
