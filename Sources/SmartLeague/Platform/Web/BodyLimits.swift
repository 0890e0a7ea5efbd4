import Vapor

/// Each route reads at most its own body size. Vapor applies a route's `body: .collect(maxSize:)`
/// only when the handler runs, after the middleware; the CSRF check, which reads the token from
/// the body, runs first. So a route that takes files says its limit here, where the CSRF check
/// finds it, and every other form is held to the default.
enum BodyLimits {
    /// Forms without files. The longest form (an evaluation sheet: a 5,000-character report and
    /// a 1,000-character note per indicator) is about 150 KB percent-encoded; nothing near a megabyte.
    static let forms: ByteCount = "256kb"

    static let key = "smartleague.bodyLimit"

    /// The most the route of `request` takes.
    static func limit(for request: Request) -> Int {
        (request.route?.userInfo[AnySendableHashable(key)] as? Int) ?? request.application.routes.defaultMaxBodySize.value
    }
}

extension RoutesBuilder {
    /// A POST route that takes uploads of up to `maxSize`.
    @discardableResult
    func upload<Response: AsyncResponseEncodable>(_ path: PathComponent..., maxSize: ByteCount,
                                                  use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        let route = on(.POST, path, body: .collect(maxSize: maxSize), use: handler)
        route.userInfo[AnySendableHashable(BodyLimits.key)] = maxSize.value
        return route
    }
}
