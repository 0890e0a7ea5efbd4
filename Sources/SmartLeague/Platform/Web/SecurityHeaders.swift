import Vapor

/// Headers every response carries: no framing, no inline script or style, no sniffing; pages
/// (everything but static files and the health check) are never stored by browsers or proxies,
/// since most show personal data.
///
/// This and the other middlewares with no waiting of their own are written with futures: an
/// `AsyncMiddleware` starts a task and hops threads for every request, which in a burst costs
/// more than the work.
struct SecurityHeaders: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in
            Self.add(to: response, for: request)
            return response
        }
    }

    private static func add(to response: Response, for request: Request) {
        let headers = [
            ("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
            ("X-Frame-Options", "DENY"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
        ]
        for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
        if !request.url.path.hasPrefix("/static/") && request.url.path != "/health" {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
    }
}
