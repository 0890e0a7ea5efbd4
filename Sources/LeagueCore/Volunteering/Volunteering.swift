import Foundation

/// Star levels by hours served (星级志愿者, RULES.md §9). The thresholds are policy data the
/// city can change; the defaults are the national 100 / 300 / 600 / 1000 / 1500 hours.
public struct StarPolicy: Codable, Sendable, Equatable {
    /// Hours needed for one to five stars, ascending.
    public var hours: [Int]

    public init(hours: [Int]) {
        self.hours = hours
    }

    public static let standard = StarPolicy(hours: [100, 300, 600, 1000, 1500])

    /// Five positive, strictly ascending thresholds, or the reason they are not.
    public var problem: String? {
        guard hours.count == 5 else { return "星级标准应为五档时长" }
        guard hours.allSatisfy({ $0 > 0 && $0 <= 100_000 }) else { return "每档时长应为 1 到 100000 小时" }
        guard zip(hours, hours.dropFirst()).allSatisfy({ $0 < $1 }) else { return "五档时长应逐级递增" }
        return nil
    }

    /// Stars earned with this many minutes served (0 below the first threshold).
    public func stars(minutes: Int) -> Int {
        hours.filter { minutes >= $0 * 60 }.count
    }

    /// Hours still needed for the next star, or nil at five stars.
    public func hoursToNextStar(minutes: Int) -> Int? {
        let next = stars(minutes: minutes)
        guard next < hours.count else { return nil }
        return (hours[next] * 60 - minutes + 59) / 60
    }
}

/// Service time (服务时长) in whole minutes, the unit every record keeps.
public enum ServiceTime {
    /// Time actually served (信用时长) from check-in and check-out: only the part inside the
    /// post's own time slot counts, so travel before and lingering after are not service.
    public static func creditMinutes(checkIn: Date, checkOut: Date, slotStart: Date, slotEnd: Date) -> Int {
        let start = max(checkIn, slotStart)
        let end = min(checkOut, slotEnd)
        guard end > start else { return 0 }
        return Int(end.timeIntervalSince(start) / 60)
    }

    /// Why hours entered by an administrator (荣誉时长) cannot be recorded, or nil: they need a
    /// reason, and with everything already recorded for the volunteer on the activity they may
    /// not exceed the activity's own length.
    public static func honorProblem(minutes: Int, reason: String?, alreadyRecorded: Int, activityMinutes: Int) -> String? {
        guard minutes > 0 else { return "时长应大于 0" }
        guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else { return "补录时长须写明理由" }
        let room = max(activityMinutes - alreadyRecorded, 0)
        guard minutes <= room else {
            return "超过活动总时长：活动共 \(hoursText(activityMinutes)) 小时，已记录 \(hoursText(alreadyRecorded)) 小时，最多还可补录 \(hoursText(room)) 小时"
        }
        return nil
    }

    /// Check-in opens an hour before the slot and closes at its end.
    public static func checkInProblem(at now: Date, slotStart: Date, slotEnd: Date) -> String? {
        now >= slotStart.addingTimeInterval(-3600) && now <= slotEnd ? nil : "签到时间为活动开始前 1 小时至活动结束"
    }

    /// Check-out is taken until twelve hours after the slot's end; later, the organiser enters hours.
    public static func checkOutProblem(at now: Date, slotEnd: Date) -> String? {
        now <= slotEnd.addingTimeInterval(12 * 3600) ? nil : "已超过签退时间，请联系组织者补录"
    }

    /// Minutes as hours with one decimal, as certificates and lists show them (90 → "1.5").
    public static func hoursText(_ minutes: Int) -> String {
        let tenths = (minutes * 10 + 30) / 60
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// Hours typed as "2" or "1.5" (at most one decimal) in minutes, or nil.
    public static func minutes(hoursText text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0, whole <= 10_000 else { return nil }
        var tenths = 0
        if parts.count == 2 {
            guard parts[1].count == 1, let digit = Int(parts[1]) else { return nil }
            tenths = digit
        }
        return whole * 60 + tenths * 6
    }
}

/// Categories of service, as the national platform files projects.
public enum VolunteerCategories {
    public static let all = ["社区服务", "扶贫济困", "助老助残", "关爱少年儿童", "生态环保", "文化传播", "大型赛会",
                             "应急救援", "医疗卫生", "平安综治", "法律服务", "其他"]
}

/// Where a sign-up stands (报名状态).
public enum SignUpStatus: String, Codable, Sendable, CaseIterable {
    /// Waiting for the organiser's approval; holds no place yet.
    case applied
    /// Holds one of the post's places.
    case accepted
    /// Approved (or automatic) but the post was full: next in line when a place frees up.
    case waiting
    case rejected
    case cancelled

    public var label: String {
        switch self {
        case .applied: "待审核"
        case .accepted: "已录用"
        case .waiting: "候补"
        case .rejected: "未通过"
        case .cancelled: "已取消"
        }
    }

    /// Still in play: a volunteer cannot sign up for the same post twice while one of these stands.
    public var isActive: Bool { [.applied, .accepted, .waiting].contains(self) }
}

/// Identifiers of the volunteer system, distinct from any personal number.
public enum VolunteerNumbers {
    /// The unified volunteer number (志愿者编号): the city's prefix and an 8-digit sequence.
    public static func volunteer(sequence: Int) -> String {
        "ZY3302" + String(format: "%08d", sequence)
    }

    /// The certificate number (证明编号): year, a 6-digit sequence of the platform and eight random
    /// digits, so that the public verification page cannot be walked number by number.
    public static func certificate(year: Int, sequence: Int, random: Int) -> String {
        "NBZYZM\(year)" + String(format: "%06d", sequence) + String(format: "%08d", random % 100_000_000)
    }
}

/// A name as the public verification page shows it: the family name, the rest starred (张*, 欧阳**).
public enum NameMask {
    public static func mask(_ name: String) -> String {
        let characters = Array(name)
        guard characters.count > 1 else { return name }
        let kept = characters.count >= 4 ? 2 : 1
        return String(characters.prefix(kept)) + String(repeating: "*", count: characters.count - kept)
    }
}

/// "每人认一岗，至少做一次" (every member takes a post and serves at least once) for one unit.
public struct PostCoverage: Sendable, Equatable {
    public let members: Int
    public let holdingPost: Int
    public let served: Int

    public init(members: Int, holdingPost: Int, served: Int) {
        self.members = members
        self.holdingPost = holdingPost
        self.served = served
    }

    public var holdingPercent: Int { percentShare(holdingPost, of: members) }
    public var servedPercent: Int { percentShare(served, of: members) }
}

/// Scores of a project contest: each entry's mean of its judges' scores (0–100), in hundredths
/// of a point, and the places in competition order (1, 2, 2, 4).
public enum ContestScoring {
    public static let range = 0...100

    /// The mean in hundredths, rounded half up; nil before any judge has scored.
    public static func mean(_ scores: [Int]) -> Int? {
        guard !scores.isEmpty else { return nil }
        return (scores.reduce(0, +) * 100 * 2 + scores.count) / (scores.count * 2)
    }

    public static func pointsText(_ hundredths: Int) -> String {
        "\(hundredths / 100).\(String(format: "%02d", hundredths % 100))"
    }
}
