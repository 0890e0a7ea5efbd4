import LeagueCore

/// A question as a list shows it.
struct VoiceRow: Encodable {
    let url: String
    let number: String
    let title: String
    let category: String
    let unitName: String
    let status: String
    let submittedAt: String
    let acceptDue: String
    let answerDue: String
    let overdue: Bool
    let reopened: Bool

    init(_ item: VoiceQueries.Listed, url: String, today: CalendarDate) {
        self.url = url
        number = item.number
        title = item.title
        category = item.category
        unitName = item.unitName
        status = item.status.label
        submittedAt = ChinaTime.dateTimeString(item.submittedAt)
        acceptDue = item.acceptDue
        answerDue = item.answerDue
        overdue = item.isOverdue(today: today)
        reopened = item.reopened > 0
    }
}

/// A question in full, for its asker or a cadre; `showAsker` only for cadres.
struct VoiceDetail: Encodable {
    struct Hop: Encodable {
        let at: String
        let kind: String
        let unitName: String
        let reason: String
        let actor: String
    }

    let id: Int
    let number: String
    let title: String
    let body: String
    let category: String
    let unitName: String
    let status: String
    let isOpen: Bool
    let isSubmitted: Bool
    let isAnswered: Bool
    let submittedAt: String
    let acceptDue: String
    let answerDue: String
    let overdue: Bool
    let answer: String?
    let answeredBy: String?
    let answeredAt: String?
    let rating: String?
    let mayPublish: Bool
    let published: Bool
    let reopened: Int
    let askerName: String
    let askerPhone: String
    let anonymous: Bool
    let hops: [Hop]
    let hasHops: Bool
    /// What became of the need: the proposals built from it (成果转化).
    let proposals: [String]
    let hasProposals: Bool
    /// Links to the question's photos, for the one reading it.
    let photos: [String]
    let hasPhotos: Bool

    /// `forAsker`: the asker sees which unit answered, not the cadre's name and account.
    init(_ item: VoiceItem, hops: [VoiceHop], proposals: [Proposal] = [], photos: [String] = [], today: CalendarDate, forAsker: Bool = false) {
        id = item.id ?? 0
        number = item.number
        title = item.title
        body = item.body
        category = item.category
        unitName = item.unitName
        status = item.status.label
        isOpen = item.status.isOpen
        isSubmitted = item.status == .submitted
        isAnswered = item.status == .answered
        submittedAt = ChinaTime.dateTimeString(item.submittedAt)
        acceptDue = item.acceptDue
        answerDue = item.answerDue
        overdue = item.isOverdue(today: today)
        answer = item.answer
        answeredBy = forAsker ? item.answeredBy.map { _ in item.unitName } : item.answeredBy
        answeredAt = item.answeredAt.map(ChinaTime.dateTimeString)
        rating = item.rating?.label
        mayPublish = item.mayPublish
        published = item.published
        reopened = item.reopened
        askerName = item.askerName
        askerPhone = item.askerPhone ?? ""
        anonymous = item.anonymous
        self.hops = hops.map {
            Hop(at: ChinaTime.dateTimeString($0.at), kind: $0.kind.label, unitName: $0.toUnitName, reason: $0.reason ?? "", actor: $0.actorName)
        }
        hasHops = !hops.isEmpty
        self.proposals = proposals.map { "\($0.kind)「\($0.title)」（\($0.deputyName)，\($0.session)）：\($0.status.label)\($0.outcome.map { "——\($0)" } ?? "")" }
        hasProposals = !proposals.isEmpty
        self.photos = photos
        hasPhotos = !photos.isEmpty
    }
}

/// The form to ask: the categories in use, the city and its districts, and for a visitor the light
/// account's fields.
struct VoiceAskPage: Encodable {
    let csrf: String
    let visitor: Bool
    let categories: [Choice]
    let districts: [Choice]
    let form: FormState

    init(csrf: String, visitor: Bool, categories: [VoiceCategory], districts: [UnitName], form: FormState) {
        self.csrf = csrf
        self.visitor = visitor
        self.categories = categories.map { Choice(value: String($0.id ?? 0), label: $0.name) }
        self.districts = Choice.units(districts)
        self.form = form
    }
}

/// After asking: the number to follow the question by.
struct VoiceAskedPage: Encodable {
    let number: String
    let answerDue: String
    let unitName: String
    let newAccount: String?
}

/// The asker's own questions.
struct VoiceMinePage: Encodable {
    let items: [VoiceRow]
    let hasItems: Bool
}

/// One of the asker's questions, with the rating form once it is answered.
struct VoiceMineItemPage: Encodable {
    let item: VoiceDetail
    let rateURL: String
    let canReopen: Bool
    let ratings: [Choice]
    let form: FormState
    /// Arrived here from asking the question: the page says it was received, and by when it is answered.
    let justAsked: Bool
}


/// The public list of answered questions.
struct VoiceAnswersPage: Encodable {
    struct Answer: Encodable {
        let url: String
        let title: String
        let category: String
        let unitName: String
        let answeredAt: String
    }

    let answers: [Answer]
    let hasAnswers: Bool
    let keyword: String
    let pagination: Pagination
}

/// A published question and its answer, without personal data.
struct VoiceAnswerPage: Encodable {
    let title: String
    let body: String
    let category: String
    let unitName: String
    let asker: String
    let askedOn: String
    let answer: String
    let answeredOn: String
}

/// A unit's queue: tabs by status, the overdue list and what was reported to the unit.
struct VoiceQueuePage: Encodable {
    struct Tab: Encodable {
        let label: String
        let url: String
        let count: Int
        let current: Bool
    }

    let unitName: String
    let tabs: [Tab]
    let items: [VoiceRow]
    let hasItems: Bool
    let overdue: [VoiceRow]
    let hasOverdue: Bool
    let escalated: [VoiceRow]
    let hasEscalated: Bool
    let pagination: Pagination
    let isCity: Bool
}

/// One item for a cadre, with the actions its status allows.
struct VoiceAdminItemPage: Encodable {
    let item: VoiceDetail
    let acceptURL: String
    let answerURL: String
    let passURL: String
    let unitsBelow: [Choice]
    let unitAbove: Choice?
    let hasUnitAbove: Bool
    let form: FormState
}

/// The city's settings.
struct VoiceSettingsPage: Encodable {
    struct Category: Encodable {
        let name: String
        let active: Bool
        let toggleURL: String
    }

    struct Rule: Encodable {
        let district: String
        let category: String
        let unit: String
        let deleteURL: String
    }

    /// The cadence of 面对面 and the contact target.
    struct Outreach: Encodable {
        let cityCadence: String
        let districtCadence: String
        let contactTarget: Int
        let cadences: [Choice]

        init(_ row: OutreachPolicyRow) {
            cityCadence = row.cityCadence.rawValue
            districtCadence = row.districtCadence.rawValue
            contactTarget = row.contactTarget
            cadences = OutreachCadence.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
        }
    }

    struct Day: Encodable {
        let day: String
        let kind: String
        let note: String
        let deleteURL: String
    }

    let categories: [Category]
    let categoryChoices: [Choice]
    let districts: [Choice]
    let rules: [Rule]
    let policy: VoicePolicy
    let outreach: Outreach
    let days: [Day]
    let form: FormState
}

/// 青年之声's figures for a unit and a year.
struct VoiceStatisticsPage: Encodable {
    struct Line: Encodable {
        let name: String
        let url: String?
        let items: Int
        let answered: Int
        let accept: String
        let answer: String
        let overdue: String
        let satisfaction: String
        let reopen: String

        init(name: String, url: String?, _ figures: VoiceFigures) {
            self.name = name
            self.url = url
            items = figures.items
            answered = figures.answered
            func days(_ p50: Int?, _ p90: Int?) -> String { p50.map { "\($0) / \(p90 ?? $0)" } ?? "—" }
            func share(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
            accept = days(figures.acceptDaysP50, figures.acceptDaysP90)
            answer = days(figures.answerDaysP50, figures.answerDaysP90)
            overdue = share(figures.overdueShare)
            satisfaction = share(figures.satisfactionShare)
            reopen = share(figures.reopenShare)
        }
    }

    let unitName: String
    let year: Int
    let years: [Int]
    let unitID: Int
    let total: Line
    let byCategory: [Line]
    let byUnit: [Line]
}
