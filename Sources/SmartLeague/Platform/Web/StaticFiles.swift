import Vapor

/// Serves `Public/` under `/static/`, so that no other path can reach a file on disk.
struct StaticFiles: AsyncMiddleware {
    let files: FileMiddleware

    init(publicDirectory: String) {
        files = FileMiddleware(publicDirectory: publicDirectory, defaultFile: nil)
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.url.path.hasPrefix("/static/"), request.method == .GET || request.method == .HEAD else {
            return try await next.respond(to: request)
        }
        let original = request.url.path
        request.url.path = String(original.dropFirst("/static".count))
        defer { request.url.path = original }
        return try await files.respond(to: request, chainingTo: next)
    }
}
