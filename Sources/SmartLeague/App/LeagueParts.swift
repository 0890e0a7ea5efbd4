/// The parts of the league's work this program runs, in the order their tables depend on each
/// other (a part's migrations run after those of the parts before it). A new part is a folder with
/// a `LeaguePart` and one line here.
enum LeagueParts {
    static let all: [any LeaguePart] = [
        OrganizationsPart(),
        MembersPart(),
        StatisticsPart(),
        WorkPlanPart(),
        StudyPart(),
        OrgLifePart(),
        AdmissionPart(),
        DuesPart(),
        TransfersPart(),
        LeavingPart(),
        ReviewPart(),
        VolunteeringPart(),
        YouthVoicePart(),
        DemoPart(),
    ]
}
