import Fluent
import Foundation
import LeagueCore
import SQLKit
import Testing
import Vapor
@testable import SmartLeague

/// Issue 15, class by class: each of these failed (or stopped the process) before the change.
@Suite struct HardeningTests {
    static let hookedID = "3302032000010112\u{301}31"

    /// A digit carrying a combining mark once reached a force-unwrap and stopped the server.
    @Test func anIDWithACombiningMarkIsAMessageNotACrash() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let branch = try await Fixtures.child(app, of: haishu, "海曙区某团支部", .branch)
            let visitor = Browser(app)
            try await visitor.get("/volunteer/register")
            let registered = try await visitor.post("/volunteer/register", ["name": "某人", "residentID": Self.hookedID, "district": String(haishu.id!),
                                                                            "username": "someone", "password": "Volunteer1", "confirm": "Volunteer1"])
            #expect(registered.status == .unprocessableEntity && registered.contains("身份证号码"))
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            let search = try await admin.get("/members?idNumber=" + (Self.hookedID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            #expect(search.status.code < 500 && search.contains("身份证号码"))
            let member = try await Fixtures.member(app, "缴费人", sequence: 41, in: branch)
            try await admin.get("/dues/branches/\(branch.id!)")
            let dues = try await admin.post("/dues/branches/\(branch.id!)/profile", ["member": String(member.id!), "category": "salaried", "income": "3\u{301}456"])
            #expect(dues.status == .unprocessableEntity && dues.contains("收入应为金额"))
            #expect(try await Browser(app).get("/health").status == .ok)
        }
    }

    /// A NUL character is refused with a message wherever it comes in: PostgreSQL keeps none in
    /// text, and the fuzzer found three forms that answered 500 with one.
    @Test func aNULCharacterIsRefusedWithAMessage() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await admin.get("/volunteering/groups")
            let form = try await admin.post("/volunteering/groups", ["name": "队\u{0}", "unit": haishu.code + "\u{0}", "contact": "王"])
            #expect(form.status == .badRequest && form.contains("NUL"))
            let query = try await admin.get("/members/export?unit=1%00")
            #expect(query.status == .badRequest && query.contains("NUL"))
            #expect(try await Scope.unrestricted.query(VolunteerGroup.self, on: app.db).count() == 0)
        }
    }

    /// Beyond their reach an administrator learns only "registered elsewhere", without a unit, a
    /// name or a date; each telling is audited, and a day's allowance ends the probing.
    @Test func duplicatesBeyondScopeAreToldWithoutWhereAndOnlySoOften() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let own = try await Fixtures.child(app, of: haishu, "海曙区某团支部", .branch)
            let elsewhere = try await Fixtures.child(app, of: jiangbei, "江北区某团支部", .branch)
            let registered = try await Fixtures.member(app, "江北团员", sequence: 51, in: elsewhere)
            let former = try await Fixtures.member(app, "江北离团", sequence: 53, in: elsewhere)
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
            let change = Fixtures.context(app)
            _ = try await app.writer.write(app.db) { db in
                try await LeavingWrites.withdraw(memberID: former.id!, on: today, reason: "本人申请", today: today, change, on: db)
            }
            let mine = try await Fixtures.member(app, "海曙团员", sequence: 55, in: own)
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            func register(_ sequence: Int, number: String) async throws -> Browser.Page {
                try await admin.get("/members/new")
                var fields = Fixtures.memberFields("新登记", id: Fixtures.residentID(birth: "2000-01-01", sequence: sequence), number: number)
                fields["branch"] = own.code
                return try await admin.post("/members", fields)
            }
            for (sequence, hidden) in [(51, registered.name), (53, former.name)] {
                let page = try await register(sequence, number: "NEW\(sequence)")
                #expect(page.contains(DuplicateChecks.elsewhereMessage))
                #expect(!page.contains(hidden) && !page.contains(elsewhere.name) && !page.contains(today.description))
            }
            // In reach, the administrator is told whose record it is.
            #expect(try await register(55, number: "NEW55").contains(mine.name))
            // A member number used elsewhere is told the same way.
            #expect(try await register(57, number: registered.memberNumber).contains(DuplicateChecks.elsewhereMessage))
            let told = try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action == DuplicateTelling.elsewhereAction).count()
            #expect(told == 3)
            // An admission application is told the same.
            try await admin.get("/admission/new")
            let applied = try await admin.post("/admission", ["branch": String(own.id!), "name": "申请人", "residentID": Fixtures.residentID(birth: "2000-01-01", sequence: 51),
                                                              "ethnicity": "汉族", "education": "本科", "occupation": "在职", "appliedOn": today.description])
            #expect(applied.contains(DuplicateChecks.elsewhereMessage) && !applied.contains(registered.name))
            // Past the day's allowance the account registers nobody new, not even a fresh person.
            for sequence in stride(from: 0, to: DuplicateChecks.dailyLimit - 4, by: 1) {
                _ = try await register(51, number: "X\(sequence)")
            }
            let fresh = try await register(99, number: "FRESH99")
            #expect(fresh.contains(DuplicateChecks.exhaustedMessage))
            #expect(try await Scope.unrestricted.members(on: app.db).filter(\.$memberNumber == "FRESH99").count() == 0)
            #expect(try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action == DuplicateTelling.exhaustedAction).count() >= 1)
            // Another administrator of the city is not affected.
            let other = try await Fixtures.administrator(app, "haishu.two", of: haishu)
            try await other.get("/members/new")
            var fields = Fixtures.memberFields("另一人", id: Fixtures.residentID(birth: "2000-01-01", sequence: 101), number: "OTHER101")
            fields["branch"] = own.code
            #expect(try await other.post("/members", fields).status == .seeOther)
        }
    }

    /// An import check names rows registered elsewhere only within the day's allowance.
    @Test func anImportCheckListsRowsRegisteredElsewhereOnlyWithinTheAllowance() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let own = try await Fixtures.child(app, of: haishu, "海曙区某团支部", .branch)
            let elsewhere = try await Fixtures.child(app, of: jiangbei, "江北区某团支部", .branch)
            let count = DuplicateChecks.dailyLimit + 5
            for index in 0..<count { try await Fixtures.member(app, "江北\(index)", sequence: 201 + index * 2, in: elsewhere) }
            var csv = CSV.line(MemberFields.columns.map(\.header))
            for index in 0..<count {
                csv += CSV.line(["新人\(index)", "", "汉族", Fixtures.residentID(birth: "2000-01-01", sequence: 201 + index * 2), "",
                                 "13805741234", "本科", "在职", "团员", "2016-05-04", "IMP\(index)", "", own.code])
            }
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await admin.get("/members/import")
            let report = try await admin.upload("/members/import", ["branch": own.code], file: Data(csv.utf8))
            #expect(report.body.components(separatedBy: DuplicateChecks.elsewhereMessage).count - 1 == DuplicateChecks.dailyLimit)
            #expect(report.contains("另有 5 行人员已在其他单位登记"))
            #expect(!report.contains("江北0") && !report.contains(elsewhere.name))
            try await admin.get("/members/import")
            let again = try await admin.upload("/members/import", ["branch": own.code], file: Data(csv.utf8))
            #expect(again.status == .unprocessableEntity && again.contains(DuplicateChecks.exhaustedMessage))
        }
    }

    /// A form reads no more than its route takes; an upload route still takes its files.
    @Test func aSmallFormRefusesALargeBody() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let volunteer = try await VolunteerFixtures.volunteer(app, "大表单", sequence: 61, district: haishu)
            let account = try await Scope.unrestricted.account(volunteer.accountID, on: app.db)
            try await app.writer.write(app.db) { db in
                account.passwordHash = try await Passwords.hash("Volunteer1", app: app)
                try await account.save(on: db)
            }
            let browser = Browser(app)
            try await browser.signIn(account.username, "Volunteer1")
            try await browser.get("/volunteer/me")
            // Over a socket, as a browser sends it: the body arrives streamed. (A client that
            // follows redirects would lose the sign-in's cookie, so only this request goes so.)
            browser.overTheWire = true
            let huge = try await browser.post("/volunteer/records/1/dispute", ["reason": String(repeating: "中", count: 200_000)])
            #expect(huge.status == .payloadTooLarge, "\(huge.body.prefix(600))")
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await admin.get("/members/import")
            admin.overTheWire = true
            let file = Data((CSV.line(MemberFields.columns.map(\.header)) + String(repeating: "#,,,,,,,,,,,,\r\n", count: 80_000)).utf8)
            #expect(file.count > 1_000_000)
            #expect(try await admin.upload("/members/import", ["branch": haishu.code], file: file).status != .payloadTooLarge)
        }
    }

    /// Six digits valid two minutes: five guesses a sign-up in ten minutes, each refusal audited.
    @Test func checkInCodesAllowAFewGuessesOnly() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let volunteer = try await VolunteerFixtures.volunteer(app, "签到人", sequence: 63, district: haishu)
            let post = try await VolunteerFixtures.post(app, at: haishu, district: haishu, capacity: 3)
            let signUp = try await VolunteerFixtures.signUp(app, volunteer, for: post)
            let account = try await Scope.unrestricted.account(volunteer.accountID, on: app.db)
            try await app.writer.write(app.db) { db in
                account.passwordHash = try await Passwords.hash("Volunteer1", app: app)
                try await account.save(on: db)
            }
            let browser = Browser(app)
            try await browser.signIn(account.username, "Volunteer1")
            try await browser.get("/volunteer/checkin?post=\(post.id!)")
            let right = CheckInCode.code(secret: post.codeSecret, at: app.clock.now())
            let wrong = right == "000000" ? "111111" : "000000"
            for _ in 1...CheckInAttempts.perSignUp.limit {
                #expect(try await browser.post("/volunteer/signups/\(signUp.id!)/checkin", ["code": wrong]).contains("签到码不正确"))
            }
            let stopped = try await browser.post("/volunteer/signups/\(signUp.id!)/checkin", ["code": right])
            #expect(stopped.status == .tooManyRequests && stopped.contains("尝试次数过多"))
            let actions = try await Scope.unrestricted.auditEntries(on: app.db).all().map(\.action)
            #expect(actions.filter { $0 == "volunteer.check_in_refused" }.count == CheckInAttempts.perSignUp.limit)
            #expect(actions.filter { $0 == "volunteer.check_in_throttled" }.count == 1)
        }
    }

    /// The QR code's link is the configured address, whatever Host the request carried.
    @Test func theCheckInLinkUsesTheConfiguredAddress() async throws {
        try await TestApp.run(settings: { $0.publicBaseURL = "https://tuan.example.cn" }) { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let post = try await VolunteerFixtures.post(app, at: haishu, district: haishu, capacity: 3)
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            admin.extraHeaders = [("Host", "evil.example")]
            let page = try await admin.get("/volunteering/posts/\(post.id!)")
            #expect(page.contains("https://tuan.example.cn/volunteer/checkin?post=\(post.id!)"))
            #expect(!page.contains("evil.example"))
        }
    }

    /// `next=` after sign-in takes only a path of this site written in visible ASCII.
    @Test func signInSendsOnlyToThisSite() async throws {
        try await TestApp.run { app, first in
            let browser = Browser(app)
            try await browser.get("/login")
            let tabbed = try await browser.post("/login", ["username": first.username, "password": first.password, "next": "/\t/evil.example"])
            #expect(tabbed.location == "/account/password")
            let again = Browser(app)
            try await again.signInFirstTime(first.username, first.password)
            let signedOut = Browser(app)
            try await signedOut.get("/login")
            #expect(try await signedOut.post("/login", ["username": first.username, "password": "Newpass123", "next": "/\t/evil.example"]).location == "/")
            try await signedOut.get("/login")
        }
    }

    /// Every table with a path column is declared, and after a merge no declared column that
    /// follows members or passes to the successor still points at the merged branch.
    @Test func mergesAndMovesLeaveNoPathBehind() async throws {
        try await TestApp.run { app, first in
            let db = app.db
            struct Column: Decodable { let table_name: String; let column_name: String }
            let columns: [Column]
            if db.isPostgres {
                columns = try await db.sql.raw("""
                    SELECT table_name, column_name FROM information_schema.columns
                    WHERE table_schema = 'public' AND (column_name = 'path' OR column_name LIKE '%\\_path' ESCAPE '\\')
                    """).all(decoding: Column.self)
            } else {
                columns = try await db.sql.raw("""
                    SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m, pragma_table_info(m.name) p
                    WHERE m.type = 'table' AND (p.name = 'path' OR p.name LIKE '%\\_path' ESCAPE '\\')
                    """).all(decoding: Column.self)
            }
            let inSchema = Set(columns.map { "\($0.table_name).\($0.column_name)" })
                .subtracting(["organizations.path", "audit_entries.organization_path"])
            let declared = Set(PartRegistry.unitPathColumns.map { "\($0.table).\($0.path)" })
            #expect(inSchema == declared, "undeclared: \(inSchema.subtracting(declared).sorted()), gone: \(declared.subtracting(inSchema).sorted())")

            let haishu = try await Fixtures.unit(app, code: "330203")
            let jiangbei = try await Fixtures.unit(app, code: "330205")
            let source = try await Fixtures.child(app, of: haishu, "海曙区甲团支部", .branch)
            let target = try await Fixtures.child(app, of: haishu, "海曙区乙团支部", .branch)
            let away = try await Fixtures.child(app, of: jiangbei, "江北区某团支部", .branch)
            let member = try await Fixtures.member(app, "随合并者", sequence: 71, in: source)
            let mover = try await Fixtures.member(app, "转出者", sequence: 73, in: source)
            let change = Fixtures.context(app)
            let vault = app.vault
            let today = CalendarDate(ChinaTime.dateString(app.clock.now()))!
            _ = try await app.writer.write(app.db) { db in
                try await VolunteerRegistration.registerMember(member, accountID: nil, vault: vault, today: today, change, on: db)
            }
            _ = try await app.writer.write(app.db) { db in
                try await TransferWrites.start(members: [mover], to: away, side: .sender, graduate: false, batch: nil, change, on: db)
            }
            let receiving = ChangeContext(scope: Scope(reach: .subtree(jiangbei.path)), actor: .commandLine(), now: app.clock.now())
            _ = try await app.writer.write(app.db) { db in
                try await TransferRequests.file(number: member.memberNumber, name: member.name, to: away, graduate: false, receiving, on: db)
            }
            let sourceID = source.id!
            _ = try await app.writer.write(app.db) { db in
                try await AdmissionWrites.apply(branchID: sourceID, fields: ["name": "申请人", "residentID": Fixtures.residentID(birth: "2008-05-05", sequence: 75),
                                                                             "ethnicity": "汉族", "education": "高中", "occupation": "学生"],
                                                appliedOn: today, today: today, vault: vault, change, on: db)
            }
            let groupUnit = source.id!
            _ = try await app.writer.write(app.db) { db in
                try await VolunteerOrganizing.createGroup(.init(name: "甲支部志愿队", parentID: nil, unitID: groupUnit, independent: false, contact: "王"),
                                                          change, on: db)
            }
            let city = Browser(app)
            try await city.signInFirstTime(first.username, first.password)
            try await city.get("/units/\(source.id!)/merge")
            #expect(try await city.post("/units/\(source.id!)/merge", ["target": target.code]).status == .seeOther)
            for column in PartRegistry.unitPathColumns {
                let condition: String?
                switch column.onMerge {
                case .followsMember(_, let when), .passesToSuccessor(let when): condition = when
                case .staysAsHistory: continue
                }
                struct Count: Decodable { let n: Int }
                let left = try await db.sql.raw("""
                    SELECT COUNT(*) AS n FROM \(ident: column.table) WHERE \(ident: column.path) = \(bind: source.path) \(unsafeRaw: condition.map { "AND " + $0 } ?? "")
                    """).first(decoding: Count.self)?.n ?? -1
                #expect(left == 0, "\(column.table).\(column.path) still points at the merged branch")
            }
            #expect(try await Scope.unrestricted.query(Volunteer.self, on: db).filter(\.$memberID == member.id!).first()?.homePath == target.path)
        }
    }

    /// The program finds its templates and static files wherever it is started, and says what is
    /// missing instead of answering every page with an error.
    @Test func resourcesAreFoundBesideTheProgramOrRefused() throws {
        let root = TestApp.packageRoot
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("sl-empty-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        // A release build in .build/release/ finds its checkout from any working directory.
        let found = try Settings.fromEnvironment([:], workingDirectory: empty, executable: root + ".build/release/smartleague")
        #expect(found.resourcesDirectory == root)
        #expect(found.workingDirectory.hasPrefix(empty))
        // Installed elsewhere without them: refused with a message naming what is missing and where it looked.
        #expect {
            try Settings.fromEnvironment([:], workingDirectory: empty, executable: empty + "/bin/smartleague")
        } throws: { error in
            "\(error)".contains("SMARTLEAGUE_RESOURCES") && "\(error)".contains("Resources/Views/base.leaf")
        }
        // A configured folder is used, and only it.
        #expect(try Settings.fromEnvironment(["SMARTLEAGUE_RESOURCES": root], workingDirectory: empty, executable: nil).resourcesDirectory == root)
        #expect(throws: Settings.Invalid.self) {
            try Settings.fromEnvironment(["SMARTLEAGUE_RESOURCES": empty], workingDirectory: root, executable: nil)
        }
    }
}
