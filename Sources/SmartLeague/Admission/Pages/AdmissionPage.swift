import LeagueCore

/// One application: its steps so far, and the next one, the signed form or the rejection the
/// caller may record.
struct AdmissionPage: Encodable {
    struct EventRow: Encodable {
        let step: String
        let day: String
        let note: String
        let by: String
    }

    struct FileView: Encodable {
        let url: String
        let name: String
    }

    let id: Int
    let name: String
    let idMasked: String
    let branchName: String
    let stage: String
    let stageKey: String
    let events: [EventRow]
    let classHours: Int
    let nextStep: String?
    let nextLabel: String?
    /// The branch takes its own steps; the pre-check, approval and certification are the level above's.
    let canStep: Bool
    let canReject: Bool
    let canFileForm: Bool
    let formDue: String?
    let files: [FileView]
    let hasFiles: Bool
    let rejectedReason: String?
    let today: String
    let form: FormState

    init(_ detail: AdmissionQueries.Detail, scope: Scope, today: CalendarDate, form: FormState) {
        let application = detail.application
        let applicationID = application.id ?? 0
        let next = AdmissionStep.forward.first { $0.from == application.stage }
        id = applicationID
        name = application.name
        idMasked = application.idMasked
        branchName = detail.branch.name
        stage = application.stage.label
        stageKey = application.stage.rawValue
        events = detail.events.map { EventRow(step: $0.step, day: $0.onDay, note: $0.note, by: $0.by) }
        classHours = detail.classHours
        nextStep = next?.rawValue
        nextLabel = next?.label
        canStep = next.map { !$0.isUpperLevel || scope.isStrictlyAbove(detail.branch) } ?? false
        canReject = application.stage.isOpen
        canFileForm = application.stage == .member && detail.files.isEmpty
        formDue = application.swornOn.flatMap(CalendarDate.init).map { AdmissionRules.formDue(sworn: $0).description }
        files = detail.files.map { FileView(url: AdmissionRoute.downloadForm(.value(applicationID), .value($0.id ?? 0)).url, name: $0.fileName) }
        hasFiles = !files.isEmpty
        rejectedReason = application.rejectedReason
        self.today = today.description
        self.form = form
    }
}
