import Foundation
import LeagueCore
import Testing
@testable import SmartLeague

/// The volunteering pages and forms built from rows and fields, without HTTP or a database.
@Suite struct VolunteeringPageTests {
    static let nine = Date(timeIntervalSince1970: 1_780_000_000)

    static func post(_ id: Int) -> VolunteerPost {
        let post = VolunteerPost()
        post.id = id
        post.projectID = 3
        post.unitPath = TreePath(ids: [1, 2])
        post.title = "陪伴员"
        post.category = "助老助残"
        post.place = "鼓楼社区"
        post.districtID = 2
        post.requirements = ""
        post.day = "2026-06-01"
        post.startsAt = nine
        post.endsAt = nine.addingTimeInterval(7200)
        post.capacity = 10
        post.taken = 4
        post.needsApproval = false
        post.published = true
        post.codeSecret = "secret"
        return post
    }

    static func signUp(_ id: Int, checkedIn: Bool) -> VolunteerSignUp {
        let signUp = VolunteerSignUp()
        signUp.id = id
        signUp.postID = 7
        signUp.volunteerID = 5
        signUp.unitPath = TreePath(ids: [1, 2])
        signUp.status = .accepted
        signUp.requestedAt = nine.addingTimeInterval(-86_400)
        signUp.checkedInAt = checkedIn ? nine : nil
        signUp.checkedOutAt = nil
        return signUp
    }

    @Test func theCheckInPageOffersCheckOutOnceCheckedInAndSaysWhenThereIsNothingToClock() {
        let before = VolunteerCheckInPage(post: Self.post(7), signUp: Self.signUp(11, checkedIn: false), code: "1234567", form: FormState())
        let after = VolunteerCheckInPage(post: Self.post(7), signUp: Self.signUp(11, checkedIn: true), code: "", form: FormState())
        let stranger = VolunteerCheckInPage(post: Self.post(7), signUp: nil, code: "", form: FormState())
        #expect(before.clockURL == "/volunteer/signups/11/checkin" && before.code == "123456")
        #expect(after.clockURL == "/volunteer/signups/11/checkout")
        #expect(stranger.clockURL == nil && stranger.form.errors["_form"] == "您没有该岗位的录用记录，不能签到")
    }

    @Test func theQRCodesLinkIsTheConfiguredAddressWithTheCurrentCode() {
        let post = Self.post(7)
        let code = CheckInCode.code(secret: post.codeSecret, at: Self.nine)
        #expect(CheckInCode.link(publicBaseURL: "https://tuan.example.cn", post: post, at: Self.nine)
            == "https://tuan.example.cn/volunteer/checkin?post=7&code=\(code)")
    }

    @Test func thePublicVerificationMasksTheNameAndLeavesOutTheVolunteerNumberAndHandler() {
        let certificate = VolunteerCertificate()
        certificate.id = 4
        certificate.number = "NBZYZM2026000004"
        certificate.minutes = 90
        certificate.content = "陪伴员"
        certificate.issuerName = "共青团海曙区委"
        certificate.personInCharge = "王"
        certificate.handler = "李经办"
        certificate.contact = "0574-87654321"
        certificate.issuedOn = "2026-06-02"
        let volunteer = Volunteer()
        volunteer.name = "周愿"
        volunteer.idMasked = "330203********0011"
        volunteer.volunteerNumber = "ZY3302000001"
        let page = CertificateVerifyPage(number: CertificateVerifyPage.number(typed: " nbzyzm2026000004 "), found: (certificate, volunteer))
        #expect(page.number == "NBZYZM2026000004" && page.searched)
        #expect(page.found?.name == "周*" && page.found?.volunteerNumber == "" && page.found?.handler == "" && page.found?.hours == "1.5")
        #expect(VolunteerCertificatePage(certificate, volunteer: volunteer).handler == "李经办")
    }

    @Test func routesGiveTheLinksTheTemplatesUsedToSpell() {
        #expect(VolunteeringRoute.memberTakeUp(.value(9)).url == "/members/9/volunteer/take-up")
        #expect(VolunteeringRoute.decideSignUp(.value(3), "approve").url == "/volunteering/signups/3/approve")
        #expect(VolunteeringRoute.qr(.value(3)).url == "/volunteering/posts/3/qr.svg")
        #expect(ContestRoute.scores(.value(2)).url == "/volunteering/contests/2/scores")
        #expect(VolunteerRoute.checkIn.url(query: [("post", "7")]) == "/volunteer/checkin?post=7")
        #expect(VolunteerRoute.post(.value(7)).name == "volunteer.post" && VolunteeringRoute.post(.value(7)).name == "volunteering.post")
    }

    @Test func postsFormFilesEachProblemUnderItsField() throws {
        let fields = ["title": "陪伴员", "place": "鼓楼社区", "capacity": "十", "start": "09:00", "end": "11:00",
                      "days": "2026-12-05，2026-12-05\n2026-12-06"]
        var state = FormState(values: fields)
        #expect(try FormFields.decode(VolunteerPostsForm.self, from: fields).validate(&state, today: CalendarDate(year: 2026, month: 6, day: 1)!) == nil)
        #expect(state.errors == ["capacity": "招募人数应为整数"])
        var fixed = FormState()
        let valid = try FormFields.decode(VolunteerPostsForm.self, from: fields.merging(["capacity": "8", "approval": "1"]) { $1 })
            .validate(&fixed, today: CalendarDate(year: 2026, month: 6, day: 1)!)
        #expect(fixed.isValid && valid?.capacity == 8 && valid?.needsApproval == true && valid?.days.map(\.description) == ["2026-12-05", "2026-12-06"])
        var bad = FormState()
        _ = try FormFields.decode(VolunteerPostsForm.self, from: ["days": "12/05"]).validate(&bad, today: CalendarDate(year: 2026, month: 6, day: 1)!)
        #expect(bad.errors["days"] == "日期「12/05」格式应为 2026-12-05" && bad.errors["title"] != nil)
    }

    @Test func aJudgesScoresAreReadFromTheirNumberedFields() throws {
        var state = FormState()
        let scores = try FormFields.decode(ContestScoresForm.self, from: ["csrf": "t", "score12": " 85 ", "score13": "", "score14": "很好"])
            .validate(&state, today: CalendarDate(year: 2026, month: 6, day: 1)!)
        #expect(scores == [12: 85] && state.errors["_form"] == "评分应为 0 到 100 的整数")
    }
}
