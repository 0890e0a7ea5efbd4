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

    /// The root's reach is the whole tree: its reads of required paths carry no range (written
    /// out, it made SQLite count and sort the whole city along the path index); a district's
    /// reads still do, and both see what they saw before.
    @Test func theRootReadsWithoutAPathRangeAndADistrictWithOne() async throws {
        try await TestApp.run { app, _ in
            let w = try await world(app)
            let root = try #require(try await Scope.unrestricted.organizations(on: app.db).filter(\.$parentID == nil).first())
            let city = Scope(reach: .subtree(root.path)), district = Scope(reach: .subtree(w.haishu.path))
            #expect(city.organizations(on: app.db).query.filters.isEmpty)
            #expect(city.query(Cadre.self, on: app.db, .walkingTheOrder).query.filters.isEmpty)
            #expect(!district.organizations(on: app.db).query.filters.isEmpty)
            #expect(!district.query(Cadre.self, on: app.db, .walkingTheOrder).query.filters.isEmpty)
            let all = try await Scope.unrestricted.organizations(on: app.db).count()
            #expect(try await city.organizations(on: app.db).count() == all)
            let haishu = try await district.organizations(on: app.db).all().map(\.name)
            #expect(haishu.contains("海曙区第一团支部") && !haishu.contains(w.jiangbeiSecret))
            // Counts: the root's is the table's, a district's its own subtree's.
            let haishuBranch = try #require(try await district.organizations(on: app.db).filter(\.$name == "海曙区第一团支部").first())
            try await Fixtures.member(app, "海曙团员", sequence: 71, in: haishuBranch)
            try await Fixtures.member(app, "江北团员", sequence: 73, in: w.jiangbeiBranch)
            let everyone = try await Scope.unrestricted.query(Member.self, on: app.db).count()
            #expect(try await city.count(Member.self, on: app.db) == everyone)
            #expect(try await district.count(Member.self, on: app.db) == 1)
            #expect(everyone > 1)
        }
    }

    static func sources() throws -> [(name: String, text: String)] {
        let root = URL(fileURLWithPath: TestApp.packageRoot + "Sources")
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        return try files.map { ($0.lastPathComponent, try String(contentsOf: $0, encoding: .utf8)) }
    }

    /// Scope lives in one place: every model scoped by unit (found from its `UnitScoped`
    /// conformance, not from a list), the tree, accounts and the audit log are queried only in
    /// `Scope.swift` and the parts' named rules (`*Scope.swift`).
    @Test func onlyTheScopeQueriesScopedTables() throws {
        let sources = try Self.sources()
        #expect(sources.count > 10)
        let conforming = try NSRegularExpression(pattern: #"extension (\w+): (UnitScoped|VolunteerRow)\b"#)
        var scoped: Set<String> = ["Organization", "Account", "AuditEntry", "Transfer", "TransferRequest", "VolunteerIdentityCheck"]
        for (_, text) in sources {
            for match in conforming.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let range = Range(match.range(at: 1), in: text) { scoped.insert(String(text[range])) }
            }
        }
        #expect(scoped.count > 20)
        var offenders: [String] = []
        for (name, text) in sources where !name.hasSuffix("Scope.swift") {
            for model in scoped {
                for pattern in ["\(model).query(", "\(model).find("] where text.contains(pattern) {
                    offenders.append("\(name): \(pattern)")
                }
            }
        }
        #expect(offenders.isEmpty, "\(offenders)")
    }

    /// The lifted scope is for commands, sign-in and the platform's bookkeeping, never for a page.
    @Test func noControllerLiftsTheScope() throws {
        let offenders = try Self.sources().filter { $0.name.hasSuffix("Controller.swift") && $0.text.contains("Scope.unrestricted") }.map(\.name)
        #expect(offenders.isEmpty, "\(offenders)")
    }

    /// Platform names no part: none of the types a part declares appears in a Platform file.
    @Test func platformNamesNoPart() throws {
        let sources = try Self.sources()
        let root = URL(fileURLWithPath: TestApp.packageRoot + "Sources/SmartLeague")
        let partFolders = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { !["Platform", "App"].contains($0) }
        let declaration = try NSRegularExpression(pattern: #"^(?:final class|struct|enum|protocol) ([A-Z]\w+)"#, options: .anchorsMatchLines)
        var partTypes: Set<String> = []
        for folder in partFolders {
            let files = FileManager.default.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)?
                .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
            for file in files {
                let text = try String(contentsOf: file, encoding: .utf8)
                for match in declaration.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    if let range = Range(match.range(at: 1), in: text) { partTypes.insert(String(text[range])) }
                }
            }
        }
        #expect(partTypes.count > 50)
        let platformFiles = FileManager.default.enumerator(at: root.appendingPathComponent("Platform"), includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        var offenders: [String] = []
        for file in platformFiles {
            // Code only: a comment may say what a part is.
            let text = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
                .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
            let words = Set(text.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" }).map(String.init))
            for type in partTypes.intersection(words) { offenders.append("\(file.lastPathComponent): \(type)") }
        }
        #expect(offenders.isEmpty, "\(offenders.sorted())")
        _ = sources
    }
}
