import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

@Suite struct DuesTests {
    @Test func treasurersRecordDuesAndUnitsSeeTotalsAndArrears() async throws {
        try await TestApp.run { app, first in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let branch = try await Fixtures.child(app, of: haishu, "海曙区某团支部", .branch)
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
            let month = DuesMonths.month(of: today)
            let lastYear = CalendarDate(year: today.year - 1, month: today.month, day: 1)!.description
            let worker = try await Fixtures.member(app, "王工", sequence: 61, in: branch, joined: lastYear)
            let student = try await Fixtures.member(app, "李学", sequence: 63, in: branch, joined: lastYear)
            let admin = try await Fixtures.administrator(app, "treasurer", of: branch)
            let path = "/dues/branches/\(branch.id!)"
            try await admin.get(path)
            #expect(try await admin.post("\(path)/payments", ["member": String(worker.id!), "month": month, "kind": "paid"])
                .contains("请先登记王工的团费类别"))
            try await admin.post("\(path)/profile", ["member": String(worker.id!), "category": "salaried", "income": "2000"])
            try await admin.post("\(path)/profile", ["member": String(student.id!), "category": "student"])
            let page = try await admin.get(path)
            #expect(page.contains("<td>4.00</td>"))
            #expect(page.contains("<td>0.20</td>"))

            // Paid at the due; anything less is a reduction, which needs a reason, as a waiver does.
            #expect(try await admin.post("\(path)/payments", ["member": String(worker.id!), "month": month, "kind": "paid", "amount": "3.00"])
                .contains("王工每月应交 4.00 元；少交请按减缴登记"))
            try await admin.post("\(path)/payments", ["member": String(worker.id!), "month": month, "kind": "paid"])
            #expect(try await admin.post("\(path)/payments", ["member": String(worker.id!), "month": month, "kind": "paid"])
                .contains("的团费已登记"))
            #expect(try await admin.post("\(path)/payments", ["member": String(student.id!), "month": month, "kind": "waived"])
                .contains("免缴须写明理由"))
            try await admin.post("\(path)/payments", ["member": String(student.id!), "month": month, "kind": "reduced",
                                                      "amount": "0.10", "reason": "家庭困难，支部大会同意"])
            let future = DuesMonths.month(of: CalendarDate(year: today.year + 1, month: 1, day: 1)!)
            #expect(try await admin.post("\(path)/payments", ["member": String(student.id!), "month": future, "kind": "paid"])
                .contains("不能登记以后月份的团费"))

            // A year of membership with this month settled: twelve months owed, but paying again
            // means no lapse; a member with nothing paid for a year would be flagged.
            let after = try await admin.get(path)
            #expect(after.contains("<td>12</td>"))
            #expect(!after.contains("连续 6 个月未交"))
            let idle = try await Fixtures.member(app, "赵闲", sequence: 65, in: branch, joined: lastYear)
            try await admin.post("\(path)/profile", ["member": String(idle.id!), "category": "student"])
            #expect(try await admin.get(path).contains("连续 6 个月未交"))
            // The district sees the month's total of 4.10 yuan, in fen on both databases.
            let district = try await Fixtures.administrator(app, "haishu", of: haishu)
            let totals = try await district.get("/dues")
            #expect(totals.contains("<td>\(month)</td><td>4.10</td><td>2</td>"))
            #expect(try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action ~~ ["dues.paid", "dues.reduced"]).count() == 2)
            // Only the city changes the table.
            #expect(try await district.post("/dues/policy", ["flat": "0.2", "farmer": "0.2", "lowIncome": "3", "threshold": "2000",
                                                             "perMille": "2", "cap": "20"]).contains("团费标准由团市委确定"))
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            try await city.get("/dues")
            try await city.post("/dues/policy", ["flat": "0.5", "farmer": "0.2", "lowIncome": "3", "threshold": "2000", "perMille": "2", "cap": "20"])
            #expect(try await DuesWrites.policy(on: app.db).flatFen == 50)
        }
    }
}

extension DuesTests {
    /// The same month posted twenty times at once: one is recorded, the rest are refused with a
    /// message (by the check, or on PostgreSQL by the unique index), and none is an error page.
    @Test func theSamePaymentPostedAtOnceIsRecordedOnce() async throws {
        try await TestApp.run { app, _ in
            let branch = try await Fixtures.child(app, of: try await Fixtures.unit(app, code: "330203"), "海曙区某团支部", .branch)
            let member = try await Fixtures.member(app, "王工", sequence: 67, in: branch)
            let admin = try await Fixtures.administrator(app, "treasurer", of: branch)
            let path = "/dues/branches/\(branch.id!)"
            try await admin.get(path)
            try await admin.post("\(path)/profile", ["member": String(member.id!), "category": "student"])
            let month = DuesMonths.month(of: CalendarDate(ChinaTime.dateString(app.clock.now()))!)
            // Twenty sessions of the same treasurer, each a browser of its own, post together.
            var browsers: [Browser] = []
            for _ in 0..<20 {
                let browser = Browser(app)
                try await browser.signIn("treasurer", "Secret123")
                try await browser.get(path)
                browsers.append(browser)
            }
            let statuses = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                for browser in browsers {
                    group.addTask { try await browser.post("\(path)/payments", ["member": String(member.id!), "month": month, "kind": "paid"]).status }
                }
                return try await group.reduce(into: [HTTPResponseStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .seeOther }.count == 1)
            #expect(statuses.filter { $0 == .unprocessableEntity }.count == 19)
            #expect(try await Scope.unrestricted.query(DuesPayment.self, on: app.db).count() == 1)
        }
    }
}

extension DuesTests {
    /// The dues page reads kept figures per unit and month: they equal a recount from the payments
    /// after payments are recorded and after a branch moves to another district, whose pages then
    /// show its money.
    @Test func theKeptTotalsFollowPaymentsAndMoves() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let school = try await Fixtures.child(app, of: haishu, "宁波市第二中学团委", .committee)
            let branch = try await Fixtures.child(app, of: school, "高一(1)班团支部", .branch)
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
            let month = DuesMonths.month(of: today), earlier = DuesMonths.month(of: today.adding(months: -1))
            let lastYear = CalendarDate(year: today.year - 1, month: today.month, day: 1)!.description
            let worker = try await Fixtures.member(app, "王工", sequence: 61, in: branch, joined: lastYear)
            let student = try await Fixtures.member(app, "李学", sequence: 63, in: branch, joined: lastYear)
            let admin = try await Fixtures.administrator(app, "treasurer", of: branch)
            let path = "/dues/branches/\(branch.id!)"
            try await admin.get(path)
            try await admin.post("\(path)/profile", ["member": String(worker.id!), "category": "salaried", "income": "2000"])
            try await admin.post("\(path)/profile", ["member": String(student.id!), "category": "student"])
            for m in [earlier, month] { try await admin.post("\(path)/payments", ["member": String(worker.id!), "month": m, "kind": "paid"]) }
            try await admin.post("\(path)/payments", ["member": String(student.id!), "month": month, "kind": "paid"])
            // A waived month: no money, one payment; it moves with the branch like any other.
            let waivedMonth = DuesMonths.month(of: today.adding(months: -2))
            try await admin.post("\(path)/payments", ["member": String(student.id!), "month": waivedMonth, "kind": "waived", "reason": "家庭困难，支部大会同意"])

            /// The kept rows, and what the payments say they should be.
            func recount() async throws -> [String] {
                let before = try await Fixtures.keptRows(DuesMonthTotals.totals, app)
                try await app.writer.write(app.db) { db in try await DuesMonthTotals.rebuild(on: db) }
                let recounted = try await Fixtures.keptRows(DuesMonthTotals.totals, app)
                #expect(before == recounted)
                return recounted
            }
            let root = try #require(haishu.path.ids.first)
            #expect(try await recount().contains("\(root) \(month) 420 2"))
            #expect(try await recount().contains("\(school.id!) \(earlier) 400 1"))

            let district = try await Fixtures.administrator(app, "haishu", of: haishu)
            #expect(try await district.get("/dues").contains("<td>\(month)</td><td>4.20</td><td>2</td>"))
            #expect(try await district.get("/dues?month=\(earlier)").contains("4.00"))

            // The committee moves to 江北区 with its branch: 海曙区 no longer counts their money, 江北区 does.
            try await app.writer.write(app.db) { db in try await OrganizationWrites.applyMove(school, to: jiangbei, Fixtures.context(app), on: db) }
            let afterMove = try await recount()
            #expect(!afterMove.contains { $0.hasPrefix("\(haishu.id!) ") })
            #expect(afterMove.contains("\(jiangbei.id!) \(month) 420 2") && afterMove.contains("\(root) \(month) 420 2"))
            #expect(afterMove.contains("\(jiangbei.id!) \(waivedMonth) 0 1"))
            let north = try await Fixtures.administrator(app, "jiangbei", of: jiangbei)
            #expect(try await north.get("/dues").contains("<td>\(month)</td><td>4.20</td><td>2</td>"))
            #expect(!(try await district.get("/dues").contains("<td>\(month)</td><td>4.20</td>")))
        }
    }
}
