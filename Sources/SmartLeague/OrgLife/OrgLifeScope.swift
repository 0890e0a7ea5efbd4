import Fluent
import LeagueCore

/// Meetings, cadres and grading sheets belong to their branch or unit.
extension Meeting: UnitScoped {
    static var unitPathField: KeyPath<Meeting, FieldProperty<Meeting, TreePath>> { \.$branchPath }
}

extension Cadre: UnitScoped {
    static var unitPathField: KeyPath<Cadre, FieldProperty<Cadre, TreePath>> { \.$unitPath }
}

extension GradingSheet: UnitScoped {
    static var unitPathField: KeyPath<GradingSheet, FieldProperty<GradingSheet, TreePath>> { \.$branchPath }
}

extension Scope {
    /// Who was present at a meeting in reach: the members and trainees on its attendance, as they
    /// are now, wherever they have gone since.
    func attendees(of meeting: Meeting, on db: any Database) async throws -> (members: [Member], trainees: [AdmissionApplication]) {
        let attendance = try await MeetingAttendance.query(on: db).filter(\.$meetingID == (meeting.id ?? -1)).all()
        guard contains(meeting.branchPath) else { return ([], []) }
        let members = try await Member.query(on: db).filter(\.$id ~~ attendance.compactMap(\.memberID)).sort(\.$name).all()
        let trainees = try await AdmissionApplication.query(on: db).filter(\.$id ~~ attendance.compactMap(\.applicantID)).sort(\.$name).all()
        return (members, trainees)
    }
}
