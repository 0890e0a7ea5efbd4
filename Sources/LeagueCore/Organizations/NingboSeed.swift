/// The city that an empty database starts with: 共青团宁波市委 and the ten district and county
/// committees of Ningbo, each coded by its resident-ID area code (3302xx).
public enum NingboSeed {
    public struct Unit: Sendable, Equatable {
        public let code: String
        public let name: String
        public let shortName: String
        public let type: OrganizationType
    }

    public static let root = Unit(code: "330200", name: "共青团宁波市委员会", shortName: "共青团宁波市委", type: .cityCommittee)

    public static let districts: [Unit] = [
        ("330203", "海曙区"), ("330205", "江北区"), ("330211", "镇海区"), ("330206", "北仑区"),
        ("330212", "鄞州区"), ("330213", "奉化区"), ("330281", "余姚市"), ("330282", "慈溪市"),
        ("330226", "宁海县"), ("330225", "象山县"),
    ].map { code, place in
        Unit(code: code, name: "共青团宁波市\(place)委员会", shortName: "团\(place)委", type: .districtCommittee)
    }
}
