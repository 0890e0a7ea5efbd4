import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

@Suite struct TransferTests {
    @Test func eitherSideStartsTheOtherAgreesAndACommitteePlacesIntoABranch() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let from = try await Fixtures.child(app, of: haishu, "海曙区某团支部", .branch)
            let company = try await Fixtures.child(app, of: jiangbei, "江北区某企业团委", .committee)
            let companyBranch = try await Fixtures.child(app, of: company, "江北区某企业第一团支部", .branch)
            let zhang = try await Fixtures.member(app, "张三", sequence: 71, in: from)
            let li = try await Fixtures.member(app, "李四", sequence: 73, in: from)
            let sender = try await Fixtures.administrator(app, "haishu", of: haishu)
            let receiver = try await Fixtures.administrator(app, "jiangbei", of: jiangbei)
            let outsider = try await Fixtures.administrator(app, "zhenhai", of: try await Fixtures.unit(app, code: "330211"))

            // The sender starts; the receiver agrees; the member moves.
            try await sender.get("/transfers")
            #expect(try await sender.post("/transfers", ["memberNumber": "T71", "memberName": "张五", "target": companyBranch.code])
                .contains("团员编号与姓名不符"))
            try await sender.post("/transfers", ["memberNumber": "T71", "memberName": "张三", "target": companyBranch.code, "graduate": "1"])
            let first = try #require(try await Scope.unrestricted.transfers(on: app.db).filter(\.$memberID == zhang.id!).first())
            #expect(first.status == .awaitingReceiver)
            #expect(try await sender.post("/transfers", ["memberNumber": "T71", "memberName": "张三", "target": company.code])
                .contains("张三已有正在办理的转接"))
            // The sender cannot agree for the receiver; a third district does not see it.
            try await sender.get("/transfers/\(first.id!)")
            #expect(try await sender.post("/transfers/\(first.id!)/agree").contains("须由接收方办理"))
            #expect(try await outsider.get("/transfers/\(first.id!)").status == .notFound)
            // Someone with neither side in reach learns nothing about the member.
            try await outsider.get("/transfers")
            #expect(try await outsider.post("/transfers", ["memberNumber": "T71", "memberName": "张三", "target": companyBranch.code])
                .contains("团员编号与姓名不符，或接收单位不在您的管理范围内"))
            let incoming = try await receiver.get("/transfers")
            #expect(incoming.contains("张三"))
            #expect(incoming.contains("<td>转入</td>"))
            try await receiver.get("/transfers/\(first.id!)")
            #expect(try await receiver.post("/transfers/\(first.id!)/refuse").contains("不同意时请写明理由"))
            try await receiver.post("/transfers/\(first.id!)/agree")
            #expect(try await Scope.unrestricted.member(zhang.id, on: app.db).branchID == companyBranch.id)
            #expect(try await Scope.unrestricted.transfer(first.id, on: app.db).status == .done)

            // The receiver asks, into its committee: it learns nothing of the member until the sender
            // agrees, and a request for nobody reads exactly like one not yet answered.
            try await receiver.get("/transfers")
            let asked = try await receiver.post("/transfers", ["memberNumber": "T73", "memberName": "李四", "target": company.code])
            let nobody = try await receiver.post("/transfers", ["memberNumber": "T99", "memberName": "无此人", "target": company.code])
            #expect(asked.location == nobody.location)
            let waiting = try await receiver.get("/transfers")
            let requests = try #require(waiting.body.range(of: "id=\"outgoing-requests\"").map { String(waiting.body[$0.lowerBound...].prefix(3000)) })
            #expect(requests.contains("T73") && requests.contains("T99") && !requests.contains(from.name))
            #expect(try await Scope.unrestricted.transfers(on: app.db).filter(\.$memberID == li.id!).count() == 0)
            let request = try #require(try await TransferRequest.query(on: app.db).filter(\.$memberID == li.id!).first())
            // Each side sees what it takes part in; the city, above both, sees every request,
            // also the one whose holding side is not known.
            let city = try #require(try await Organization.query(on: app.db).filter(\.$parentID == nil).first())
            #expect(try await Scope(reach: .subtree(city.path)).transferRequests(on: app.db).count() == 2)
            #expect(try await Scope(reach: .subtree(jiangbei.path)).transferRequests(on: app.db).count() == 2)
            #expect(try await Scope(reach: .subtree(haishu.path)).transferRequests(on: app.db).count() == 1)
            #expect(try await Scope(reach: .subtree(try await Fixtures.unit(app, code: "330211").path)).transferRequests(on: app.db).count() == 0)
            let holding = try await sender.get("/transfers")
            #expect(holding.contains("待本单位确认的转入申请") && holding.contains("李四") && !holding.contains("T99"))
            try await sender.post("/transfers/requests/\(request.id!)/agree")
            let second = try #require(try await Scope.unrestricted.transfers(on: app.db).filter(\.$memberID == li.id!).first())
            #expect(second.status == .awaitingPlacement)
            let page = try await receiver.get("/transfers/\(second.id!)")
            #expect(page.contains("江北区某企业第一团支部"))
            try await receiver.post("/transfers/\(second.id!)/place", ["branch": String(companyBranch.id!)])
            #expect(try await Scope.unrestricted.member(li.id, on: app.db).branchID == companyBranch.id)
            let history = try await receiver.get("/transfers/\(second.id!)")
            #expect(history.contains("接收方发起"))
            #expect(history.contains("安排到「江北区某企业第一团支部」"))
            try await StatisticsTests.expectCountsMatchARecount(app)
        }
    }

    @Test func aMemberAsksAndAWholeClassGoesInOneAction() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let school = try await Fixtures.child(app, of: haishu, "宁波市第一中学团委", .committee)
            let graduating = try await Fixtures.child(app, of: school, "高三(1)班团支部", .branch)
            let university = try await Fixtures.child(app, of: try await Fixtures.unit(app, code: "330205"), "某大学新生团支部", .branch)
            for index in 0..<30 { try await Fixtures.member(app, "毕业生\(index)", sequence: 201 + index * 2, in: graduating) }
            let account = try await Fixtures.account(app, "student", kind: .member, unit: graduating)
            let member = Browser(app)
            try await member.signIn("student", "Secret123")
            try await member.get("/transfers")
            try await member.post("/transfers/request", ["target": university.code, "graduate": "1"])
            let own = try #require(try await Scope.unrestricted.transfers(on: app.db).filter(\.$memberID == account.memberID!).first())
            #expect(own.status == .awaitingSender)
            #expect(try await member.get("/transfers").contains("待转出方同意"))
            // The member's own request does not block the class: cancel it first.
            try await member.get("/transfers/\(own.id!)")
            try await member.post("/transfers/\(own.id!)/cancel")

            let secretary = try await Fixtures.administrator(app, "class", of: graduating)
            let page = try await secretary.get("/transfers")
            #expect(page.contains("毕业生团员组织关系转接截止日期"))
            try await secretary.post("/transfers/class", ["branch": String(graduating.id!), "target": university.code])
            #expect(try await Scope.unrestricted.transfers(on: app.db).filter(\.$status == .awaitingReceiver).count() == 31)
            let receiver = try await Fixtures.administrator(app, "university", of: university)
            let list = try await receiver.get("/transfers")
            let batch = try #require(try await Scope.unrestricted.transfers(on: app.db).filter(\.$batch != nil).first()?.batch)
            #expect(list.contains("全部同意"))
            try await receiver.post("/transfers/batches/\(batch)/agree")
            #expect(try await Scope.unrestricted.members(on: app.db).filter(\.$branchID == university.id!).count() == 31)
            #expect(try await Scope.unrestricted.members(on: app.db).filter(\.$branchID == graduating.id!).count() == 0)
            // The member's account follows them.
            #expect(try await Scope.unrestricted.account(account.id, on: app.db).organizationID == university.id)
            try await StatisticsTests.expectCountsMatchARecount(app)
        }
    }
}
