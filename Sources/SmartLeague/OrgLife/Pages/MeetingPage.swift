import LeagueCore

/// One meeting or lesson: its minutes, who was there and its files.
struct MeetingPage: Encodable {
    struct FileView: Encodable {
        let url: String
        let name: String
        let size: String
    }

    let id: Int
    let branchURL: String
    let branchName: String
    let kind: String
    let heldOn: String
    let topic: String
    let place: String
    let minutes: String
    let teacher: String
    let classHours: Int
    let present: [String]
    let files: [FileView]
    let hasFiles: Bool
    let recordedBy: String

    init(_ detail: OrgLifeQueries.MeetingDetail) {
        let meeting = detail.meeting
        let meetingID = meeting.id ?? 0
        id = meetingID
        branchURL = OrgLifeRoute.branch(.value(detail.branch.id ?? 0)).url
        branchName = detail.branch.name
        kind = meeting.kind.label
        heldOn = meeting.heldOn
        topic = meeting.topic
        place = meeting.place
        minutes = meeting.minutes
        teacher = Self.teacher(of: meeting)
        classHours = meeting.classHours
        present = detail.members.map(\.name) + detail.trainees.map { "\($0.name)（入团积极分子）" }
        files = detail.files.map { file in
            FileView(url: OrgLifeRoute.meetingFile(.value(meetingID), .value(file.id ?? 0)).url, name: file.fileName, size: ByteSize.text(file.size))
        }
        hasFiles = !files.isEmpty
        recordedBy = meeting.recordedBy
    }

    /// Who taught a lesson, marked when it was the head of the grassroots committee.
    static func teacher(of meeting: Meeting) -> String {
        (meeting.teacher ?? "") + (meeting.teacherIsHead ? "（基层团委书记）" : "")
    }
}
