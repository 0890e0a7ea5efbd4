import LeagueCore

/// One branch's 三会一课 this year: what it has kept, its record, and the form to add to it.
struct BranchMeetingsPage: Encodable {
    struct ComplianceItem: Encodable {
        let kind: String
        let met: Int
        let due: Int
        let missing: String
    }

    struct MeetingRow: Encodable {
        let url: String
        let kind: String
        let heldOn: String
        let topic: String
        let teacher: String
        let present: Int
    }

    struct PersonChoice: Encodable {
        let id: Int
        let name: String
        let checked: Bool
    }

    let id: Int
    let name: String
    let year: Int
    let percent: Int
    let items: [ComplianceItem]
    let meetings: [MeetingRow]
    let hasMeetings: Bool
    let members: [PersonChoice]
    let trainees: [PersonChoice]
    let hasTrainees: Bool
    let kinds: [Choice]
    let form: FormState

    /// - Parameter form: the form as typed, whose ticked boxes stay ticked; a new one is dated today.
    init(_ record: OrgLifeQueries.Branch, today: CalendarDate, form: FormState) {
        id = record.branch.id ?? 0
        name = record.branch.name
        year = today.year
        percent = record.compliance.percent
        items = record.compliance.items.map {
            ComplianceItem(kind: $0.kind.label, met: $0.met, due: $0.due, missing: $0.missing.map(Cadence.label(ofPeriod:)).joined(separator: "、"))
        }
        meetings = record.meetings.map {
            MeetingRow(url: OrgLifeRoute.meeting(.value($0.id ?? 0)).url, kind: $0.kind.label, heldOn: $0.heldOn, topic: $0.topic,
                       teacher: MeetingPage.teacher(of: $0), present: $0.id.flatMap { record.presentCounts[$0] } ?? 0)
        }
        hasMeetings = !meetings.isEmpty
        members = record.members.map { member in
            PersonChoice(id: member.id ?? 0, name: member.name, checked: form.values[MeetingForm.present + String(member.id ?? 0)] != nil)
        }
        trainees = record.trainees.map { trainee in
            PersonChoice(id: trainee.id ?? 0, name: trainee.name, checked: form.values[MeetingForm.trainee + String(trainee.id ?? 0)] != nil)
        }
        hasTrainees = !trainees.isEmpty
        kinds = MeetingKind.allCases.map { Choice(value: $0.rawValue, label: $0.label) }
        var state = form
        if state.values["heldOn"] == nil { state.values["heldOn"] = today.description }
        self.form = state
    }
}
