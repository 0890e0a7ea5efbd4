import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

@Suite struct ServiceHoursTests {
    /// Check-in and check-out with the organiser's code count the time inside the slot only;
    /// honour hours need a reason and fit within the activity; credit hours are never edited;
    /// a dispute is answered with an audited correction; stars and certificates follow the hours.
    @Test func hoursFromClockingAndFromTheOrganiserAreKeptApartCappedAndCertified() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let branch = try await Fixtures.child(app, of: haishu, "海曙区某团支部", .branch)
            let post = try await VolunteerFixtures.post(app, at: haishu, district: haishu, capacity: 5)
            let visitor = Browser(app)
            try await visitor.get("/volunteer/register")
            try await visitor.post("/volunteer/register", ["name": "周愿", "residentID": Fixtures.residentID(birth: "2000-08-08", sequence: 501),
                                                           "district": String(haishu.id!), "username": "zhouyuan",
                                                           "password": "Volunteer1", "confirm": "Volunteer1"])
            let volunteer = Browser(app)
            try await volunteer.signIn("zhouyuan", "Volunteer1")
            try await volunteer.get("/volunteer/posts/\(post.id!)")
            #expect(try await volunteer.post("/volunteer/posts/\(post.id!)/signup").status == .seeOther)
            let signUp = try #require(try await Scope.unrestricted.query(VolunteerSignUp.self, on: app.db).filter(\.$postID == post.id!).first())
            #expect(signUp.status == .accepted)

            // Half an hour before the slot: check-in opens; a wrong code is refused.
            app.clock.advance(by: post.startsAt.timeIntervalSince(app.clock.now()) - 1800)
            try await volunteer.signIn("zhouyuan", "Volunteer1")
            let code = { CheckInCode.code(secret: post.codeSecret, at: app.clock.now()) }
            try await volunteer.get("/volunteer/checkin?post=\(post.id!)&code=\(code())")
            let wrong = String(format: "%06d", (Int(code())! + 1) % 1_000_000)
            #expect(try await volunteer.post("/volunteer/signups/\(signUp.id!)/checkin", ["code": wrong]).contains("签到码不正确"))
            #expect(try await volunteer.post("/volunteer/signups/\(signUp.id!)/checkin", ["code": code()]).status == .seeOther)
            // Out 40 minutes after the end: only the two hours of the slot count.
            app.clock.advance(by: post.endsAt.timeIntervalSince(app.clock.now()) + 2400)
            try await volunteer.signIn("zhouyuan", "Volunteer1")
            try await volunteer.get("/volunteer/checkin?post=\(post.id!)")
            #expect(try await volunteer.post("/volunteer/signups/\(signUp.id!)/checkout", ["code": code()]).status == .seeOther)
            // The volunteer cannot leave once the activity has begun; the organiser cannot clock for them.
            try await volunteer.get("/volunteer/me")
            #expect(try await volunteer.post("/volunteer/signups/\(signUp.id!)/cancel").contains("已签到，不能取消报名"))
            let credit = try #require(try await Scope.unrestricted.query(ServiceRecord.self, on: app.db).filter(\.$postID == post.id!).first())
            #expect(credit.kind == .credit && credit.minutes == 120)

            // Honour hours: a reason is required and the activity's two hours are already used.
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await admin.get("/volunteering/posts/\(post.id!)")
            #expect(try await admin.post("/volunteer/signups/\(signUp.id!)/checkout", ["code": code()]).status == .notFound)
            let volunteerID = String(signUp.volunteerID)
            #expect(try await admin.post("/volunteering/posts/\(post.id!)/honor", ["volunteer": volunteerID, "hours": "1"])
                .contains("补录时长须写明理由"))
            #expect(try await admin.post("/volunteering/posts/\(post.id!)/honor", ["volunteer": volunteerID, "hours": "0.5", "reason": "补登"])
                .contains("超过活动总时长"))
            // Credit hours cannot be edited.
            try await admin.get("/volunteering/volunteers/\(volunteerID)")
            try await admin.post("/volunteering/records/\(credit.id!)/correct", ["hours": "3", "reason": "多算"])
            #expect(try await Scope.unrestricted.query(ServiceRecord.self, on: app.db).filter(\.$id == credit.id!).first()?.minutes == 120)

            // The volunteer disputes; the unit corrects by honour hours, within the cap (none left: refused).
            try await volunteer.get("/volunteer/me")
            try await volunteer.post("/volunteer/records/\(credit.id!)/dispute", ["reason": "我服务了三个小时"])
            let dispute = try #require(try await Scope.unrestricted.query(ServiceDispute.self, on: app.db).first())
            try await admin.get("/volunteering/disputes")
            #expect(try await admin.post("/volunteering/disputes/\(dispute.id!)/resolve", ["outcome": "correct", "hours": "1", "reply": "核实"])
                .contains("超过活动总时长"))
            try await admin.post("/volunteering/disputes/\(dispute.id!)/resolve", ["outcome": "dismiss", "reply": "按签到签退记录"])
            #expect(try await Scope.unrestricted.query(ServiceDispute.self, on: app.db).first()?.status == .dismissed)

            // Stars follow the total under the city's table: a 2-hour first star.
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            try await city.get("/volunteering")
            #expect(try await admin.post("/volunteering/stars", ["stars": "2,3,6,10,15"]).contains("星级标准由团市委确定"))
            try await city.post("/volunteering/stars", ["stars": "2,3,6,10,15"])
            #expect(try await volunteer.get("/volunteer/me").contains("1 星志愿者"))

            // The recording unit certifies; anyone verifies by number and sees a masked identity.
            try await admin.get("/volunteering/volunteers/\(volunteerID)")
            let issued = try await admin.post("/volunteering/volunteers/\(volunteerID)/certificates",
                                              ["personInCharge": "王书记", "contact": "0574-87654321"])
            let certificatePath = try #require(issued.location)
            let certificate = try #require(try await Scope.unrestricted.query(VolunteerCertificate.self, on: app.db).first())
            #expect(certificate.minutes == 120 && certificate.issuerName == haishu.name)
            let printed = try await admin.get(certificatePath)
            #expect(printed.contains("志愿服务证明") && printed.contains("2.0") && printed.contains(certificate.number))
            let verified = try await Browser(app).get("/volunteer/verify?number=\(certificate.number)")
            #expect(verified.contains("周*") && !verified.contains("周愿") && verified.contains("2.0"))
            #expect(try await Browser(app).get("/volunteer/verify?number=NBZYZM2026999999").contains("未查到"))
            // Another branch's administrator has no records of theirs to certify.
            let other = try await Fixtures.administrator(app, "branchadmin", of: branch)
            #expect(try await other.get("/volunteering/volunteers/\(volunteerID)").status == .notFound)
            #expect(try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action ~~ ["volunteer.check_in", "service_record.credit",
                "service_dispute.open", "service_dispute.resolve", "volunteer_certificate.issue"]).count() == 5)
        }
    }

    /// Honour hours for someone who served without clocking, and their correction, audited.
    @Test func honourHoursAreCorrectedWithinTheActivity() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let post = try await VolunteerFixtures.post(app, at: haishu, district: haishu, capacity: 5)
            let person = try await VolunteerFixtures.volunteer(app, "吴补", sequence: 601, district: haishu)
            _ = try await VolunteerFixtures.signUp(app, person, for: post)
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await admin.get("/volunteering/posts/\(post.id!)")
            try await admin.post("/volunteering/posts/\(post.id!)/honor", ["volunteer": String(person.id!), "hours": "1.5", "reason": "手机没电未能签到"])
            let record = try #require(try await Scope.unrestricted.query(ServiceRecord.self, on: app.db).first())
            #expect(record.kind == .honor && record.minutes == 90)
            try await admin.get("/volunteering/volunteers/\(person.id!)")
            try await admin.post("/volunteering/records/\(record.id!)/correct", ["hours": "2.5", "reason": "核对签到表"])
            #expect(try await Scope.unrestricted.query(ServiceRecord.self, on: app.db).first()?.minutes == 90)
            try await admin.post("/volunteering/records/\(record.id!)/correct", ["hours": "2", "reason": "核对签到表"])
            #expect(try await Scope.unrestricted.query(ServiceRecord.self, on: app.db).first()?.minutes == 120)
            #expect(try await Scope.unrestricted.find(Volunteer.self, person.id, on: app.db).totalMinutes == 120)
            let audit = try #require(try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action == "service_record.correct").first())
            #expect(audit.changes.contains("1.5") && audit.changes.contains("2.0"))
        }
    }
}
