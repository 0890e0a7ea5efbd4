import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

@Suite struct AdmissionTests {
    /// A resident ID of someone born `years` years before `day`, to the day.
    static func id(bornYearsBefore day: CalendarDate, years: Int, sequence: Int) -> String {
        Fixtures.residentID(birth: CalendarDate(year: day.year - years, month: day.month, day: min(day.day, 28))!.description,
                            sequence: sequence)
    }

    static func person(_ name: String, id: String) -> [String: String] {
        ["name": name, "residentID": id, "ethnicity": "汉族", "phone": "13805740000", "education": "高中", "occupation": "学生",
         "partyStatus": "团员"]
    }

    @Test func anApplicantBecomesACertifiedMemberStepByStep() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let school = try await Fixtures.child(app, of: haishu, "宁波市第一中学团委", .committee)
            let branch = try await Fixtures.child(app, of: school, "高二(3)班团支部", .branch)
            let sponsorA = try await Fixtures.member(app, "介绍人甲", sequence: 41, in: branch)
            let sponsorB = try await Fixtures.member(app, "介绍人乙", sequence: 43, in: branch)
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
            let secretary = try await Fixtures.administrator(app, "class", of: branch)
            let committee = try await Fixtures.administrator(app, "school", of: school)

            // Age on the day of application: 14 is old enough, 28 is too old.
            try await secretary.get("/admission/new?branch=\(branch.id!)")
            let tooOld = try await secretary.post("/admission", Self.person("超龄者", id: Self.id(bornYearsBefore: today, years: 28, sequence: 51))
                .merging(["branch": String(branch.id!), "appliedOn": today.description]) { $1 })
            #expect(tooOld.contains("申请入团须年满 14 周岁、未满 28 周岁（申请日为 28 岁）"))
            let fourteen = try await secretary.post("/admission", Self.person("刚满十四", id: Self.id(bornYearsBefore: CalendarDate("2026-01-05")!, years: 14, sequence: 53))
                .merging(["branch": String(branch.id!), "appliedOn": "2026-01-05"]) { $1 })
            let id = try #require(fourteen.location.flatMap { Int($0.split(separator: "/").last!) },
                                  "application refused: \(fourteen.status)")
            func step(_ browser: Browser, _ step: String, _ fields: [String: String]) async throws -> Browser.Page {
                try await browser.get("/admission/\(id)")
                return try await browser.post("/admission/\(id)/steps/\(step)", fields)
            }
            // No skipping; the talk within a month.
            #expect(try await step(secretary, "nameActivist", ["day": "2026-01-10", "source": "团员推荐", "mentors": "王老师"])
                .contains("当前为“已申请”，不能确定入团积极分子"))
            #expect(try await step(secretary, "talk", ["day": "2026-02-06"]).contains("应在申请后一个月内（2026-02-05 前）谈话"))
            try await step(secretary, "talk", ["day": "2026-01-20"])
            try await step(secretary, "nameActivist", ["day": "2026-02-01", "source": "团员推荐", "mentors": "王老师、李老师"])

            // Training: three months and eight class-hours of lessons attended as an activist.
            #expect(try await step(secretary, "nameCandidate", ["day": "2026-06-01", "sponsors": "T41,T43"])
                .contains("团课学习须满 8 学时，现有 0 学时"))
            for (index, date) in ["2026-02-10", "2026-03-10", "2026-04-10", "2026-05-10"].enumerated() {
                try await secretary.get("/orglife/branches/\(branch.id!)")
                try await secretary.post("/orglife/branches/\(branch.id!)/meetings", [
                    "kind": "lesson", "heldOn": date, "topic": "团课第\(index + 1)讲", "place": "教室", "teacher": "陈书记",
                    "classHours": "2", "minutes": "学习团的基本知识，讨论交流。", "present-\(sponsorA.id!)": "1", "trainee-\(id)": "1"])
            }
            #expect(try await MeetingWrites.classHours(applicant: id, on: app.db) == 8)
            #expect(try await step(secretary, "nameCandidate", ["day": "2026-04-30", "sponsors": "T41,T43"])
                .contains("培养考察须满 3 个月（2026-05-01 起才能确定为发展对象）"))
            #expect(try await step(secretary, "nameCandidate", ["day": "2026-06-01", "sponsors": "T41,T41"]).contains("两名不同的入团介绍人"))
            try await step(secretary, "nameCandidate", ["day": "2026-06-01", "sponsors": "T41,T43"])
            #expect(try await Scope.unrestricted.find(AdmissionApplication.self, id, on: app.db).sponsors == "T41,T43")
            // Sponsors are kept in the order given, either way round (a set of them once came out in hashing order).
            for numbers in [["T41", "T43"], ["T43", "T41", "T43"]] {
                #expect(try await AdmissionWrites.sponsors(numbers, Fixtures.context(app), on: app.db).map(\.memberNumber) == Array(numbers.prefix(2)))
            }

            // The pre-check belongs to the level above; the branch cannot do it.
            #expect(try await step(secretary, "precheck", ["day": "2026-06-05"]).contains("由团支部的上级团组织办理"))
            try await step(committee, "precheck", ["day": "2026-06-05"])
            #expect(try await step(secretary, "reject", ["day": today.description, "note": "不再申请"]).contains("由团支部的上级团组织办理"))
            // The vote: exactly half present is no quorum; the figures must add up.
            #expect(try await step(secretary, "vote", ["day": "2026-06-10", "expected": "10", "present": "5", "yes": "5", "no": "0", "abstain": "0"])
                .contains("未超过应到 10 人的半数，会议无效"))
            try await step(secretary, "vote", ["day": "2026-06-10", "expected": "10", "present": "8", "yes": "7", "no": "0", "abstain": "1"])

            // Approval needs a plan with room in it.
            #expect(try await step(committee, "approve", ["day": "2026-06-15"]).contains("2026 年尚未下达团员发展计划"))
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            try await city.get("/admission/quotas?year=2026")
            try await city.post("/admission/quotas/total", ["year": "2026", "amount": "100"])
            #expect(try await city.post("/admission/quotas/split", ["year": "2026", "lines": "330203 80\n330205 30"])
                .contains("分配合计 110 名，超过本单位计划 100 名（多 10 名）"))
            try await city.post("/admission/quotas/split", ["year": "2026", "lines": "330203 80\n330205 20"])
            try await step(committee, "approve", ["day": "2026-06-15"])
            #expect(try await AdmissionQuotas.quotas(year: 2026, units: [haishu.id!], on: app.db)[haishu.id!]?.used == 1)

            // The oath makes a member, whose league age counts from the branch meeting.
            try await step(secretary, "swear", ["day": today.description])
            let application = try await Scope.unrestricted.find(AdmissionApplication.self, id, on: app.db)
            #expect(application.stage == .member)
            let member = try await Scope.unrestricted.member(application.memberID, on: app.db)
            #expect(member.joinedOn == "2026-06-10")
            #expect(member.developmentNumber == application.developmentNumber)
            #expect(try await secretary.get("/admission/\(id)").contains("已入团（未认证）"))
            // Certification needs the signed form as a PDF first.
            #expect(try await step(committee, "certify", ["day": today.description]).contains("入团志愿书尚未上传"))
            let notPDF = try await secretary.upload("/admission/\(id)/form", [:], file: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
                                                    filename: "form.png", contentType: "image/png")
            #expect(notPDF.contains("只能上传 PDF 文件"))
            try await secretary.upload("/admission/\(id)/form", [:], file: Data("%PDF-1.4\n%%EOF\n".utf8), filename: "入团志愿书.pdf",
                                       contentType: "application/pdf")
            try await step(committee, "certify", ["day": today.description])
            #expect(try await Scope.unrestricted.find(AdmissionApplication.self, id, on: app.db).stage == .certified)

            // The board counts each stage; other districts see nothing of it.
            let board = try await committee.get("/admission")
            #expect(board.contains("<strong data-stage=\"certified\">1</strong>"))
            let jiangbei = try await Fixtures.administrator(app, "jiangbei", of: try await Fixtures.unit(app, code: "330205"))
            #expect(try await jiangbei.get("/admission/\(id)").status == .notFound)
            #expect(try await jiangbei.get("/admission").contains("<strong data-stage=\"certified\">0</strong>"))
            #expect(try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action ~~ ["admission.apply", "admission.certify"]).count() == 2)
            try await StatisticsTests.expectCountsMatchARecount(app)
        }
    }

    @Test func twentyApprovalsAtOnceAgainstAQuotaOfFiveAdmitExactlyFive() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let school = try await Fixtures.child(app, of: haishu, "宁波市第一中学团委", .committee)
            let branch = try await Fixtures.child(app, of: school, "高二(3)班团支部", .branch)
            let root = try #require(try await Scope.unrestricted.organizations(on: app.db).filter(\.$parentID == nil).first())
            for (unit, amount) in [(root, 100), (haishu, 50), (school, 5)] {
                let quota = AdmissionQuota()
                quota.year = 2026
                quota.unitID = unit.id!
                quota.unitPath = unit.path
                quota.amount = amount
                quota.used = 0
                try await quota.create(on: app.db)
            }
            var ids: [Int] = []
            for index in 0..<20 {
                let application = AdmissionApplication()
                application.branchID = branch.id!
                application.branchPath = branch.path
                application.name = "申请人\(index)"
                application.fieldsSealed = "{}"
                application.idHash = "hash\(index)"
                application.idMasked = "330203********0000"
                application.stage = .voted
                application.appliedOn = "2026-01-05"
                application.votedOn = "2026-06-10"
                application.updatedAt = app.clock.now()
                try await application.create(on: app.db)
                ids.append(application.id!)
            }
            let change = ChangeContext(scope: Scope(reach: .subtree(haishu.path)), actor: .commandLine(), now: app.clock.now())
            let vault = app.vault
            let approved = try await withThrowingTaskGroup(of: Bool.self) { group in
                for id in ids {
                    group.addTask {
                        do {
                            _ = try await app.writer.write(app.db) { db in
                                try await AdmissionWrites.step(id, .approve, .init(day: CalendarDate("2026-06-15")!), today: CalendarDate("2026-11-29")!,
                                                               vault: vault, change, on: db)
                            }
                            return true
                        } catch let refusal as Refusal {
                            #expect(refusal.message.contains("团员发展计划 5 名已用完"))
                            return false
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(approved == 5)
            #expect(try await Scope.unrestricted.query(AdmissionApplication.self, on: app.db).filter(\.$stage == .approved).count() == 5)
            let used = try await AdmissionQuotas.quotas(year: 2026, units: [root.id!, haishu.id!, school.id!], on: app.db)
            #expect(used.values.map(\.used).sorted() == [5, 5, 5])
        }
    }
}

extension AdmissionTests {
    @Test func graduatingClassesShowTheirMemberShareAgainstTheCap() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let school = try await Fixtures.child(app, of: haishu, "宁波市第一中学团委", .committee)
            let senior = try await Fixtures.child(app, of: school, "高三(1)班团支部", .branch)
            senior.graduationDate = "2027-06-30"
            try await senior.save(on: app.db)
            for index in 0..<7 { try await Fixtures.member(app, "高三学生\(index)", sequence: 401 + index * 2, in: senior) }
            let admin = try await Fixtures.administrator(app, "school", of: school)
            #expect(try await admin.get("/admission/quotas").contains("高三(1)班团支部"))
            try await admin.post("/admission/quotas/class", ["branch": String(senior.id!), "level": "seniorHigh", "pupils": "10"])
            let page = try await admin.get("/admission/quotas")
            #expect(page.contains("<strong class=\"warn\">70%（上限 60%）</strong>"))
            #expect(try await admin.post("/admission/quotas/class", ["branch": String(senior.id!), "level": "seniorHigh", "pupils": "0"])
                .contains("班级人数应为 1 到 2000"))
        }
    }
}
