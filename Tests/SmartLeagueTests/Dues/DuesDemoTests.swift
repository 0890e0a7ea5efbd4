import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

/// The demo city's 团费: a category for every member, payments at each member's due (or reduced
/// and waived with a reason), most members settled and some in arrears long enough for a lapse
/// review, as the pages show them.
@Suite struct DuesDemoTests {
    @Test func theDemoCityPaysItsDuesWithSomeInArrears() async throws {
        try await TestApp.run { app, _ in
            _ = try await DemoCity.build(app, members: 400, seed: 12)
            let db = app.db
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
            let thisMonth = DuesMonths.month(of: today)
            let policy = try await DuesWrites.policy(on: db)
            let members = try await Scope.unrestricted.members(on: db).all()
            let profiles = Dictionary(uniqueKeysWithValues: try await DuesProfile.query(on: db).all().map { ($0.memberID, $0) })
            #expect(members.allSatisfy { profiles[$0.id!] != nil })
            #expect(Set(profiles.values.map(\.category)).count >= 3)
            #expect(profiles.values.allSatisfy { ($0.category == .salaried) == ($0.incomeFen > 0) })

            // Every payment as the treasurer's form would have taken it.
            let payments = try await DuesPayment.query(on: db).all()
            let joined = Dictionary(uniqueKeysWithValues: try await Member.query(on: db).all().map { ($0.id!, $0.joinedOn) })
            let paths = Dictionary(uniqueKeysWithValues: try await Scope.unrestricted.organizations(on: db).all().map { ($0.id!, $0.path) })
            #expect(Set(payments.map(\.kind)).count >= 2 && payments.contains { $0.kind == .paid })
            for payment in payments {
                guard let profile = profiles[payment.memberID] else { continue }
                let due = policy.monthlyDue(profile.category, incomeFen: profile.incomeFen)
                switch payment.kind {
                case .paid: #expect(payment.amountFen == due && payment.reason == nil)
                case .reduced: #expect(payment.amountFen > 0 && payment.amountFen < due && payment.reason != nil)
                case .waived: #expect(payment.amountFen == 0 && payment.reason != nil)
                }
                #expect(payment.month <= thisMonth && payment.month >= String(joined[payment.memberID, default: ""].prefix(7)))
                #expect(payment.month > (profile.settledThrough ?? ""))
                #expect(paths[payment.branchID] == payment.branchPath)
            }

            // Most members owe at most this month; some have not paid for six months or more.
            let settled = Dictionary(grouping: payments, by: \.memberID).mapValues { Set($0.map(\.month)) }
            let arrears = members.map { member in
                DuesMonths.arrears(joined: DuesProfile.ledgerStart(joined: CalendarDate(member.joinedOn)!, settledThrough: profiles[member.id!]?.settledThrough),
                                   settled: settled[member.id!] ?? [], today: today)
            }
            #expect(arrears.filter { $0.owed <= 1 }.count * 10 >= members.count * 7)
            #expect(arrears.contains { $0.run >= LeavingRules.lapseMonths })

            // The city's totals by month, and the branch's members with their arrears.
            let city = Browser(app)
            _ = try await city.signIn("demo.city", DemoCity.demoPassword)
            let totals = try await city.get("/dues")
            let lastMonth = DuesMonths.month(of: today.adding(months: -1))
            #expect(totals.status == .ok && totals.contains(lastMonth))
            let account = try #require(try await Account.query(on: db).filter(\.$username == "demo.branch").first())
            let branchAdmin = Browser(app)
            _ = try await branchAdmin.signIn("demo.branch", DemoCity.demoPassword)
            let branch = try await branchAdmin.get("/dues/branches/\(account.organizationID)")
            let first = try #require(members.filter { $0.branchID == account.organizationID }.min { $0.id! < $1.id! })
            #expect(branch.status == .ok && branch.contains(first.name) && !branch.contains("未登记"))
            // A month settled in the opening balance is not taken again.
            if let settledThrough = profiles[first.id!]?.settledThrough {
                let page = try await branchAdmin.post("/dues/branches/\(account.organizationID)/payments",
                                                      ["member": String(first.id!), "month": settledThrough, "kind": "paid"])
                #expect(page.status == .unprocessableEntity && page.contains("已在启用本台账前结清"))
            }
        }
    }
}
