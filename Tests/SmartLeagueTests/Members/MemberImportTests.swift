import Fluent
import Foundation
import LeagueCore
import Testing
import Vapor
@testable import SmartLeague

@Suite struct MemberImportTests {
    static let header = "姓名,性别,民族,身份证号,学历,职业,入团日期,团员编号,所在团支部\r\n"

    static func row(_ name: String, birth: String, sequence: Int, number: String, branch: String, gender: String = "") -> String {
        "\(name),\(gender),汉族,\(Fixtures.residentID(birth: birth, sequence: sequence)),本科,学生,2016-05-04,\(number),\(branch)\r\n"
    }

    @Test func aGBKFileIsCheckedRowByRowAndOnlyTheGoodRowsGoIn() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let branch = try await Fixtures.child(app, of: haishu, "海曙区青年团支部", .branch)
            try await Fixtures.member(app, "已登记", sequence: 999, in: branch)
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            let badID = String(Fixtures.residentID(birth: "2001-02-03", sequence: 5).dropLast()) + "0"
            let text = Self.header
                + Self.row("王小明", birth: "2000-01-01", sequence: 11, number: "A1", branch: branch.code)
                + Self.row("李小红", birth: "2001-02-03", sequence: 12, number: "A2", branch: "")
                + "张三,,汉族,\(badID),本科,学生,2016-05-04,A3,\(branch.code)\r\n"
                + "短行,男\r\n"
                + Self.row("重复人", birth: "2000-01-01", sequence: 11, number: "A4", branch: branch.code)
                + Self.row("已登记者", birth: "2000-01-01", sequence: 999, number: "A5", branch: branch.code)
                + Self.row("外区人", birth: "2000-01-01", sequence: 21, number: "A6", branch: "330205")
                + Self.row("女生", birth: "2000-01-01", sequence: 31, number: "A7", branch: branch.code, gender: "女")
            let gbk = try #require(text.data(using: CSV.gb18030))
            try await admin.get("/members/import")
            let report = try await admin.upload("/members/import", ["branch": branch.code], file: gbk)
            #expect(report.status == .ok)
            #expect(report.contains("共 8 行数据：正确 <strong>2</strong> 行，有误 <strong>6</strong> 行"))
            #expect(report.contains("第 4 行</td><td>身份证号码校验位不正确"))
            #expect(report.contains("第 5 行</td><td>本行有 2 列，表头有 9 列"))
            #expect(report.contains("第 6 行</td><td>身份证号与第 2 行重复"))
            #expect(report.contains("第 7 行</td><td>该身份证号码已登记为团员"))
            #expect(report.contains("第 8 行</td><td>找不到团支部「330205」，或它不在您的管理范围内"))
            #expect(report.contains("第 9 行</td><td>性别与身份证号码不符"))
            #expect(try await Scope.unrestricted.members(on: app.db).count() == 1)
            let upload = try #require(Browser.firstMatch(in: report.body, after: "action=\"/members/import/"))
            let done = try await admin.post("/members/import/\(upload)", ["mode": "good"])
            #expect(done.location == "/members")
            #expect(try await admin.get("/members").contains("已导入 2 名团员，跳过 6 行有误的数据"))
            let names = try await Scope.unrestricted.members(on: app.db).all().map(\.name).sorted()
            #expect(names == ["已登记", "李小红", "王小明"])
            #expect(try await Scope.unrestricted.auditEntries(on: app.db).filter(\.$action == "member.import").count() == 2)
            try await StatisticsTests.expectCountsMatchARecount(app)
            // The upload is used once.
            #expect(try await admin.post("/members/import/\(upload)", ["mode": "good"]).status == .notFound)
        }
    }

    @Test func importNothingWritesNothing() async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let branch = try await Fixtures.child(app, of: haishu, "海曙区青年团支部", .branch)
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await admin.get("/members/import")
            let text = "\u{FEFF}" + Self.header + Self.row("王小明", birth: "2000-01-01", sequence: 11, number: "A1", branch: branch.code)
            let report = try await admin.upload("/members/import", [:], file: Data(text.utf8))
            #expect(report.contains("正确 <strong>1</strong> 行"))
            let upload = try #require(Browser.firstMatch(in: report.body, after: "action=\"/members/import/"))
            try await admin.post("/members/import/\(upload)", ["mode": "none"])
            #expect(try await Scope.unrestricted.members(on: app.db).count() == 0)
        }
    }

    @Test(arguments: [
        ("empty", Data(), "请选择要上传的 CSV 文件"),
        ("binary", Data([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x01]), "文件不是文本格式的 CSV"),
        ("header only", Data(header.utf8), "文件只有表头，没有数据行"),
        ("wrong headers", Data("a,b,c\r\n1,2,3\r\n".utf8), "缺少必填的列：姓名、身份证号"),
        ("huge field", Data((header + String(repeating: "长", count: 20_000) + ",男\r\n").utf8), "超过 1000 个字符的单元格"),
        ("open quote", Data((header + "\"王小明,男\r\n").utf8), "引号没有闭合"),
    ])
    func brokenFilesGetAReportAndWriteNothing(name: String, file: Data, message: String) async throws {
        try await TestApp.run { app, _ in
            let haishu = try await Fixtures.unit(app, code: "330203")
            let admin = try await Fixtures.administrator(app, "haishu", of: haishu)
            try await admin.get("/members/import")
            let report = try await admin.upload("/members/import", [:], file: file)
            #expect(report.status == .unprocessableEntity, "\(name)")
            #expect(report.contains(message), "\(name)")
            #expect(try await Scope.unrestricted.members(on: app.db).count() == 0)
        }
    }

    @Test func theTemplateHasChineseHeaders() async throws {
        try await TestApp.run { app, _ in
            let admin = try await Fixtures.administrator(app, "haishu", of: try await Fixtures.unit(app, code: "330203"))
            let template = try await admin.get("/members/import/template")
            #expect(template.body.hasPrefix("\u{FEFF}姓名,性别,民族,身份证号"))
            let records = try CSV.records(try CSV.decode(Data(template.body.utf8)))
            #expect(records.count == 2)
            #expect(MemberFields.parse(Dictionary(uniqueKeysWithValues: zip(records[0].cells.map { MemberFields.field(forHeader: $0)! }, records[1].cells)),
                                       today: CalendarDate("2026-11-29")!).map { _ in true } == .success(true))
        }
    }
}
