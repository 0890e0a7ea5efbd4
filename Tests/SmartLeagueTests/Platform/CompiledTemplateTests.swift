import Foundation
import Testing
import Vapor
@testable import SmartLeague

/// The compiled renderer must print exactly what Leaf prints. Every page the tests open is already
/// rendered both ways in debug builds (`PageTemplates.checksAgainstLeaf`); these tests take the
/// corners of Leaf's meaning that pages rarely reach, and every template of the site.
@Suite struct CompiledTemplateTests {
    private enum ThingRoute: SiteRoute {
        case show(Param<String>)
        static let namespace = "compiledtest"
        var segments: [Segment] {
            switch self { case .show(let key): ["things", .word("key", key), "view"] }
        }
    }

    private struct Row: Encodable {
        let name: String
        let tags: [String]
        let note: String?
    }

    private struct Nested: Encodable {
        struct Inner: Encodable { let value: Int }
        let inner: Inner
    }

    private struct Context: Encodable {
        let title = "标题 <b>"
        let text = "Tom & \"Jerry\" <script>alert('x')</script> 王芳"
        let emptyText = ""
        let falseText = "false"
        let trueText = "true"
        let word = "banana"
        let numberText = "42"
        let number = 42
        let zero = 0
        let one = 1
        let ratio = 2.5
        let notANumber = Double.nan
        let third: Float = 1.0 / 3.0
        let flag = true
        let unflagged = false
        let nothing: String? = nil
        let date = Date(timeIntervalSince1970: 1_700_000_000.25)
        let small: UInt8 = 7
        let list = ["a", "b"]
        let empty: [String] = []
        let rows = [Row(name: "甲", tags: ["x", "y"], note: nil), Row(name: "乙&", tags: [], note: "有"),
                    Row(name: "丙", tags: ["z"], note: "")]
        let nested = Nested(inner: .init(value: 9))
        let id = UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")
    }

    private static let body = """
        <p>#(text)</p><p>#(number) #(ratio) #(flag) [#(nothing)] #(date) #(small) #(id) [#(notANumber)] #(third)</p>
        #if(notANumber):NaN#else:noNaN#endif
        #if(emptyText):E#endif #if(zero):Z#endif #if(falseText):F#endif #if(nothing):N#else:n#endif #if(unflagged):U#elseif(flag):T#endif
        #if(!flag):a#endif #if(!falseText):b#endif #if(!trueText):c#endif #if(!zero):d#endif #if(!one):e#endif #if(!list):f#endif #if(!nothing):g#endif
        #if(number == "42"):h#endif #if(numberText == number):i#endif #if(number != 42):j#endif #if(flag == "true"):k#endif #if(ratio == 2.5):l#endif
        #if(nothing == nothing):m#endif #if(nothing != "x"):o#endif #if(zero == false):p#endif #if(one == true):q#endif
        #if(number > 7):r#endif #if(numberText > 100):s#endif #if(word > "apple"):t#endif #if(nothing > 1):u#else:v#endif #if(number <= 42.0):w#endif
        #(number * 2 + 1) #(number - 50) #(ratio * 2) #(word + "s") #(number + ratio) #(number == 42) #(!flag) #(-number)
        #if(flag && number):A#endif #if(nothing || zero):B#endif #if(unflagged || nothing):C#else:D#endif
        #for(row in rows):[#(index) #(row.name) #if(isFirst):first#endif#if(isLast):last#endif #if(row.note):note=#(row.note)#endif #for(tag in row.tags):(#(index)#(tag)#(isFirst)#(isLast)#(row.name))#endfor #(index)]#endfor
        #for(item in empty):never#endfor #for(item in list):#(item)#endfor
        #count(rows) #count(empty) #if(count(rows) > 1):many#endif
        #url("compiledtest.show", word) #url("compiledtest.show", "a b/c<d") #url("compiledtest.show")
        #unknownThing(1) [#(row.name)] #(nested.inner.value) [#(nested.missing.value)] [#(text.length)]
        \\#(escaped) a#b #
        """

    @Test func theCompiledRendererPrintsWhatLeafPrints() async throws {
        try await Self.withViews(["base": "<title>#(title)</title>#import(\"body\")<footer>#(missing)</footer>#import(\"absent\")",
                                  "edge": "#extend(\"base\"):#export(\"body\"):\(Self.body)#endexport#endextend"]) { app, request in
            SiteRoutes.record(ThingRoute.show(.key))
            let leaf = String(buffer: try await app.view.render("edge", Context()).data)
            #expect(await app.pageTemplates.compileKept("edge", request))
            let compiled = String(buffer: try await app.pageTemplates.render("edge", Context(), for: request))
            #expect(compiled == leaf)
            // Leaf's meaning, spelled out where it surprises.
            #expect(leaf.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; 王芳"))
            #expect(leaf.contains("E Z F n T"), "any text, and 0, count as true; only false and nothing as false")
            #expect(leaf.contains("/things/a%20b%2Fc%3Cd/view"))
            #expect(leaf.contains("#unknownThing"))
        }
    }

    /// A row that spells its template value spells what its `Codable` form makes, which is what
    /// Leaf reads: every type that spells its own is here, with text that needs escaping and a
    /// row with and one without nested rows.
    @Test func rowsThatSpellTheirValueSpellWhatCodableMakes() throws {
        let changes = [FieldChange(field: "姓名", old: "王\"芳\" <b>", new: ""), FieldChange(field: "phone", old: "", new: "13800000000")]
        let entries = [AuditQueries.Entry(at: Date(timeIntervalSince1970: 1_780_000_000), actorName: "张&三", ip: "127.0.0.1", unitName: "",
                                          action: "member.update", summary: "修改 'x'", changes: changes),
                       AuditQueries.Entry(at: Date(timeIntervalSince1970: 0), actorName: "", ip: "", unitName: "团支部",
                                          action: "no.such.action", summary: "", changes: [])]
        let rows: [any TemplateValueSpelled] = entries.map(AuditPage.Entry.init)
            + changes.map { AuditPage.Change(field: $0.field, old: $0.old, new: $0.new) }
        for row in rows {
            #expect(try TemplateValueEncoder.throughCodable(row) == row.templateValue, "\(type(of: row))")
        }
    }

    /// What the compiled renderer does not reproduce is left to Leaf, template or page.
    @Test func whatIsNotCompiledIsRenderedByLeaf() async throws {
        struct Words: Encodable { let word = "Banana"; let list = ["a"]; let other = ["a"] }
        try await Self.withViews(["tagged": "<p>#lowercased(word)</p>", "listed": "<p>#if(list == other):same#endif #(word)</p>"]) { app, request in
            #expect(try await app.pageTemplates.render("tagged", Words(), for: request) == ByteBuffer(string: "<p>banana</p>"))
            #expect(await app.pageTemplates.compileKept("tagged", request) == false)
            #expect(try await app.pageTemplates.render("tagged", Words(), for: request) == ByteBuffer(string: "<p>banana</p>"))
            // Compiles, but comparing lists is Leaf's at render time.
            let leaf = try await app.view.render("listed", Words()).data
            #expect(await app.pageTemplates.compileKept("listed", request))
            #expect(try await app.pageTemplates.render("listed", Words(), for: request) == leaf)
        }
    }

    /// Every template of the site compiles, layouts and partials with it.
    @Test func everyTemplateOfTheSiteCompiles() async throws {
        try await TestApp.run { app, _ in
            let views = URL(fileURLWithPath: app.directory.viewsDirectory)
            let files = TestApp.templateFiles(app)
            #expect(files.count > 90)
            let request = Request(application: app, on: app.eventLoopGroup.next())
            for file in files {
                let name = String(file.path.dropFirst(views.path.count + 1).dropLast(".leaf".count))
                struct Nothing: Encodable {}
                _ = try? await app.view.render(name, Nothing())
                #expect(await app.pageTemplates.compileKept(name, request), "\(name)")
            }
        }
    }

    private static func withViews(_ templates: [String: String],
                                  _ body: (Application, Request) async throws -> Void) async throws {
        let views = FileManager.default.temporaryDirectory.appendingPathComponent("views-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: views, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: views) }
        for (name, text) in templates {
            try Data(text.utf8).write(to: views.appendingPathComponent(name + ".leaf"))
        }
        let app = try await Application.make(.testing)
        app.leaf.configuration.rootDirectory = views.path + "/"
        // Differences are this suite's expectations, not the debug build's stop.
        TemplateCache.useLeaf(on: app, keepingParsedTemplates: true, checkingCompiledPages: false)
        let outcome: Result<Void, any Error>
        do {
            try await body(app, Request(application: app, on: app.eventLoopGroup.next()))
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        try await app.asyncShutdown()
        try outcome.get()
    }
}
