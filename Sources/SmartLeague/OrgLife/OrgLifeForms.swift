import LeagueCore

/// A meeting or lesson as a branch records it; who was there arrives as ticked boxes.
struct MeetingForm: FormInput {
    var kind: String?
    var heldOn: String?
    var topic: String?
    var place: String?
    var minutes: String?
    var teacher: String?
    var teacherIsHead: String?
    var classHours: String?
    /// Ticked people arrive as present-<member id>=1 and trainee-<applicant id>=1, so that any
    /// number of them fit a plain form.
    var ticked: [String: String]

    init(from decoder: any Decoder) throws {
        let fields = try [String: String](from: decoder)
        kind = fields["kind"]
        heldOn = fields["heldOn"]
        topic = fields["topic"]
        place = fields["place"]
        minutes = fields["minutes"]
        teacher = fields["teacher"]
        teacherIsHead = fields["teacherIsHead"]
        classHours = fields["classHours"]
        ticked = fields.filter { $0.key.hasPrefix(Self.present) || $0.key.hasPrefix(Self.trainee) }
    }

    static let present = "present-"
    static let trainee = "trainee-"

    /// The ids ticked in boxes named `prefix` and an id.
    func ids(_ prefix: String) -> [Int] {
        ticked.keys.compactMap { $0.hasPrefix(prefix) ? Int($0.dropFirst(prefix.count)) : nil }
    }

    /// The meeting without its file, which the controller reads from the upload.
    func validate(_ check: inout FormState, today: CalendarDate) -> MeetingWrites.Draft? {
        let kind = check.check("kind") {
            guard let kind = MeetingKind(rawValue: self.kind ?? "") else { throw FormField.Problem("请选择会议类型") }
            return kind
        }
        let heldOn = check.check("heldOn") { try FormField.date(self.heldOn, label: "会议日期", required: true) } ?? nil
        let topic = check.check("topic") { try FormField.requiredText(self.topic, label: "主题", min: 2, max: 100) }
        let place = check.check("place") { try FormField.requiredText(self.place, label: "地点", max: 100) }
        let minutes = check.check("minutes") { try FormField.requiredText(self.minutes, label: "会议记录", min: 10, max: 20000) }
        let teacher = check.check("teacher") { try FormField.text(self.teacher, label: "授课人", required: false, max: 30) }
        let attendees = ids(Self.present)
        if attendees.isEmpty { check.errors["attendees"] = "请勾选出席人员" }
        guard let kind, let heldOn, let topic, let place, let minutes, let teacher, !attendees.isEmpty else { return nil }
        return MeetingWrites.Draft(kind: kind, heldOn: heldOn, topic: topic, place: place, minutes: minutes, teacher: teacher,
                                   teacherIsHead: FormState.ticked(teacherIsHead), classHours: Int(classHours ?? "") ?? 0,
                                   attendees: attendees, applicants: ids(Self.trainee), file: nil)
    }
}

/// The city's cadence for one kind of meeting.
struct CadenceForm: FormInput {
    var kind: String?
    var cadence: String?

    struct Valid: Sendable {
        let kind: MeetingKind
        let cadence: Cadence
    }

    func validate(_ check: inout FormState, today: CalendarDate) -> Valid? {
        let kind = check.check("kind") {
            guard let kind = MeetingKind(rawValue: self.kind ?? "") else { throw FormField.Problem("请选择会议类型") }
            return kind
        }
        let cadence = check.check("cadence") {
            guard let cadence = Cadence(rawValue: self.cadence ?? "") else { throw FormField.Problem("请选择频次") }
            return cadence
        }
        guard let kind, let cadence else { return nil }
        return Valid(kind: kind, cadence: cadence)
    }
}

/// A cadre appointed to a unit.
struct CadreForm: FormInput {
    var unit: String?
    var name: String?
    var post: String?
    var mode: String?
    var termStart: String?
    var frontLine: String?

    /// The unit the form was for, to show its page again.
    var unitID: Int? { unit.flatMap { Int($0) } }

    func validate(_ check: inout FormState, today: CalendarDate) -> CadreWrites.Draft? {
        let name = check.check("name") { try FormField.requiredText(self.name, label: "姓名", min: 2, max: 30) }
        let post = check.check("post") {
            guard let post = CadrePost(rawValue: self.post ?? "") else { throw FormField.Problem("请选择职务") }
            return post
        }
        let mode = check.check("mode") {
            guard let mode = CadreMode(rawValue: self.mode ?? "") else { throw FormField.Problem("请选择专职、挂职或兼职") }
            return mode
        }
        let start = check.check("termStart") { try FormField.date(self.termStart, label: "任期开始", required: true) } ?? nil
        guard let name, let post, let mode, let start else { return nil }
        return CadreWrites.Draft(unitID: unitID, name: name, post: post, mode: mode, termStart: start,
                                 frontLine: FormState.ticked(frontLine))
    }
}
