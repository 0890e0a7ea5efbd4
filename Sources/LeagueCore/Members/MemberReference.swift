/// The fixed lists a member record chooses from.
public enum Ethnicity {
    /// The 56 ethnic groups (民族) in the order of GB 3304.
    public static let all: [String] = [
        "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
        "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
        "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
        "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
        "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
        "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
    ]

    public static func isValid(_ name: String) -> Bool { all.contains(name) }
}

/// Highest education completed or under way (学历).
public enum Education: String, Codable, Sendable, CaseIterable {
    case juniorHighOrBelow, seniorHigh, vocational, juniorCollege, bachelor, postgraduate

    public var label: String {
        switch self {
        case .juniorHighOrBelow: "初中及以下"
        case .seniorHigh: "高中"
        case .vocational: "中专/职高"
        case .juniorCollege: "大专"
        case .bachelor: "本科"
        case .postgraduate: "研究生"
        }
    }
}

/// Occupation category (职业类别); students, the unemployed and farmers pay the lowest dues later.
public enum Occupation: String, Codable, Sendable, CaseIterable {
    case student, employed, farmer, freelance, unemployed, other

    public var label: String {
        switch self {
        case .student: "学生"
        case .employed: "在职"
        case .farmer: "农民"
        case .freelance: "自由职业"
        case .unemployed: "无业"
        case .other: "其他"
        }
    }
}

/// Party standing (政治面貌) beside league membership.
public enum PartyStatus: String, Codable, Sendable, CaseIterable {
    case none, probationary, full

    public var label: String {
        switch self {
        case .none: "团员"
        case .probationary: "中共预备党员"
        case .full: "中共党员"
        }
    }
}

/// Lets a form accept either the stored value or the Chinese label (CSV files carry labels).
public protocol LabelledChoice: RawRepresentable, CaseIterable where RawValue == String {
    var label: String { get }
}

extension LabelledChoice {
    public init?(input: String) {
        let text = input.trimmingCharacters(in: .whitespaces)
        guard let value = Self.allCases.first(where: { $0.rawValue == text || $0.label == text }) else { return nil }
        self = value
    }
}

extension Education: LabelledChoice {}
extension Occupation: LabelledChoice {}
extension PartyStatus: LabelledChoice {}

