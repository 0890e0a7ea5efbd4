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

    /// - Parameter keep: other query items to carry over to the previous and next links.
    init(page requested: Int, pageSize: Int, total: Int, keep: [String: String] = [:]) {
        self.pageSize = pageSize
        self.total = total
        pageCount = max(1, (total + pageSize - 1) / pageSize)
        page = min(max(1, requested), pageCount)
        hasPrevious = page > 1
        hasNext = page < pageCount
        func query(_ n: Int) -> String {
            var items = keep.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
                .map { URLQueryItem(name: $0.key, value: $0.value) }
            items.append(URLQueryItem(name: "page", value: String(n)))
            var components = URLComponents()
            components.queryItems = items
            return components.percentEncodedQuery ?? ""
        }
        previousQuery = query(page - 1)
        nextQuery = query(page + 1)
    }

    var offset: Int { (page - 1) * pageSize }

    static func requestedPage(_ req: Request) -> Int {
        // Clamped here, so that no page number typed into an address can overflow an offset.
        min(max((try? req.query.get(Int.self, at: "page")) ?? 1, 1), 1_000_000)
    }
}
