import Fluent
import Foundation
import LeagueCore
import SQLKit
import Testing
import Vapor
@testable import SmartLeague

@Suite struct OrgLifeTests {
    /// The overview reads each branch's kept compliance: a meeting, a new or dissolved branch, the
    /// cadence and the calendar each show on the next read.
    @Test func theKeptComplianceFollowsMeetingsUnitsCadenceAndTheCalendar() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let school = try await Fixtures.child(app, of: haishu, "宁波市第二中学团委", .committee)
            let keeping = try await Fixtures.child(app, of: school, "高一(1)班团支部", .branch)
            let idle = try await Fixtures.child(app, of: school, "高一(2)班团支部", .branch)
            let member = try await Fixtures.member(app, "赵六", sequence: 41, in: keeping)
            let change = Fixtures.context(app)
            let march = CalendarDate(year: 2026, month: 3, day: 15)!
            func overview(_ today: CalendarDate) async throws -> [String: Int] {
                let read = try await OrgLifeQueries.overview(under: school, year: 2026, today: today, page: 1, ranges: OrgLifeOverviewPage.ranges.map(\.range),
                                                             scope: .unrestricted, writer: app.writer, on: app.db)
                #expect(read.total == read.rows.count && read.spread.reduce(0, +) == read.total)
                // The kept spread up the tree is the count of the listed branches by range.
                #expect(read.spread == OrgLifeOverviewPage.ranges.map(\.range).prefix(4).map { range in
                    read.rows.filter { range.contains($0.compliance.percent) }.count
                })
                return Dictionary(uniqueKeysWithValues: read.rows.map { ($0.name, $0.compliance.percent) })
            }
            // The branches were founded last autumn.
            func founded() async throws {
                try await app.db.sql.update(Organization.schema).set("established_on", to: SQLBind("2025-09-01")).run()
            }
            try await founded()
            let before = try await overview(march)
            #expect(before.values.allSatisfy { $0 == 0 })
            #expect(before.keys.sorted() == ["高一(1)班团支部", "高一(2)班团支部"])

            for kind in [MeetingKind.generalMeeting, .committeeMeeting, .groupMeeting, .lesson] {
                _ = try await app.writer.write(app.db) { db in
                    try await MeetingWrites.record(branchID: keeping.id!, .init(
                        kind: kind, heldOn: CalendarDate(year: 2026, month: 3, day: 1)!, topic: "议题", place: "活动室", minutes: "记录",
                        teacher: kind == .lesson ? "陈书记" : nil, teacherIsHead: false, classHours: kind == .lesson ? 2 : 0,
                        attendees: [member.id!], applicants: []), today: march, change, on: db)
                }
            }
            let afterMeetings = try await overview(march)
            #expect(afterMeetings["高一(1)班团支部"]! > afterMeetings["高一(2)班团支部"]!)

            // A new branch is listed, a dissolved one is not.
            let third = try await Fixtures.child(app, of: school, "高一(3)班团支部", .branch)
            try await founded()
            #expect(try await overview(march).count == 3)
            // A branch moved to another committee leaves this one's list, and is kept under its new path.
            let other = try await Fixtures.child(app, of: haishu, "宁波市第三中学团委", .committee)
            try await app.writer.write(app.db) { db in try await OrganizationWrites.applyMove(third, to: other, change, on: db) }
            #expect(try await overview(march).count == 2)
            let moved = try await Scope.unrestricted.organization(third.id, on: app.db)
            try await app.writer.write(app.db) { db in try await OrganizationWrites.applyMove(moved, to: school, change, on: db) }
            #expect(try await overview(march).count == 3)
            try await app.writer.write(app.db) { db in try await OrganizationWrites.dissolve(idle.id!, change, on: db) }
            #expect(try await overview(march).keys.sorted() == ["高一(1)班团支部", "高一(3)班团支部"])

            // The calendar: in a later month more is due than March's meetings cover.
            let may = try await overview(CalendarDate(year: 2026, month: 5, day: 20)!)
            #expect(may["高一(1)班团支部"]! < afterMeetings["高一(1)班团支部"]!)
            // The cadence: branch meetings once a year, which March's meeting covers.
            let monthly = try await overview(march)["高一(1)班团支部"]!
            try await app.writer.write(app.db) { db in
                for kind in MeetingKind.allCases { try await MeetingWrites.setCadence(kind, to: .yearly, change, on: db) }
            }
            #expect(try await overview(march)["高一(1)班团支部"]! == 100)
            #expect(monthly < 100)
        }
    }

    @Test func branchesRecordMeetingsAndUnitsSeeWhoKeepsTheCadence() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let school = try await Fixtures.child(app, of: haishu, "宁波市第一中学团委", .committee)
            let keeping = try await Fixtures.child(app, of: school, "高三(1)班团支部", .branch)
            let lagging = try await Fixtures.child(app, of: school, "高三(2)班团支部", .branch)
            let other = try await Fixtures.child(app, of: try await Fixtures.unit(app, code: "330205"), "江北区某团支部", .branch)
            let zhang = try await Fixtures.member(app, "张三", sequence: 31, in: keeping)
            let li = try await Fixtures.member(app, "李四", sequence: 33, in: keeping)
            let wang = try await Fixtures.member(app, "王五", sequence: 35, in: lagging)
            let admin = try await Fixtures.administrator(app, "school", of: school)
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!

            try await admin.get("/orglife/branches/\(keeping.id!)")
            let path = "/orglife/branches/\(keeping.id!)/meetings"
            let base = ["kind": "lesson", "heldOn": today.description, "topic": "学习团章", "place": "团员活动室",
                        "minutes": "学习团章第一章，讨论团员的义务和权利。", "present-\(zhang.id!)": "1", "present-\(li.id!)": "1"]
            // Refusals say why and write nothing.
            #expect(try await admin.post(path, base).contains("团课请填写授课人"))
            #expect(try await admin.post(path, base.merging(["teacher": "陈书记", "classHours": "9"]) { $1 }).contains("团课学时应为 1 到 8"))
            let tomorrow = CalendarDate(ChinaTime.dateString(app.clock.now().addingTimeInterval(86400)))!
            #expect(try await admin.post(path, base.merging(["teacher": "陈书记", "classHours": "2", "heldOn": tomorrow.description]) { $1 })
                .contains("会议日期不能晚于今天"))
            #expect(try await admin.post(path, base.merging(["teacher": "陈书记", "classHours": "2", "present-\(wang.id!)": "1"]) { $1 })
                .contains("出席人员须是本支部团员"))
            var none = base
            none["present-\(zhang.id!)"] = nil
            none["present-\(li.id!)"] = nil
            #expect(try await admin.post(path, none).contains("请勾选出席人员"))
            #expect(try await Scope.unrestricted.query(Meeting.self, on: app.db).count() == 0)

            // A lesson by the head of the grassroots committee, with the signed sheet attached.
            let lesson = base.merging(["teacher": "陈书记", "teacherIsHead": "1", "classHours": "2"]) { $1 }
            let saved = try await admin.upload(path, lesson, file: Data("%PDF-1.4\n%%EOF\n".utf8), filename: "签到表.pdf",
                                               contentType: "application/pdf")
            #expect(saved.location == "/orglife/branches/\(keeping.id!)")
            var present = base
            present["present-\(li.id!)"] = nil
            for kind in ["generalMeeting", "committeeMeeting"] {
                try await admin.post(path, present.merging(["kind": kind, "topic": "\(kind)议题"]) { $1 })
            }
            // Class-hours reach the members who were there, for their admission training.
            #expect(try await MeetingWrites.classHours(member: zhang.id!, on: app.db) == 2)
            #expect(try await MeetingWrites.classHours(member: wang.id!, on: app.db) == 0)
            let meeting = try #require(try await Scope.unrestricted.query(Meeting.self, on: app.db).filter(\.$kind == .lesson).first())
            let page = try await admin.get("/orglife/meetings/\(meeting.id!)")
            #expect(page.contains("陈书记（基层团委书记）"))
            #expect(page.contains("张三"))
            #expect(page.contains("签到表.pdf"))

            // The school's table: the branch without meetings first, at 0%.
            let overview = try await admin.get("/orglife?unit=\(school.id!)")
            let laggingAt = try #require(overview.body.range(of: "高三(2)班团支部"))
            let keepingAt = try #require(overview.body.range(of: "高三(1)班团支部"))
            #expect(laggingAt.lowerBound < keepingAt.lowerBound)
            #expect(overview.contains("<strong class=\"warn\">0%</strong>"))
            #expect(overview.contains("<svg"))
            let branchPage = try await admin.get("/orglife/branches/\(keeping.id!)")
            #expect(branchPage.contains("id=\"branch-compliance\""))

            // Other districts' branches are not there; only the city sets the cadence.
            #expect(try await admin.get("/orglife/branches/\(other.id!)").status == .notFound)
            #expect(try await admin.get("/orglife/meetings/\(meeting.id!)/files/1").status == .ok)
            #expect(try await admin.post("/orglife/cadence", ["kind": "committeeMeeting", "cadence": "quarterly"]).status == .forbidden)
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            try await city.get("/orglife")
            try await city.post("/orglife/cadence", ["kind": "committeeMeeting", "cadence": "quarterly"])
            #expect(try await MeetingWrites.cadence(on: app.db)[.committeeMeeting] == .quarterly)
            #expect(try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action ~~ ["orglife.meeting", "orglife.cadence"]).count() == 4)
        }
    }
}
