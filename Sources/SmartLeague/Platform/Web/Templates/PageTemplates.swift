import Leaf
import LeafKit
import NIOConcurrencyHelpers
import Vapor

/// Renders the pages. Leaf reads, parses and flattens each template (its syntax stays the one the
/// templates are written in); the first render of a template is Leaf's, and the flattened template
/// it keeps is then compiled (`CompiledTemplate`) and renders every later page. A template or a
/// page the compiled renderer does not reproduce is rendered by Leaf. Debug builds, so every test,
/// render each page both ways and stop on the first difference (decision 013).
final class PageTemplates: Sendable {
    private enum Entry: Sendable {
        case compiled(CompiledTemplate)
        case leafOnly
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])
    /// Off where Leaf reloads templates from disk on every render (a debug build in development),
    /// so an edited template shows on the next page, and where settings say Leaf alone.
    let compiles: Bool
    let checksAgainstLeaf: Bool
    private let compiler: TemplateCompiler

    init(compiles: Bool, checksAgainstLeaf: Bool, knownTags: Set<String>, ignoresUnfoundImports: Bool) {
        self.compiles = compiles
        self.checksAgainstLeaf = checksAgainstLeaf
        self.compiler = TemplateCompiler(knownTags: knownTags, ignoresUnfoundImports: ignoresUnfoundImports)
    }

    /// The pages' renderer over Leaf as the application has set it up (its cache, tags and imports).
    static func use(on app: Application, compiling: Bool, checkingAgainstLeaf check: Bool) {
        var leafConfiguration = app.leaf.configuration
        app.pageTemplates = PageTemplates(
            compiles: compiling, checksAgainstLeaf: check,
            knownTags: Set(app.leaf.tags.keys), ignoresUnfoundImports: leafConfiguration.ignoreUnfoundImports)
    }

    func render(_ name: String, _ context: some Encodable, for request: Request) async throws -> ByteBuffer {
        guard compiles else { return try await Self.leaf(name, context, request) }
        switch entries.withLockedValue({ $0[name] }) {
        case .compiled(let template)?:
            let rendered: ByteBuffer
            do {
                rendered = try template.render(TemplateValueEncoder.encode(context))
            } catch let unsupported as TemplateUnsupported {
                request.logger.debug("template \(name) rendered by Leaf: \(unsupported.reason)")
                return try await Self.leaf(name, context, request)
            }
            if checksAgainstLeaf { try await check(rendered, name, context, request) }
            return rendered
        case .leafOnly?:
            return try await Self.leaf(name, context, request)
        case nil:
            let rendered = try await Self.leaf(name, context, request)
            await compileKept(name, request)
            return rendered
        }
    }

    /// Compiles the template Leaf keeps under `name` once it has rendered it; false when Leaf
    /// keeps none or the compiled renderer does not reproduce it.
    @discardableResult
    func compileKept(_ name: String, _ request: Request) async -> Bool {
        let entry = await compile(name, request)
        entries.withLockedValue { $0[name] = entry }
        if case .compiled = entry { return true }
        return false
    }

    private static func leaf(_ name: String, _ context: some Encodable, _ request: Request) async throws -> ByteBuffer {
        try await request.view.render(name, context).data
    }

    /// The template as Leaf keeps it once rendered. LeafKit does not publish a kept template's
    /// syntax (`LeafAST.ast` is internal), so it is read by reflection; if LeafKit ever keeps it
    /// otherwise, every template is simply rendered by Leaf again.
    private func compile(_ name: String, _ request: Request) async -> Entry {
        do {
            guard let kept = try await request.application.leaf.cache.retrieve(documentName: name, on: request.eventLoop).get() else {
                request.logger.warning("template \(name): Leaf keeps no parsed template; Leaf renders it")
                return .leafOnly
            }
            let fields = Mirror(reflecting: kept)
            guard fields.descendant("flat") as? Bool == true, let syntax = fields.descendant("ast") as? [Syntax] else {
                request.logger.warning("template \(name): Leaf's kept syntax could not be read; Leaf renders it")
                return .leafOnly
            }
            return .compiled(try compiler.compile(syntax))
        } catch {
            request.logger.warning("template \(name) is rendered by Leaf: \(error)")
            return .leafOnly
        }
    }

    private func check(_ rendered: ByteBuffer, _ name: String, _ context: some Encodable, _ request: Request) async throws {
        let expected = try await Self.leaf(name, context, request)
        guard rendered != expected else { return }
        let ours = String(buffer: rendered), leafs = String(buffer: expected)
        let same = zip(ours, leafs).prefix { $0 == $1 }.count
        assertionFailure("template \(name): the compiled page differs from Leaf's at character \(same): "
            + "\(ours.dropFirst(max(0, same - 80)).prefix(200)) | Leaf: \(leafs.dropFirst(max(0, same - 80)).prefix(200))")
    }
}

extension Application {
    private struct PageTemplatesKey: StorageKey { typealias Value = PageTemplates }

    var pageTemplates: PageTemplates {
        get { configured(PageTemplatesKey.self) }
        set { storage[PageTemplatesKey.self] = newValue }
    }
}

extension Request {
    /// A template rendered as the server renders its pages, for benchmarks beside Leaf's own
    /// `view.render`; the first call renders with Leaf and compiles the template.
    public func renderTemplate(_ name: String, _ context: some Encodable) async throws -> ByteBuffer {
        try await application.pageTemplates.render(name, context, for: self)
    }
}
