import NIOConcurrencyHelpers
import Vapor

/// Pages that every visitor sees alike (the public post search, the project library, 青年之声's
/// published answers), kept as rendered for a few seconds. These are the public's busiest pages,
/// and rendering one costs some fifty times the bare route: under load a visitor's repeated or
/// shared query (the default view above all) is answered from here.
///
/// A kept page is served only while no write of this process has finished since it was rendered
/// (`Writer.generation`, read before rendering, so a write that ends during the render leaves the
/// page unused) and for `lifetime` at most, which bounds what another server writing to the same
/// PostgreSQL database leaves unseen. Signed-in people never get a kept page: theirs carries their
/// name and menu. Responses that set a cookie are never kept. A public form's blank page is kept with
/// a hole where the visitor's own form token goes (`publicForm`), filled in as it is served.
final class PublicPageCache: Sendable {
    private struct Kept {
        let generation: Int
        let rendered: Date
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        let body: ByteBuffer
        /// For a form: what follows the token's hole, which `body` leads up to.
        var afterToken: ByteBuffer?
    }

    /// Rendered where a form's token goes: letters and digits only, so HTML escaping leaves it whole.
    static let tokenHole = "slFormTokenHole7Qz3"

    let lifetime: TimeInterval
    let capacity: Int
    private let pages = NIOLockedValueBox<[String: Kept]>([:])

    init(lifetime: TimeInterval = 5, capacity: Int = 256) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The page kept for `key`, if nothing was written since and it is young enough; a form's with
    /// `token` in its hole.
    fileprivate func page(_ key: String, token: String? = nil, generation: Int, now: Date) -> Response? {
        guard let kept = pages.withLockedValue({ $0[key] }), kept.generation == generation, (kept.afterToken != nil) == (token != nil),
              now.timeIntervalSince(kept.rendered) < lifetime, now >= kept.rendered else { return nil }
        var body = kept.body
        if let token, let after = kept.afterToken {
            body = ByteBufferAllocator().buffer(capacity: kept.body.readableBytes + token.utf8.count + after.readableBytes)
            body.writeImmutableBuffer(kept.body)
            body.writeString(token)
            body.writeImmutableBuffer(after)
        }
        return Response(status: kept.status, headers: kept.headers, body: .init(buffer: body))
    }

    fileprivate func keep(_ response: Response, _ key: String, form: Bool = false, generation: Int, now: Date) {
        guard response.status == .ok, !response.headers.contains(name: .setCookie), let body = response.body.buffer else { return }
        var kept = Kept(generation: generation, rendered: now, status: response.status, headers: response.headers, body: body)
        if form {
            let bytes = Array(body.readableBytesView), hole = Array(Self.tokenHole.utf8)
            let starts = bytes.indices.dropLast(hole.count - 1).filter { bytes[$0..<($0 + hole.count)].elementsEqual(hole) }
            guard starts.count == 1, let start = starts.first else { return }
            kept = Kept(generation: generation, rendered: now, status: response.status, headers: response.headers,
                        body: ByteBuffer(bytes: bytes[..<start]), afterToken: ByteBuffer(bytes: bytes[(start + hole.count)...]))
        }
        pages.withLockedValue { pages in
            // Queries are typed by the public: a full cache drops what has gone stale, or else all.
            if pages.count >= capacity, pages[key] == nil {
                pages = pages.filter { $0.value.generation == generation && now.timeIntervalSince($0.value.rendered) < lifetime }
                if pages.count >= capacity { pages.removeAll(keepingCapacity: true) }
            }
            pages[key] = kept
        }
    }
}

extension Application {
    private struct PublicPageCacheKey: StorageKey { typealias Value = PublicPageCache }

    var publicPages: PublicPageCache {
        get { configured(PublicPageCacheKey.self) }
        set { storage[PublicPageCacheKey.self] = newValue }
    }
}

extension Request {
    /// A page that every visitor sees alike: a visitor's GET is answered from `PublicPageCache`
    /// while it holds, the page is rendered and kept otherwise; signed-in people get theirs fresh.
    func publicPage(_ render: () async throws -> Response) async throws -> Response {
        guard actor == nil, method == .GET else { return try await render() }
        let cache = application.publicPages
        let key = url.string
        let generation = application.writer.generation
        if let kept = cache.page(key, generation: generation, now: now) { return kept }
        let response = try await render()
        cache.keep(response, key, generation: generation, now: now)
        return response
    }

    /// A public form's blank page, the same for every visitor but for their form token: a visitor's
    /// GET is answered from `PublicPageCache` with `token` put in its hole while the kept page holds.
    func publicForm(token: String, _ render: (String) async throws -> Response) async throws -> Response {
        guard actor == nil, method == .GET else { return try await render(token) }
        let cache = application.publicPages
        let key = url.string
        let generation = application.writer.generation
        if let kept = cache.page(key, token: token, generation: generation, now: now) { return kept }
        cache.keep(try await render(PublicPageCache.tokenHole), key, form: true, generation: generation, now: now)
        if let kept = cache.page(key, token: token, generation: generation, now: now) { return kept }
        return try await render(token)
    }
}
