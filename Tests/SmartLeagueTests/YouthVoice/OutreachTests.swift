import Fluent
import Foundation
import LeagueCore
import SQLKit
import Testing
import Vapor
@testable import SmartLeague

/// 代表委员联系青年: the roster, 面对面 with its 月季年 compliance, proposals built from young
/// people's needs that the askers can follow, and cadres' direct contact with its coverage.
@Suite struct OutreachTests {
    @Test func aNeedBecomesAProposalAndTheAskerSeesTheOutcome() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: YouthVoiceTests.haishu)
            let day = CalendarDate(year: 2026, month: 11, day: 2)!
            let item = try await YouthVoiceTests.ask(app, try await YouthVoiceTests.question(app, district: haishu), on: day)
            let cadre = try await Fixtures.administrator(app, "haishu.outreach", of: haishu)
            // Bad input is refused beside its fields.
            try await cadre.get("/voice/deputies")
            let wrong = try await cadre.post("/voice/deputies", ["unit": String(haishu.id!), "name": "", "role": "king", "level": "宇宙", "sector": ""])
            #expect(wrong.status == .unprocessableEntity && wrong.contains("请填写姓名") && wrong.contains("请选择身份") && wrong.contains("请选择层级"))
            try await cadre.get("/voice/deputies")
            #expect(try await cadre.post("/voice/studios", ["unit": String(haishu.id!), "name": "海曙区代表委员青少年工作室",
                                                             "foundedOn": "2025-03-15"]).status == .seeOther)
            let studio = try #require(try await Scope.unrestricted.query(Studio.self, on: app.db).first())
            try await cadre.get("/voice/deputies")
            #expect(try await cadre.post("/voice/deputies", ["unit": String(haishu.id!), "name": "陈代表", "role": "peoplesCongress",
                                                              "level": "区县（市）", "sector": "教育", "studio": String(studio.id!)]).status == .seeOther)
            try await cadre.get("/voice/deputies")
            #expect(try await cadre.post("/voice/deputies", ["unit": String(haishu.id!), "name": "林导师", "role": "mentor",
                                                              "level": "区县（市）", "sector": "心理咨询"]).status == .seeOther)
            let roster = try await cadre.get("/voice/deputies")
            #expect(roster.contains("陈代表") && roster.contains("海曙区代表委员青少年工作室") && roster.contains("1 人：陈代表（人大代表）"))
            let deputy = try #require(try await Scope.unrestricted.query(Deputy.self, on: app.db).filter(\.$name == "陈代表").first())
            let mentor = try #require(try await Scope.unrestricted.query(Deputy.self, on: app.db).filter(\.$name == "林导师").first())

            // A mentor does not submit proposals; an unknown need is named.
            try await cadre.get("/voice/proposals")
            let byMentor = try await cadre.post("/voice/proposals", ["deputy": String(mentor.id!), "title": "关于设立青年见习补贴的建议",
                                                                     "body": "多名青年反映见习补贴标准偏低，建议提高。", "session": "区人大十届五次会议", "items": item.number])
            #expect(byMentor.status == .unprocessableEntity && byMentor.contains("建议由人大代表"))
            try await cadre.get("/voice/proposals")
            let unknown = try await cadre.post("/voice/proposals", ["deputy": String(deputy.id!), "title": "关于设立青年见习补贴的建议",
                                                                    "body": "多名青年反映见习补贴标准偏低，建议提高。", "session": "区人大十届五次会议", "items": "QS20260101999999"])
            #expect(unknown.status == .unprocessableEntity && unknown.contains("没有找到本单位可见的诉求 QS20260101999999"))
            try await cadre.get("/voice/proposals")
            let made = try await cadre.post("/voice/proposals", ["deputy": String(deputy.id!), "title": "关于设立青年见习补贴的建议",
                                                                 "body": "多名青年反映见习补贴标准偏低，建议提高。", "session": "区人大十届五次会议", "items": item.number])
            #expect(made.status == .seeOther)
            let proposal = try #require(try await Scope.unrestricted.query(Proposal.self, on: app.db).first())
            #expect(proposal.kind == "建议" && proposal.status == .submitted)
            // One step at a time, with what each step needs.
            let url = "/voice/proposals/\(proposal.id!)"
            try await cadre.get(url)
            #expect(try await cadre.post(url + "/advance", ["status": "assigned"]).status == .unprocessableEntity)
            try await cadre.get(url)
            #expect(try await cadre.post(url + "/advance", ["status": "registered"]).status == .seeOther)
            try await cadre.get(url)
            let noHandler = try await cadre.post(url + "/advance", ["status": "assigned"])
            #expect(noHandler.status == .unprocessableEntity && noHandler.contains("请填写承办单位"))
            try await cadre.get(url)
            #expect(try await cadre.post(url + "/advance", ["status": "assigned", "handlingUnit": "区人力社保局"]).status == .seeOther)
            try await cadre.get(url)
            #expect(try await cadre.post(url + "/advance", ["status": "replied", "reply": "已研究，明年起提高见习补贴标准。"]).status == .seeOther)
            try await cadre.get(url)
            #expect(try await cadre.post(url + "/advance", ["status": "concluded", "outcome": "见习补贴提高至最低工资的 80%"]).status == .seeOther)
            #expect(try await cadre.get(url).contains("见习补贴提高至最低工资的 80%"))

            // The asker follows their need to the outcome.
            let youth = Browser(app)
            _ = try await youth.signIn("youth.one", "Secret123")
            let mine = try await youth.get("/voice/mine/\(item.id!)")
            #expect(mine.contains("关于设立青年见习补贴的建议") && mine.contains("已办结") && mine.contains("见习补贴提高至最低工资的 80%"))
            // Another district sees none of it.
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let other = try await Fixtures.administrator(app, "jb.outreach", of: jiangbei)
            #expect(try await other.get(url).status == .notFound)
            #expect(!(try await other.get("/voice/deputies").contains("陈代表")))
            #expect(try await other.post("/voice/deputies/\(deputy.id!)/retire").status == .notFound)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "proposal.advance").count() == 4)
        }
    }

    @Test func meetingsShowTheirCadenceAndContactsTheirCoverage() async throws {
        try await TestApp.run { app, _ in
            let root = try await Scope.unrestricted.organizations(on: app.db).filter(\.$parentID == nil).first()!
            let haishu = try await Fixtures.unit(app, code: YouthVoiceTests.haishu)
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
            let city = try await Fixtures.administrator(app, "city.outreach", of: root)
            try await city.get("/voice/meetings")
            let future = try await city.post("/voice/meetings", ["unit": String(root.id!), "heldOn": today.adding(days: 3).description, "title": "面对面",
                                                                "deputies": "陈代表", "youthCount": "30", "topics": "青年就业", "needs": "希望增加见习岗位"])
            #expect(future.status == .unprocessableEntity && future.contains("活动日期不能晚于今天"))
            try await city.get("/voice/meetings")
            #expect(try await city.post("/voice/meetings", ["unit": String(haishu.id!), "heldOn": today.description, "title": "海曙区代表委员与青年面对面",
                                                             "deputies": "陈代表、王委员", "youthCount": "40", "topics": "青年就业",
                                                             "needs": "希望增加见习岗位"]).status == .seeOther)
            let page = try await city.get("/voice/meetings")
            #expect(page.contains("海曙区代表委员与青年面对面") && page.contains("共青团宁波市海曙区委员会（每月）") && page.contains("（每季度）"))
            #expect(page.contains("✓"))

            // Contacts: the cadre's own, with visits; coverage counts cadres at the target.
            try await city.get("/voice/settings")
            #expect(try await city.post("/voice/settings/outreach", ["cityCadence": "quarterly", "districtCadence": "monthly", "contactTarget": "1"]).status == .seeOther)
            let cadre = try await Fixtures.administrator(app, "haishu.contact", of: haishu)
            try await Fixtures.account(app, "haishu.idle", unit: haishu)
            try await cadre.get("/voice/contacts")
            #expect(try await cadre.post("/voice/contacts", ["name": "赵同学", "note": "宁波大学大三学生"]).status == .seeOther)
            let contact = try #require(try await Scope.unrestricted.query(YouthContact.self, on: app.db).first())
            try await cadre.get("/voice/contacts")
            let future2 = try await cadre.post("/voice/contacts/\(contact.id!)/visits", ["visitedOn": today.adding(days: 2).description, "way": "visit", "visitNote": "走访"])
            #expect(future2.status == .unprocessableEntity && future2.contains("日期不能晚于今天"))
            try await cadre.get("/voice/contacts")
            #expect(try await cadre.post("/voice/contacts/\(contact.id!)/visits", ["visitedOn": today.description, "way": "call", "visitNote": "了解实习情况"]).status == .seeOther)
            let contacts = try await cadre.get("/voice/contacts")
            #expect(contacts.contains("赵同学") && contacts.contains("电话：了解实习情况"))
            // Two cadres of 海曙, one with a contact: half covered.
            #expect(contacts.contains("<td>共青团宁波市海曙区委员会</td><td>2</td><td>1</td><td>50%</td>"))
            // Another cadre cannot log a visit on someone else's contact.
            let idle = Browser(app)
            _ = try await idle.signIn("haishu.idle", "Secret123")
            try await idle.get("/voice/contacts")
            #expect(try await idle.post("/voice/contacts/\(contact.id!)/visits", ["visitedOn": today.description, "way": "call", "visitNote": "冒名"]).status == .notFound)
        }
    }

    @Test func studiosAreFoundedByTheCityAndDistrictsAndHoldDeputiesOfTheirArea() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: YouthVoiceTests.haishu)
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let branch = try await Fixtures.child(app, of: haishu, "宁波市第二中学团委", .committee)
            let district = try await Fixtures.administrator(app, "haishu.studio", of: haishu)
            try await district.get("/voice/deputies")
            // The form says what is wrong; a date to come is no founding.
            let wrong = try await district.post("/voice/studios", ["unit": String(haishu.id!), "name": "", "foundedOn": "2030-01-01"])
            #expect(wrong.status == .unprocessableEntity && wrong.contains("请填写工作室名称") && wrong.contains("设立日期不能晚于今天"))
            try await district.get("/voice/deputies")
            #expect(try await district.post("/voice/studios", ["unit": String(haishu.id!), "name": "海曙青少年工作室", "foundedOn": "2025-03-15"]).status == .seeOther)
            try await district.get("/voice/deputies")
            let again = try await district.post("/voice/studios", ["unit": String(haishu.id!), "name": "海曙青少年工作室", "foundedOn": "2025-04-01"])
            #expect(again.status == .unprocessableEntity && again.contains("本单位已有名为「海曙青少年工作室」的工作室"))
            // Another district's unit is out of reach.
            try await district.get("/voice/deputies")
            #expect(try await district.post("/voice/studios", ["unit": String(jiangbei.id!), "name": "江北工作室", "foundedOn": "2025-03-15"]).status
                    == .unprocessableEntity)
            let studio = try #require(try await Scope.unrestricted.query(Studio.self, on: app.db).first())

            // Below a district no studio is founded, and the form is not offered.
            let below = try await Fixtures.administrator(app, "branch.studio", of: branch)
            let page = try await below.get("/voice/deputies")
            #expect(page.status == .ok && !page.contains("studio-form"))
            let refused = try await below.post("/voice/studios", ["unit": String(branch.id!), "name": "支部工作室", "foundedOn": "2025-03-15"])
            #expect(refused.status == .unprocessableEntity && refused.contains("工作室由团市委或区县（市）团委设立"))

            // The city may seat a deputy only in a studio of the area of the deputy's unit.
            let city = try await Fixtures.administrator(app, "city.studio", of: try #require(try await Scope.unrestricted.organizations(on: app.db)
                .filter(\.$parentID == nil).first()))
            try await city.get("/voice/deputies")
            let elsewhere = try await city.post("/voice/deputies", ["unit": String(jiangbei.id!), "name": "江北代表", "role": "peoplesCongress",
                                                                     "level": "区县（市）", "sector": "企业", "studio": String(studio.id!)])
            #expect(elsewhere.status == .unprocessableEntity && elsewhere.contains("是其他区县（市）的工作室"))
            #expect(try await Scope.unrestricted.query(Deputy.self, on: app.db).count() == 0)
            // A studio not in the cadre's reach is as unknown as one that does not exist.
            let other = try await Fixtures.administrator(app, "jb.studio", of: jiangbei)
            try await other.get("/voice/deputies")
            let foreign = try await other.post("/voice/deputies", ["unit": String(jiangbei.id!), "name": "江北代表", "role": "peoplesCongress",
                                                                    "level": "区县（市）", "sector": "企业", "studio": String(studio.id!)])
            #expect(foreign.status == .unprocessableEntity && foreign.contains("请选择工作室"))
            #expect(!(try await other.get("/voice/deputies").contains("海曙青少年工作室")))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "studio.found").count() == 1)
        }
    }

    /// Rosters kept before studios were records of their own named them in free text.
    @Test func studiosNamedInFreeTextBecomeStudiosOfTheirCommittee() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: YouthVoiceTests.haishu)
            let school = try await Fixtures.child(app, of: haishu, "宁波市第二中学团委", .committee)
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            try await CreateVoiceStudios().revert(on: app.db)
            for (name, unit, studio) in [("陈代表", haishu, "海曙区工作室"), ("王委员", school, "海曙区 工作室"), ("李代表", jiangbei, "江北区工作室"),
                                         ("林导师", haishu, nil)] as [(String, Organization, String?)] {
                try await app.db.sql.insert(into: Deputy.schema).columns("unit_id", "unit_path", "name", "role", "level", "sector", "studio", "active")
                    .values(SQLBind(unit.id!), SQLBind(unit.path.value), SQLBind(name), SQLBind("peoplesCongress"), SQLBind("区县（市）"),
                            SQLBind("教育"), SQLBind(studio), SQLBind(true)).run()
            }
            try await CreateVoiceStudios().prepare(on: app.db)
            let studios = try await Scope.unrestricted.query(Studio.self, on: app.db).sort(\.$name).all()
            #expect(studios.map(\.name) == ["江北区工作室", "海曙区工作室"] || studios.map(\.name) == ["海曙区工作室", "江北区工作室"])
            let byName = Dictionary(uniqueKeysWithValues: studios.map { ($0.name, $0) })
            #expect(byName["海曙区工作室"]?.unitID == haishu.id && byName["江北区工作室"]?.unitID == jiangbei.id)
            let deputies = Dictionary(uniqueKeysWithValues: try await Scope.unrestricted.query(Deputy.self, on: app.db).all().map { ($0.name, $0.studioID) })
            #expect(deputies["陈代表"] == byName["海曙区工作室"]?.id && deputies["王委员"] == byName["海曙区工作室"]?.id)
            #expect(deputies["李代表"] == byName["江北区工作室"]?.id && deputies["林导师"] == .some(nil))
        }
    }

    @Test func aCadreSeesOnlyTheProposalsOfTheirReachOnAnItem() async throws {
        try await TestApp.run { app, _ in
            let root = try await Scope.unrestricted.organizations(on: app.db).filter(\.$parentID == nil).first()!
            let haishu = try await Fixtures.unit(app, code: YouthVoiceTests.haishu)
            let item = try await YouthVoiceTests.ask(app, try await YouthVoiceTests.question(app, district: haishu), on: CalendarDate(year: 2026, month: 11, day: 2)!)
            let change = Fixtures.context(app)
            try await app.writer.write(app.db) { db in
                let deputy = try await OutreachWrites.addDeputy(.init(unitID: root.id!, name: "市代表", role: .peoplesCongress, level: "市",
                                                                      sector: "教育", phone: nil, studioID: nil), change, on: db)
                _ = try await OutreachWrites.createProposal(.init(deputyID: deputy.id!, title: "市级建议：青年见习补贴", body: "建议提高青年见习补贴标准。",
                                                                  session: "市人大十七届五次会议", itemNumbers: [item.number]), change, on: db)
            }
            let district = try await Fixtures.administrator(app, "haishu.seen", of: haishu)
            #expect(!(try await district.get("/voice/queue/\(item.id!)").contains("市级建议：青年见习补贴")))
            let city = try await Fixtures.administrator(app, "city.seen", of: root)
            #expect(try await city.get("/voice/queue/\(item.id!)").contains("市级建议：青年见习补贴"))
            let youth = Browser(app)
            _ = try await youth.signIn("youth.one", "Secret123")
            #expect(try await youth.get("/voice/mine/\(item.id!)").contains("市级建议：青年见习补贴"))
        }
    }
}
