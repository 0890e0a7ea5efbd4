import LeagueCore

/// The roster of deputies, representatives and mentors, with the form to add one.
struct DeputiesPage: Encodable {
    struct Row: Encodable {
        let name: String
        let role: String
        let level: String
        let sector: String
        let phone: String
        let studio: String
        let unitName: String
        let retireURL: String
    }

    let rows: [Row]
    let hasRows: Bool
    let units: [Choice]
    let roles: [Choice]
    let levels: [Choice]
    /// The 代表委员青少年工作室 in reach, each with who sits in it.
    let studios: [StudioRow]
    let hasStudios: Bool
    let studioChoices: [Choice]
    /// The units the cadre may found a studio for (none below a district).
    let studioUnits: [Choice]
    let canFoundStudio: Bool
    let form: FormState
    let studioForm: FormState
    struct StudioRow: Encodable {
        let name: String
        let unitName: String
        let foundedOn: String
        let memberCount: Int
        let members: String
    }
}

/// 面对面: compliance by cadence and the year's meetings, with the form to record one.
struct MeetingsPage: Encodable {
    struct Compliance: Encodable {
        let unitName: String
        let cadence: String
        let periods: [Period]
    }

    struct Period: Encodable {
        let label: String
        /// "held", "missed" or "due" (not yet due).
        let state: String
    }

    struct Row: Encodable {
        let heldOn: String
        let title: String
        let unitName: String
        let deputies: String
        let youthCount: Int
        let topics: String
        let needs: String
    }

    let year: Int
    let compliance: [Compliance]
    let hasCompliance: Bool
    let rows: [Row]
    let hasRows: Bool
    let units: [Choice]
    let today: String
    let form: FormState
}

/// Proposals in reach and the form to build one from needs.
struct ProposalsPage: Encodable {
    struct Row: Encodable {
        let url: String
        let title: String
        let kind: String
        let deputy: String
        let session: String
        let status: String
    }

    let rows: [Row]
    let hasRows: Bool
    let deputies: [Choice]
    let form: FormState
}

/// One proposal: its needs, its handling and the next step.
struct ProposalPage: Encodable {
    struct Need: Encodable {
        let number: String
        let title: String
        let url: String
    }

    let title: String
    let body: String
    let kind: String
    let deputy: String
    let session: String
    let status: String
    let handlingUnit: String
    let reply: String
    let outcome: String
    let needs: [Need]
    let advanceURL: String
    let next: Choice?
    let hasNext: Bool
    let form: FormState
}

/// A cadre's young people and their contacts, and coverage of the units below.
struct ContactsPage: Encodable {
    struct Contact: Encodable {
        let name: String
        let phone: String
        let note: String
        let visits: [String]
        let visitURL: String
        let id: Int
    }

    struct Coverage: Encodable {
        let unitName: String
        let cadres: Int
        let covered: Int
        let share: String
    }

    let target: Int
    let contacts: [Contact]
    let hasContacts: Bool
    let coverage: [Coverage]
    let ways: [Choice]
    let today: String
    let form: FormState
}
