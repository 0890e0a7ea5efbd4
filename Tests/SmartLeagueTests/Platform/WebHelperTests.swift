import Testing
import Vapor
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
}
