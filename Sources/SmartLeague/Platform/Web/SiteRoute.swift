import Leaf
import NIOConcurrencyHelpers
import Vapor

/// A page or action as a value: one enum per part lists them, and the same case gives the path a
/// controller registers (parameters as keys) and the link a page shows (parameters with values).
/// Templates name routes the same way, through the `#url("part.page", id)` tag, so no path is
/// spelled twice.
protocol SiteRoute: Sendable {
    /// The part's prefix of template names ("transfers" in "transfers.show").
    static var namespace: String { get }
    var segments: [Segment] { get }
}

/// One segment of a route's path: fixed text, or a named parameter that a link fills in.
enum Segment: Sendable, ExpressibleByStringLiteral {
    case fixed(String)
    case parameter(String, value: String?)

    init(stringLiteral value: String) { self = .fixed(value) }

    /// A numeric id, named `id` unless said otherwise (`Request.id(_:)` reads it).
    static func id(_ param: Param<Int>, named name: String = "id") -> Segment { .parameter(name, value: param.text) }

    /// A word chosen from a fixed set (an action, a decision) or a key such as a batch.
    static func word(_ name: String, _ param: Param<String>) -> Segment { .parameter(name, value: param.text) }
}

/// A route parameter: `.key` where the route is registered, `.value` where it is linked to.
enum Param<Value: Sendable & CustomStringConvertible>: Sendable {
    case key
    case value(Value)

    var text: String? {
        if case .value(let value) = self { return value.description }
        return nil
    }
}

extension Param: ExpressibleByIntegerLiteral where Value == Int {
    init(integerLiteral value: Int) { self = .value(value) }
}

extension Param: ExpressibleByUnicodeScalarLiteral, ExpressibleByExtendedGraphemeClusterLiteral, ExpressibleByStringLiteral
    where Value == String {
    init(stringLiteral value: String) { self = .value(value) }
}

extension SiteRoute {
    /// "transfers.show": the part's namespace and the case's name.
    var name: String {
        Self.namespace + "." + String(describing: self).prefix { $0 != "(" }
    }

    var pathComponents: [PathComponent] {
        segments.map { segment in
            switch segment {
            case .fixed(let text): .constant(text)
            case .parameter(let name, _): .parameter(name)
            }
        }
    }

    /// The link: "/transfers/7". A parameter still a key shows as `:name`, which tests catch.
    var url: String {
        "/" + segments.map { segment in
            switch segment {
            case .fixed(let text): text
            case .parameter(let name, let value): value.map(SiteRoutes.escapeSegment) ?? ":" + name
            }
        }.joined(separator: "/")
    }

    /// The link with query items; empty values are left out.
    func url(query: [(String, String?)]) -> String {
        var components = URLComponents()
        components.queryItems = query.compactMap { name, value in value.flatMap { $0.isEmpty ? nil : URLQueryItem(name: name, value: $0) } }
        let encoded = components.percentEncodedQuery ?? ""
        return encoded.isEmpty ? url : url + "?" + encoded
    }


}

/// Every route registered through a `SiteRoute`, by name, for the `#url` tag and for tests.
enum SiteRoutes {
    private static let known = NIOLockedValueBox<[String: [Segment]]>([:])

    static func record(_ route: some SiteRoute) {
        known.withLockedValue { $0[route.name] = route.segments }
    }

    static func segments(named name: String) -> [Segment]? {
        known.withLockedValue { $0[name] }
    }

    static var names: Set<String> { Set(known.withLockedValue { $0.keys }) }

    /// A route's path with its parameters filled in order, each percent-encoded as one segment; a
    /// parameter without a value is left empty.
    static func path(_ segments: [Segment], values: [String?]) -> String {
        var values = values.makeIterator()
        var path = ""
        for segment in segments {
            path += "/"
            switch segment {
            case .fixed(let text): path += text
            case .parameter: path += escapeSegment((values.next() ?? nil) ?? "")
            }
        }
        return path.isEmpty ? "/" : path
    }

    /// A value as one path segment: percent-encoded, a `/` inside it too, since it would split it.
    /// Ids and words (letters, digits, `-._~`) need no encoding and skip Foundation's, which cost
    /// a page of thirty rows a few percent of its CPU.
    static func escapeSegment(_ value: String) -> String {
        if value.utf8.allSatisfy({ $0 < 0x80 && (unreserved[Int($0)]) }) { return value }
        return value.addingPercentEncoding(withAllowedCharacters: segmentCharacters) ?? ""
    }

    private static let unreserved: [Bool] = (0..<128).map { byte in
        let scalar = Unicode.Scalar(UInt8(byte))
        return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || "-._~".unicodeScalars.contains(scalar)
    }

    private static let segmentCharacters = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))
}

extension RoutesBuilder {
    @discardableResult
    func get<R: SiteRoute, Response: AsyncResponseEncodable>(_ route: R, use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        SiteRoutes.record(route)
        return get(route.pathComponents, use: handler)
    }

    @discardableResult
    func post<R: SiteRoute, Response: AsyncResponseEncodable>(_ route: R, use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        SiteRoutes.record(route)
        return post(route.pathComponents, use: handler)
    }

    /// A POST route that takes uploads of up to `maxSize` (`BodyLimits`).
    @discardableResult
    func upload<R: SiteRoute, Response: AsyncResponseEncodable>(_ route: R, maxSize: ByteCount,
                                                               use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        SiteRoutes.record(route)
        let registered = on(.POST, route.pathComponents, body: .collect(maxSize: maxSize), use: handler)
        registered.userInfo[AnySendableHashable(BodyLimits.key)] = maxSize.value
        return registered
    }
}

extension Response {
    /// A redirect to a route of the site.
    static func redirect(to route: some SiteRoute, _ request: Request) -> Response {
        request.redirect(to: route.url)
    }
}

/// `#url("transfers.show", id)`: the link to a named route, its parameters filled in order.
struct SiteURLTag: LeafTag {
    struct Unknown: Error, CustomStringConvertible {
        let description: String
    }

    func render(_ context: LeafContext) throws -> LeafData {
        guard let name = context.parameters.first?.string, let segments = SiteRoutes.segments(named: name) else {
            throw Unknown(description: "#url names no route: \(context.parameters.first?.string ?? "nothing")")
        }
        return .string(SiteRoutes.path(segments, values: context.parameters.dropFirst().map(\.string)))
    }
}
