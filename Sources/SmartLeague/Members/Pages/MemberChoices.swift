import LeagueCore

/// The lists the member forms choose from (the admission form offers the same).
struct MemberChoices: Encodable {
    let genders = Gender.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
    let educations = Education.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
    let occupations = Occupation.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
    let parties = PartyStatus.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
    let ageBands = AgeBand.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
    let sorts = MemberQueries.Sort.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
    let ethnicities = Ethnicity.all
}
