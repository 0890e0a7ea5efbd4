import Vapor

/// Page numbers for long lists; every list the server sends is paged.
struct Pagination: Encodable {
    let page: Int
    let pageSize: Int
    let total: Int
    let pageCount: Int
    let hasPrevious: Bool
    let hasNext: Bool
    let previousQuery: String
    let nextQuery: String

    /// - Parameters:
    ///   - keep: other query items to carry over to the previous and next links.
    ///   - previous, next: items for one of the two links only (where a keyset page starts).
    init(page requested: Int, pageSize: Int, total: Int, keep: [String: String] = [:],
         previous: [String: String] = [:], next: [String: String] = [:]) {
        self.pageSize = pageSize
        self.total = total
        pageCount = max(1, (total + pageSize - 1) / pageSize)
        page = min(max(1, requested), pageCount)
        hasPrevious = page > 1
        hasNext = page < pageCount
        func query(_ n: Int, _ extra: [String: String]) -> String {
            var items = keep.merging(extra) { _, link in link }.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
                .map { URLQueryItem(name: $0.key, value: $0.value) }
            items.append(URLQueryItem(name: "page", value: String(n)))
            var components = URLComponents()
            components.queryItems = items
            return components.percentEncodedQuery ?? ""
        }
        previousQuery = query(page - 1, previous)
        nextQuery = query(page + 1, next)
    }

    var offset: Int { (page - 1) * pageSize }

    static func requestedPage(_ req: Request) -> Int {
        // Clamped here, so that no page number typed into an address can overflow an offset.
        min(max((try? req.query.get(Int.self, at: "page")) ?? 1, 1), 1_000_000)
    }
}
