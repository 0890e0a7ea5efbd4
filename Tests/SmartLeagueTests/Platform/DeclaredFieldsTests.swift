import Fluent
import NIOConcurrencyHelpers
import Testing
@testable import SmartLeague

/// Every model names its property wrappers (`DeclaredFields`) so that Fluent does not reflect on
/// each row: a list that missed one would leave its column unread and unwritten.
@Suite struct DeclaredFieldsTests {
    static let models: [any DeclaredFields.Type] = [
        Account.self, AdmissionApplication.self, AdmissionEvent.self, AdmissionQuota.self,
        Attachment.self, AttachmentContent.self, AuditEntry.self, BranchReview.self,
        BrowserSession.self, Cadre.self, ChangeRequestRecord.self, ContactVisit.self, ContestEntry.self,
        ContestJudge.self, ContestScore.self, Deputy.self, DuesPayment.self, DuesPolicyRecord.self,
        DuesProfile.self, EvaluationIndicator.self, EvaluationScheme.self, EvaluationScore.self,
        EvaluationSheet.self, GradingRound.self, GradingSheet.self, GraduatingClass.self,
        Internship.self, LeavingRequest.self, Meeting.self, MeetingAttendance.self, MeetingCadence.self,
        Member.self, MemberImportUpload.self, MemberRating.self, MemberStatRow.self, Organization.self,
        OutreachMeeting.self, OutreachPolicyRow.self, Proposal.self, ProposalNeed.self,
        ServiceDispute.self, ServiceRecord.self, StarPolicyRecord.self, Studio.self,
        StudyCompletion.self, StudyEpisode.self, TaskAssignment.self, TaskReport.self, TaskTarget.self,
        TaskTargetPart.self, Transfer.self, TransferEvent.self, TransferRequest.self,
        VoiceCategory.self, VoiceHop.self, VoiceItem.self, VoicePolicyRow.self, VoiceRoutingRule.self,
        Volunteer.self, VolunteerCertificate.self, VolunteerContest.self, VolunteerGroup.self,
        VolunteerIdentityCheck.self, VolunteerPost.self, VolunteerProject.self, VolunteerSignUp.self,
        WorkPlan.self, WorkPlanEntry.self, WorkingCalendarDay.self, YouthContact.self, YouthFarm.self
    ]

    @Test func everyModelListsTheWrappersItDeclaresInOrder() {
        for model in Self.models {
            let instance = model.init()
            #expect(DeclaredFieldsCheck.difference(declared: instance.declaredProperties, of: instance) == nil, "\(model)")
        }
    }

    /// A list lacking a wrapper is told apart, by the wrapper's name.
    @Test func aListLackingAWrapperIsFound() throws {
        let unit = Organization()
        let short = Array(unit.declaredProperties.dropLast())
        let difference = try #require(DeclaredFieldsCheck.difference(declared: short, of: unit))
        #expect(difference.contains("_updatedAt"))
    }

    /// Fluent's own generic code (here the model's column names) reads the declared list.
    @Test func fluentReadsTheDeclaredList() {
        let before = CountedModel.listed.withLockedValue { $0 }
        #expect(CountedModel.keys == ["id", "name"])
        #expect(CountedModel.listed.withLockedValue { $0 } > before)
    }
}

/// A model that counts how often its list is read.
private final class CountedModel: Model, DeclaredFields, @unchecked Sendable {
    static let schema = "counted"
    static let listed = NIOLockedValueBox(0)
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "name") var name: String
    var declaredProperties: [any AnyProperty] {
        Self.listed.withLockedValue { $0 += 1 }
        return [$id, $name]
    }

    init() {}
}
