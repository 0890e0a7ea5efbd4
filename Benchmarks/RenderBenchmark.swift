import Foundation
import Mustache
import SmartLeague
import Vapor

// Leaf beside another template engine (issue 17: "if Leaf's rendering is the cost, measure an
// alternative side by side before choosing"). The page is a branch administrator's member list as
// the server renders it: the real `members/index.leaf` inside `base.leaf`, with the real `#url`
// tag, a menu of 22 links, the filter form's choices and 30 rows. The other engine is
// hummingbird-project's swift-mustache with the same page written as Mustache
// (`Benchmarks/Templates`), its context the same values with the choices' `selected` worked out
// beforehand, as a logic-less template needs. Each engine renders the page `BENCH_RENDERS` times,
// alternating, three rounds; printed: microseconds per page, best round, and the ratio. The third
// is the server's own renderer: the same Leaf template, compiled from the syntax Leaf parsed
// (`CompiledTemplate`), its context encoded as `TemplateValue`s.
func renderBenchmark() async throws {
    let renders = Int(ProcessInfo.processInfo.environment["BENCH_RENDERS"] ?? "") ?? 3000
    let directory = try benchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let app = try await makeBenchApp(in: directory)
    defer { Task { try? await app.asyncShutdown() } }
    let library = try await MustacheLibrary(directory: packageRoot + "Benchmarks/Templates")
    let page = RenderedPage.branchMemberList()

    let leafHTML = String(buffer: try await app.view.render("members/index", page).data)
    let request = Request(application: app, on: app.eventLoopGroup.next())
    _ = try await request.renderTemplate("members/index", page)
    let compiledHTML = String(buffer: try await request.renderTemplate("members/index", page))
    guard compiledHTML == leafHTML else { fatalError("the compiled template's page differs from Leaf's") }
    guard let mustacheHTML = library.render(page, withTemplate: "members") else { fatalError("the Mustache template did not load") }
    // Both pages carry every row and every menu link, so both engines do the same work.
    for text in page.page.rows.map(\.name) + page.layout.menu.map(\.label) {
        guard leafHTML.contains(text), mustacheHTML.contains(text) else { fatalError("a page lacks \(text)") }
    }

    var leaf: [Double] = [], mustache: [Double] = [], compiled: [Double] = []
    for _ in 0..<3 {
        var start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<renders { _ = try await app.view.render("members/index", page) }
        leaf.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000 / Double(renders))
        start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<renders { _ = library.render(page, withTemplate: "members") }
        mustache.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000 / Double(renders))
        start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<renders { _ = try await request.renderTemplate("members/index", page) }
        compiled.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000 / Double(renders))
    }
    print("render: a branch's member list (30 rows, 22 menu links), \(renders) renders × 3 rounds, \(buildKind)")
    print(String(format: "  Leaf                         %7.1f µs per page  (%d bytes)", leaf.min() ?? 0, leafHTML.utf8.count))
    print(String(format: "  compiled Leaf (the server's) %7.1f µs per page  (the same bytes)", compiled.min() ?? 0))
    print(String(format: "  swift-mustache               %7.1f µs per page  (%d bytes)", mustache.min() ?? 0, mustacheHTML.utf8.count))
    print(String(format: "  Mustache / Leaf              %7.2f", (mustache.min() ?? 0) / max(leaf.min() ?? 1, 0.001)))
    print(String(format: "  compiled / Leaf              %7.2f", (compiled.min() ?? 0) / max(leaf.min() ?? 1, 0.001)))
}

/// The member list page's values, in the shape both templates read.
struct RenderedPage: Encodable {
    struct Link: Encodable { let url: String; let label: String }
    struct Layout: Encodable {
        let title: String
        let signedIn: Bool
        let menu: [Link]
        let hasMenu: Bool
        let displayName: String
        let unitName: String
        let csrf: String
        let flash: String?
    }
    struct Option: Encodable { let value: String; let label: String; let selected: Bool }
    struct Values: Encodable {
        var q = "", number = "", idNumber = "", phone = "", unit = "", age = "", gender = "", education = "", occupation = ""
        var sort = "name", dir = "asc"
    }
    struct Form: Encodable { let values: Values; let errors: [String: String] }
    struct Choices: Encodable { let ageBands, genders, educations, occupations, sorts: [Option] }
    struct Row: Encodable {
        let id: Int
        let url: String
        let name, gender: String
        let age: Int
        let idMasked, phone, memberNumber, branchName, education, occupation: String
        let overage: Bool
    }
    struct Pagination: Encodable {
        let page, pageSize, total, pageCount: Int
        let hasPrevious, hasNext: Bool
        let previousQuery, nextQuery: String
    }
    struct Content: Encodable {
        let overage: Bool
        let descending: Bool
        let form: Form
        let choices: Choices
        let exportURL: String
        let pagination: Pagination
        let rows: [Row]
        let hasRows: Bool
    }
    /// The fixed links the Leaf template makes with `#url`, for the Mustache one.
    struct URLs: Encodable {
        let home = "/", logout = "/logout", login = "/login", members = "/members", newMember = "/members/new"
        let imports = "/imports", statistics = "/statistics"
    }

    let layout: Layout
    let page: Content
    let urls = URLs()

    static func branchMemberList() -> RenderedPage {
        let menu = ["工作台", "组织", "团员", "团员发展", "团费", "转接", "离团", "评议注册", "工作要点", "任务", "青年农场", "实习",
                    "考核", "青年大学习", "三会一课", "团干部", "团支部评星", "志愿服务", "转入申请", "账号", "日志", "修改密码"]
            .enumerated().map { Link(url: "/menu/\($0.offset)", label: $0.element) }
        func options(_ labels: [String], selected: String = "") -> [Option] {
            labels.enumerated().map { Option(value: "v\($0.offset)", label: $0.element, selected: "v\($0.offset)" == selected) }
        }
        let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"], given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊"]
        let rows = (0..<30).map { i in
            Row(id: 1000 + i, url: "/members/\(1000 + i)", name: surnames[i % 10] + given[i % 8] + (i % 3 == 0 ? "华" : ""),
                gender: i % 2 == 0 ? "男" : "女", age: 15 + i % 14, idMasked: "330203********\(String(format: "%04d", i))",
                phone: "138****\(String(format: "%04d", 1000 + i))", memberNumber: "3302030\(String(format: "%05d", i))",
                branchName: "1年级(1)班团支部", education: "高中", occupation: "学生", overage: i % 29 == 28)
        }
        return RenderedPage(
            layout: Layout(title: "团员", signedIn: true, menu: menu, hasMenu: true, displayName: "演示团支部书记",
                           unitName: "1年级(1)班团支部", csrf: "k3b9Qm2xZ8pL4vN7rT1wY5cH6jD0fG", flash: nil),
            page: Content(overage: false, descending: false, form: Form(values: Values(), errors: [:]),
                          choices: Choices(ageBands: options(["14–18 岁", "18–22 岁", "22–25 岁", "25–28 岁", "28 岁以上"]),
                                           genders: options(["男", "女"]),
                                           educations: options(["初中", "高中", "中专", "大专", "本科", "硕士", "博士"]),
                                           occupations: options(["学生", "企业职工", "农民", "机关事业单位", "自由职业", "无业", "其他"]),
                                           sorts: options(["姓名", "年龄", "入团日期", "团员编号", "所在团支部"], selected: "v0")),
                          exportURL: "/members/export", pagination: Pagination(page: 1, pageSize: 50, total: 30, pageCount: 1, hasPrevious: false,
                                                                               hasNext: false, previousQuery: "page=0", nextQuery: "page=2"),
                          rows: rows, hasRows: true))
    }
}
