import Testing
import Vapor
import LeagueCore
@testable import SmartLeague

@Suite struct SafeRedirectTests {
    @Test func onlyVisibleSameSitePathsAreKept() {
        for kept in ["/", "/members?page=2&q=%E7%8E%8B", "/volunteer/me"] { #expect(SafeRedirect.localPath(kept) == kept) }
        let refused = ["//evil.example", "/\t/evil.example", "/\u{9}/evil.example", "/\n/evil.example", "/\\evil.example",
                       "https://evil.example", "evil", "", "/ /x", "/成员", "/\u{0}x", String(repeating: "/a", count: 300), "\u{FF0F}/evil"]
        for bad in refused { #expect(SafeRedirect.localPath(bad) == "/", "\(bad.debugDescription)") }
        #expect(SafeRedirect.localPath(nil) == "/")
    }
}

@Suite struct ByteSizeTests {
    @Test func sizesReadAsPeopleReadThem() {
        #expect(ByteSize.text(512) == "512 B")
        #expect(ByteSize.text(1500) == "2 KB")
        #expect(ByteSize.text(20 * 1024 * 1024) == "20.0 MB")
    }
}

@Suite struct TemplateCacheTests {
    /// `serve` runs in Vapor's development environment unless told otherwise: a release build
    /// there must keep its parsed templates, or every request parses them again.
    @Test func onlyADebugBuildInDevelopmentReloadsTemplates() {
        #expect(TemplateCache.isEnabled(environment: .development, debugBuild: false))
        #expect(TemplateCache.isEnabled(environment: .production, debugBuild: false))
        #expect(TemplateCache.isEnabled(environment: .production, debugBuild: true))
        #expect(TemplateCache.isEnabled(environment: .testing, debugBuild: true))
        #expect(!TemplateCache.isEnabled(environment: .development, debugBuild: true))
    }

    /// What the server really does in development: Leaf's own provider turned the cache off there
    /// on every render, so a release `serve` lexed and parsed every template of every request.
    @Test(arguments: [true, false])
    func aDevelopmentServerKeepsItsTemplatesWhenToldTo(keep: Bool) async throws {
        let views = FileManager.default.temporaryDirectory.appendingPathComponent("views-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: views, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: views) }
        try Data("<h1>#(heading)</h1>".utf8).write(to: views.appendingPathComponent("hello.leaf"))
        let app = try await Application.make(.development)
        app.leaf.configuration.rootDirectory = views.path + "/"
        TemplateCache.useLeaf(on: app, keepingParsedTemplates: keep)
        struct Hello: Encodable { let heading = "你好" }
        let rendered: Result<Int, any Error>
        do {
            for _ in 0..<2 { _ = try await app.view.render("hello", Hello()) }
            rendered = .success(TemplateCache.keptTemplates(app))
        } catch {
            rendered = .failure(error)
        }
        try await app.asyncShutdown()
        let kept = try rendered.get()
        #expect(keep ? kept > 0 : kept == 0)
    }
}

@Suite struct RouteSegmentTests {
    /// The shortcut for ids and words encodes exactly as Foundation does.
    @Test func aSegmentIsEncodedAsFoundationEncodesIt() {
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))
        let values = ["42", "abc-DEF_1.2~3", "", "a b", "a/b", "王芳", "x?y#z", "100%", "a+b=c&d", "<script>", "e\u{301}", "..", "~user"]
        for value in values {
            #expect(SiteRoutes.escapeSegment(value) == value.addingPercentEncoding(withAllowedCharacters: allowed), "\(value)")
        }
        #expect(SiteRoutes.path([.fixed("members"), .parameter("id", value: nil), .fixed("edit")], values: ["7"]) == "/members/7/edit")
        #expect(SiteRoutes.path([], values: []) == "/")
    }
}

@Suite struct ChinaTimeTests {
    /// What Foundation's calendar in Beijing's zone prints, which `ChinaTime` works out by arithmetic.
    static func byCalendar(_ date: Date) -> (date: String, dateTime: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return (String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!),
                String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!))
    }

    @Test func instantsPrintAsTheCalendarPrintsThemInBeijing() {
        // Midnight in Beijing and the instant before it, leap days, the ends of the years a
        // CalendarDate holds and beyond them, and times before 1970.
        var instants: [TimeInterval] = [0, -1, -28_800, -28_801, 1_709_136_000 - 28_800, 1_709_222_399.5 - 28_800,
                                        -2_208_988_800 - 28_800, -2_208_988_801 - 28_800, 7_258_118_399, 7_258_118_400, 9e10, -5e10]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 { instants.append(TimeInterval(Int64.random(in: -2_300_000_000...7_300_000_000, using: &generator)) + 0.25) }
        for seconds in instants {
            let date = Date(timeIntervalSince1970: seconds)
            let expected = Self.byCalendar(date)
            #expect(ChinaTime.dateString(date) == expected.date, "\(seconds)")
            #expect(ChinaTime.dateTimeString(date) == expected.dateTime, "\(seconds)")
            #expect(ChinaTime.calendarDay(date) == CalendarDate(expected.date), "\(seconds)")
            #expect(ChinaTime.day(date).description == expected.date || CalendarDate(expected.date) == nil, "\(seconds)")
        }
    }
}
