import LeagueCore

/// The lists the member forms choose from (the admission form offers the same).
struct MemberChoices: Encodable {
    static let genders = Gender.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
    static let educations = Education.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
    static let occupations = Occupation.allCases.map { Choice(value: $0.rawValue, label: $0.label) }

    let genders = MemberChoices.genders
    let educations = MemberChoices.educations
    let occupations = MemberChoices.occupations
    let parties = PartyStatus.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
    let ethnicities = Ethnicity.all
}

/// The lists the member search filters by: only what its form offers, since the whole page model
/// is turned into template data on every request (the 56 ethnicities were most of the choices).
struct MemberSearchChoices: Encodable {
    let genders = MemberChoices.genders
    let educations = MemberChoices.educations
    let occupations = MemberChoices.occupations
    let ageBands = AgeBand.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
    let sorts = MemberQueries.Sort.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
}
