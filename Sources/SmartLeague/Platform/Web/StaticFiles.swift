import Vapor

/// Serves `Public/` under `/static/`, so that no other path can reach a file on disk.
struct StaticFiles: Middleware {
    let files: FileMiddleware

    init(publicDirectory: String) {
        files = FileMiddleware(publicDirectory: publicDirectory, defaultFile: nil)
    }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.url.path.hasPrefix("/static/"), request.method == .GET || request.method == .HEAD else {
            return next.respond(to: request)
        }
        let original = request.url.path
        request.url.path = String(original.dropFirst("/static".count))
        return files.respond(to: request, chainingTo: next).always { _ in request.url.path = original }
    }
}
