import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

/// An administrator of 海曙区 can neither read, list, change nor learn of a unit of 江北区.
@Suite struct ScopeTests {
    struct World {
        let haishu: Organization
        let jiangbei: Organization
        let jiangbeiBranch: Organization
        let jiangbeiSecret = "江北区保密测试团支部"
        let browser: Browser
    }

    func world(_ app: Application) async throws -> World {
        let haishu = try await Fixtures.unit(app, code: "330203")
        let jiangbei = try await Fixtures.unit(app, code: "330205")
        let committee = try await Fixtures.child(app, of: jiangbei, "江北区某中学团委", .committee)
        let branch = try await Fixtures.child(app, of: committee, "江北区保密测试团支部", .branch)
        try await Fixtures.child(app, of: haishu, "海曙区第一团支部", .branch)
        try await Fixtures.account(app, "jbmember", kind: .member, unit: branch)
        return World(haishu: haishu, jiangbei: jiangbei, jiangbeiBranch: branch,
                     browser: try await Fixtures.administrator(app, "haishu", of: haishu))
    }

    @Test func outsideUnitsAnswerExactlyAsMissingOnes() async throws {
        try await TestApp.run { app, _ in
            let w = try await world(app)
            let missing = 987_654
            for id in [w.jiangbei.id!, w.jiangbeiBranch.id!] {
                for suffix in ["", "/children/new", "/edit", "/rename", "/move", "/dissolve", "/merge", "?page=2&q=x"] {
                    let outside = try await w.browser.get("/units/\(id)\(suffix)")
                    let absent = try await w.browser.get("/units/\(missing)\(suffix)")
                    #expect(outside.status == .notFound, "GET /units/\(id)\(suffix)")
                    #expect(outside.body == absent.body, "GET /units/\(id)\(suffix) must look like a missing unit")
                }
            }
        }
    }

    @Test func writesToOutsideUnitsChangeNothing() async throws {
        try await TestApp.run { app, _ in
            let w = try await world(app)
            try await w.browser.get("/")
            let auditBefore = try await Scope.unrestricted.auditEntries(on: app.db).count()
            let id = w.jiangbeiBranch.id!
            let posts: [(String, [String: String])] = [
                ("/units/\(w.jiangbei.id!)/children", ["name": "渗透团支部", "shortName": "渗透", "type": "branch"]),
                ("/units/\(id)/edit", ["contactPerson": "黑客"]),
                ("/units/\(id)/rename", ["name": "改名团支部", "shortName": "改名"]),
                ("/units/\(id)/move", ["target": "330203"]),
                ("/units/\(id)/dissolve", ["confirm": w.jiangbeiSecret]),
                ("/units/\(id)/merge", ["target": "330203"]),
            ]
            for (path, form) in posts {
                let response = try await w.browser.post(path, form)
                #expect(response.status == .notFound, "POST \(path)")
            }
            let account = try #require(try await Scope.unrestricted.accounts(on: app.db).filter(\.$username == "jbmember").first())
            for action in ["unlock", "resetPassword", "disable"] {
                #expect(try await w.browser.post("/accounts/\(account.id!)/\(action)").status == .notFound)
            }
            let fresh = try await Scope.unrestricted.organization(id, on: app.db)
            #expect(fresh.name == w.jiangbeiSecret)
            #expect(fresh.contactPerson == nil)
            #expect(fresh.isActive)
            #expect(try await Scope.unrestricted.auditEntries(on: app.db).count() == auditBefore)
            #expect(try await Scope.unrestricted.account(account.id, on: app.db).disabled == false)
        }
    }

    @Test func outsideUnitsNeverAppearInListsFormsOrLogs() async throws {
        try await TestApp.run { app, _ in
            let w = try await world(app)
            // Moving or merging into a unit of 江北区, named by its code, says only "not found".
            let own = try await Fixtures.unit(app, code: "海曙区第一团支部")
            try await w.browser.get("/units/\(own.id!)/move")
            let move = try await w.browser.post("/units/\(own.id!)/move", ["target": w.jiangbeiBranch.code])
            let moveToNothing = try await w.browser.post("/units/\(own.id!)/move", ["target": "999999999"])
            #expect(move.status == .unprocessableEntity)
            #expect(move.contains("找不到该组织，或它不在您的管理范围内"))
            #expect(move.body.replacingOccurrences(of: w.jiangbeiBranch.code, with: "X")
                    == moveToNothing.body.replacingOccurrences(of: "999999999", with: "X"))
            let merge = try await w.browser.post("/units/\(own.id!)/merge", ["target": w.jiangbeiBranch.code])
            #expect(merge.contains("找不到要并入的团支部"))
            // Audit filter by an outside unit reads as an unknown unit.
            let audit = try await w.browser.get("/audit?unit=\(w.jiangbei.code)")
            #expect(audit.contains("找不到该组织"))
            // Nothing of 江北区 shows on any page the admin can open.
            let pages = ["/", "/tree?open=1,\(w.jiangbei.id!)", "/units/\(w.haishu.id!)", "/accounts", "/audit", "/requests",
                         "/accounts?q=jb", "/units/\(w.haishu.id!)?q=江北"]
            for path in pages {
                let page = try await w.browser.get(path)
                #expect(page.status == .ok, "\(path)")
                for secret in [w.jiangbeiSecret, "江北区某中学团委", "jbmember", w.jiangbei.name] {
                    #expect(!page.contains(secret), "\(path) leaks \(secret)")
                }
            }
        }
    }

    @Test func theCityRootSeesEverything() async throws {
        try await TestApp.run { app, first in
            let w = try await world(app)
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            #expect(try await city.get("/units/\(w.jiangbeiBranch.id!)").status == .ok)
            #expect(try await city.get("/units/\(w.haishu.id!)").status == .ok)
        }
    }

    /// Scope lives in one place: no other source file queries units, accounts or the audit log directly.
    @Test func onlyTheScopeQueriesScopedTables() throws {
        let sources = URL(fileURLWithPath: TestApp.packageRoot + "Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(files.count > 10)
        var offenders: [String] = []
        for file in files where file.lastPathComponent != "Scope.swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for pattern in ["Organization.query(", "Account.query(", "AuditEntry.query(", "Organization.find(", "Account.find(",
                            "Member.query(", "Member.find(",
                            "TaskAssignment.query(", "TaskAssignment.find(",
                            "EvaluationSheet.query(", "EvaluationSheet.find(",
                            "StudyCompletion.query(", "StudyCompletion.find(", "Meeting.query(", "Meeting.find(",
                            "Cadre.query(", "Cadre.find(", "GradingSheet.query(", "GradingSheet.find(",
                            "AdmissionApplication.query(", "AdmissionApplication.find(",
                            "DuesPayment.query(", "DuesPayment.find(", "Transfer.query(", "Transfer.find(",
                            "Volunteer.query(", "Volunteer.find(", "VolunteerSignUp.query(", "VolunteerSignUp.find(",
                            "ServiceRecord.query(", "ServiceRecord.find(", "ServiceDispute.query(", "ServiceDispute.find(",
                            "VolunteerCertificate.query(", "VolunteerCertificate.find("] where text.contains(pattern) {
                offenders.append("\(file.lastPathComponent): \(pattern)")
            }
        }
        #expect(offenders.isEmpty, "\(offenders)")
    }
}
